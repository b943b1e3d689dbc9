-- Provisional levels of quarters 1-3 from the progress reports (KL 198, HD 43): each task's
-- cumulative achievement against the share of the year target expected by the quarter's end.
create or replace table quarterly_levels as
with progress as (
    select
        t.cadre_code,
        p.scope as quarter,
        least(
            p.achieved / nullif(t.year_target * q.expected_share, 0), $progress_cap
        ) as progress
    from cur_quarterly_progress p
    join task_scores t on t.task_code = p.task_code and t.cadre_code = p.cadre_code
    join cfg_quarters q on q.quarter = p.scope
    where p.cycle = $cycle
),
scored as (
    select
        cadre_code,
        quarter,
        count(*) as tasks_reported,
        round(100 * avg(progress) / $progress_cap, 2) as progress_score
    from progress
    group by cadre_code, quarter
)
select
    s.cadre_code,
    s.quarter,
    s.tasks_reported,
    s.progress_score,
    case
        when s.progress_score >= $threshold_htxsnv then 'HTXSNV'
        when s.progress_score >= $threshold_httnv then 'HTTNV'
        when s.progress_score >= $threshold_htnv then 'HTNV'
        else 'KHTNV'
    end as provisional_level
from scored s
join evaluated_cadres e using (cadre_code)
order by s.cadre_code, s.quarter
