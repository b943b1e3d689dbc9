select
    e.cadre_code as code,
    e.full_name,
    e.gender,
    e.birth_year,
    e.group_code,
    e.group_name,
    e.unit_code,
    e.unit_name,
    e.position_title,
    e.is_head,
    l.total,
    l.points_level,
    l.final_level,
    l.moved_by_quota,
    row_number() over (order by e.cadre_code) as seq
from evaluated_cadres e
join cadre_levels l using (cadre_code)
order by e.cadre_code
