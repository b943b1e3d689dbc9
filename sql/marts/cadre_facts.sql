-- One row per evaluated cadre: the total, and every fact the classification rules read.
select
    e.cadre_code,
    e.group_code,
    e.is_head,
    round(coalesce(s.total, 0), 2) as total,
    coalesce(t.tasks_total, 0) as tasks_total,
    coalesce(t.tasks_on_time, 0) as tasks_on_time,
    coalesce(t.tasks_exceeded, 0) as tasks_exceeded,
    d.discipline_measure,
    case when e.is_head then l.final_level end as unit_level,
    case when e.is_head then l.completion_rate end as unit_completion_rate,
    case when e.is_head then coalesce(k.subordinate_units, 0) else 0 end as subordinate_units,
    case when e.is_head then coalesce(k.subordinate_khtnv, 0) else 0 end as subordinate_khtnv,
    coalesce(k.leader_disciplined, false) or coalesce(o.other_disciplined, false)
        as unit_leader_disciplined,
    v.votes_low / nullif(v.votes_total, 0) as low_confidence_share,
    e.months_worked,
    e.months_off,
    x.excused_triggers,
    x.excusal_reason
from evaluated_cadres e
left join (
    select cadre_code, sum(score) as total from criterion_scores group by cadre_code
) s using (cadre_code)
left join (
    select
        cadre_code,
        count(*) as tasks_total,
        count(*) filter (where on_time) as tasks_on_time,
        count(*) filter (where exceeded) as tasks_exceeded
    from task_scores
    group by cadre_code
) t using (cadre_code)
left join (
    select cadre_code, arg_max(d.measure, m.severity) as discipline_measure
    from cur_discipline d
    join cfg_discipline m on m.measure = d.measure
    where d.cycle = $cycle and year(d.decided_on) = $cycle
    group by cadre_code
) d using (cadre_code)
left join unit_levels l on l.unit_code = e.unit_code
left join (
    select unit_code, subordinate_units, subordinate_khtnv, leader_disciplined
    from cur_collective
    where cycle = $cycle and unit_code = sender_code
) k on k.unit_code = e.unit_code
left join (
    -- another leader of the same unit disciplined in the year
    select distinct x.cadre_code, true as other_disciplined
    from evaluated_cadres x
    join evaluated_cadres y on y.unit_code = x.unit_code and y.cadre_code <> x.cadre_code
    join cur_discipline d on d.cadre_code = y.cadre_code and d.cycle = $cycle
    where year(d.decided_on) = $cycle
) o using (cadre_code)
left join (
    select cadre_code, votes_low, votes_total from cur_confidence_votes where cycle = $cycle
) v using (cadre_code)
left join (
    -- triggers of "not completed regardless of points" the board excused, with its reasons
    select
        cadre_code,
        string_agg(distinct rule, ',' order by rule) as excused_triggers,
        string_agg(reason, '; ' order by rule, reason) as excusal_reason
    from cur_excusals
    where cycle = $cycle and rule <> 'TRE_HAN'
    group by cadre_code
) x using (cadre_code)
order by e.cadre_code
