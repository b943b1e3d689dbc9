-- The tasks each unit registered, with the cadre carrying each one; a cadre who has moved to
-- another unit since is named with the unit he or she is evaluated in now.
with cadres as (
    select cadre_code, any_value(full_name) as full_name
    from cur_cadres
    where cycle = $cycle
    group by cadre_code
)
select
    t.unit_code,
    t.task_code,
    t.content,
    t.origin,
    t.measure_unit,
    t.long_term,
    t.cadre_code,
    coalesce(e.full_name, c.full_name, t.cadre_code) as cadre_name,
    case when e.unit_code is distinct from t.unit_code then e.unit_name end as cadre_now_in,
    t.target,
    t.year_target,
    t.achieved,
    case when t.achieved is null then null else t.done end as completed,
    case when t.achieved is null then null else t.on_time end as on_time,
    t.exceeded,
    case when t.achieved is null then null else t.score end as score
from task_scores t
left join evaluated_cadres e on e.cadre_code = t.cadre_code
left join cadres c on c.cadre_code = t.cadre_code
order by t.unit_code, t.cadre_code, t.task_code
