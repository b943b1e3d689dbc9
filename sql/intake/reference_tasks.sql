select sender_code, task_code, cadre_code, target, long_term, milestone
from cur_task_register
where cycle = $cycle
