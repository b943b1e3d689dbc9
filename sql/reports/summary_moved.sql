-- Everyone whose level a rule moved away from the level of the points.
select e.full_name, e.unit_name, x.step, x.from_level, x.to_level, x.reason
from level_explanations x
join evaluated_cadres e on e.cadre_code = x.subject_code
where x.step <> 'points' and x.from_level is distinct from x.to_level
order by e.group_code, e.cadre_code, x.step_order
