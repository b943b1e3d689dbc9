select e.group_code, e.group_name, l.final_level as level, count(*) as n
from cadre_levels l
join evaluated_cadres e using (cadre_code)
group by all
order by e.group_code, level
