select e.cadre_code as code, e.full_name, e.unit_name, e.group_name, l.total,
    l.final_level as level
from cadre_levels l
join evaluated_cadres e using (cadre_code)
order by e.group_code, l.total desc, e.cadre_code
