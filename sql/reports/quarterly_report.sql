select e.cadre_code, e.full_name, e.unit_name, e.group_name, q.tasks_reported,
    q.progress_score, q.provisional_level
from quarterly_levels q
join evaluated_cadres e using (cadre_code)
where q.quarter = $quarter
order by e.group_code, e.cadre_code
