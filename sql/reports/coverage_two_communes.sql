select c.full_name || ' (' || string_agg(coalesce(u.unit_name, m.commune_code), ', '
    order by m.commune_code) || ')' as label
from cur_monitoring m
join cur_cadres c on c.cadre_code = m.cadre_code and c.cycle = m.cycle
left join cur_units u on u.unit_code = m.commune_code and u.cycle = m.cycle
where m.cycle = $cycle
group by c.cadre_code, c.full_name
having count(*) >= 2
order by c.cadre_code
