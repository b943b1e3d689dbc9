select group_code, level, sum(count) as n
from cur_previous_levels
where cycle = $cycle
group by all
order by group_code, level
