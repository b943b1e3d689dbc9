select e.cadre_code, e.full_name, e.position_title, e.unit_name, e.group_name, e.framework,
    e.months_worked, e.months_off, l.total, l.points_level, l.final_level, l.moved_by_quota
from evaluated_cadres e
join cadre_levels l using (cadre_code)
where e.cadre_code = $cadre
