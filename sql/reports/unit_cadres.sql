-- The head(s) and deputies evaluated in each unit (by the post held last in the year), heads
-- first, with their totals and levels.
select e.unit_code, e.cadre_code as code, e.full_name, e.position_title, e.is_head,
    e.group_name, l.total, l.final_level
from evaluated_cadres e
join cadre_levels l using (cadre_code)
order by e.unit_code, e.is_head desc, e.cadre_code
