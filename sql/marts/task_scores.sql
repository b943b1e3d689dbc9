-- Evaluation by product (seed 001, NĐ 335): each registered task scored on quantity
-- (achieved / target, capped) and timeliness (a late task loses a fixed share).
-- A long-term task is judged by the milestone set for the year, not by completion.
create or replace table task_scores as
with register as (
    select * from cur_task_register where cycle = $cycle
),
assessment as (
    -- one row per task and cadre (sql/warehouse/task_assessments.sql)
    select * from task_assessments where cycle = $cycle
),
excused_late as (
    -- an objective cause confirmed by the board excuses a late task (NĐ 335)
    select cadre_code, task_code, min(reason) as excusal_reason
    from cur_excusals
    where cycle = $cycle and rule = 'TRE_HAN'
    group by cadre_code, task_code
),
inspected as (
    -- major errors found by the board's inspection: each takes a fixed share off (NĐ 335)
    select cadre_code, task_code, sum(major_errors) as major_errors
    from cur_inspections
    where cycle = $cycle
    group by cadre_code, task_code
),
joined as (
    select
        r.sender_code as unit_code,
        r.task_code,
        r.cadre_code,
        r.origin,
        r.content,
        r.measure_unit,
        r.target,
        r.deadline,
        r.weight,
        r.long_term,
        r.milestone,
        case when r.long_term then coalesce(r.milestone, r.target) else r.target end
            as year_target,
        a.achieved,
        a.completed,
        a.completed_on,
        x.excusal_reason,
        coalesce(i.major_errors, 0) as major_errors
    from register r
    join evaluated_cadres e on e.cadre_code = r.cadre_code
    left join assessment a
        on a.task_code = r.task_code
        and a.cadre_code = r.cadre_code
    left join excused_late x on x.task_code = r.task_code and x.cadre_code = r.cadre_code
    left join inspected i on i.task_code = r.task_code and i.cadre_code = r.cadre_code
),
judged as (
    select
        *,
        achieved / year_target as ratio,
        case
            when long_term then coalesce(achieved >= year_target, false)
            else coalesce(completed, false)
        end as done,
        case
            when long_term then coalesce(achieved >= year_target, false)
            else coalesce(
                completed and (completed_on <= deadline or excusal_reason is not null), false
            )
        end as on_time,
        coalesce(
            not long_term and completed and completed_on > deadline
            and excusal_reason is null,
            false
        ) as late
    from joined
)
select
    *,
    coalesce(ratio > $exceeded_ratio, false) as exceeded,
    least(coalesce(ratio, 0), $quantity_cap)
        * greatest(
            0,
            1 - case when late then $late_penalty else 0 end - major_errors * $error_penalty
        ) as score
from judged
order by cadre_code, task_code
