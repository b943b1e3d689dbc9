select u.unit_name
from cur_units u
where u.cycle = $cycle and u.unit_kind = 'XA'
  and u.unit_code not in (select commune_code from cur_monitoring where cycle = $cycle)
order by u.unit_code
