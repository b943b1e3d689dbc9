select sender_code, scope, task_code, achieved
from cur_quarterly_progress
where cycle = $cycle
