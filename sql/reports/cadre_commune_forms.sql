select f.cadre_code, coalesce(u.unit_name, f.sender_code) as commune_name, f.visits,
    f.meetings, f.has_plan, f.reports_on_time, f.level, f.recommend_commendation,
    f.request_replacement, f.comment
from cur_commune_forms f
left join cur_units u on u.unit_code = f.sender_code and u.cycle = f.cycle
where f.cycle = $cycle
order by f.cadre_code, f.sender_code
