select p.cadre_code, coalesce(u.unit_name, p.unit_code) as unit_name, p.position_title,
    p.start_date, p.end_date
from cur_posts p
join evaluated_cadres e using (cadre_code)
left join cur_units u on u.unit_code = p.unit_code and u.cycle = p.cycle
where p.cycle = $cycle
  and p.start_date <= make_date($cycle, 12, 31)
  and coalesce(p.end_date, make_date($cycle, 12, 31)) >= make_date($cycle, 1, 1)
order by p.cadre_code, p.start_date
