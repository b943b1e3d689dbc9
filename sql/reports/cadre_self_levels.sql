select cadre_code, min(proposed_level) as self_proposed_level
from cur_self_assessment
where cycle = $cycle
group by cadre_code
