select unit_code, unit_name, unit_kind, parent_code
from cur_units
where cycle = $cycle
