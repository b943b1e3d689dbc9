-- Points per cadre and criterion of the cadre's framework. A criterion whose source does not
-- apply to the cadre (no commune forms) gives its points to its fallback criterion.
create or replace table criterion_scores as
with tasks as (
    select
        cadre_code,
        least(1.0, sum(weight * score) / nullif(sum(weight), 0)) as share
    from task_scores
    group by cadre_code
),
unit as (
    select
        e.cadre_code,
        s.share * case
            when coalesce(k.subordinate_khtnv, 0) > 0 then $subordinate_khtnv_factor else 1
        end as share
    from evaluated_cadres e
    join unit_levels l on l.unit_code = e.unit_code
    left join cur_collective k
        on k.unit_code = e.unit_code and k.sender_code = e.unit_code and k.cycle = $cycle
    join cfg_level_shares s on s.scale = 'unit_result' and s.level = l.final_level
    where e.is_head
),
base as (
    select
        e.cadre_code,
        c.criterion_code,
        c.criterion_name,
        c.points,
        c.source,
        c.fallback,
        c.ordinal,
        case c.source
            when 'commune_forms' then coalesce(f.n_forms, 0) > 0
            when 'unit_result' then e.is_head
            else true
        end as applies,
        case c.source
            when 'council' then least(1.0, coalesce(k.aggregated_score, 0) / c.points)
            when 'tasks' then coalesce(t.share, 0)
            when 'unit_result' then coalesce(u.share, 0)
            when 'commune_forms' then coalesce(f.mean_share, 0)
        end as share
    from evaluated_cadres e
    join cfg_criteria c on c.framework = e.framework
    left join council_criterion_scores k
        on k.cadre_code = e.cadre_code and k.criterion_code = c.criterion_code
    left join tasks t on t.cadre_code = e.cadre_code
    left join unit u on u.cadre_code = e.cadre_code
    left join commune_form_scores f on f.cadre_code = e.cadre_code
),
moved as (
    select cadre_code, fallback as criterion_code, sum(points) as extra_points
    from base
    where not applies and fallback is not null
    group by cadre_code, fallback
)
select
    b.cadre_code,
    b.criterion_code,
    b.criterion_name,
    b.source,
    b.ordinal,
    b.points as nominal_points,
    b.applies,
    case when b.applies then b.points else 0 end + coalesce(m.extra_points, 0)
        as effective_points,
    b.share,
    round(
        (case when b.applies then b.points else 0 end + coalesce(m.extra_points, 0)) * b.share,
        2
    ) as score
from base b
left join moved m on m.cadre_code = b.cadre_code and m.criterion_code = b.criterion_code
order by b.cadre_code, b.ordinal
