-- Average progress of a cadre's tasks at the end of each quarter (achieved / year target).
select t.cadre_code, p.scope as quarter,
    avg(least(p.achieved / t.year_target, 1.2)) as progress
from cur_quarterly_progress p
join task_scores t on t.task_code = p.task_code and t.cadre_code = p.cadre_code
where p.cycle = $cycle
group by t.cadre_code, p.scope
order by t.cadre_code, p.scope
