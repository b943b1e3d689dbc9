-- What each unit reported of its collective, for classifying collectives before heads.
select
    unit_code,
    proposed_level,
    planned_tasks,
    completed_tasks,
    subordinate_units,
    subordinate_khtnv,
    leader_disciplined
from cur_collective
where cycle = $cycle and unit_code = sender_code
order by unit_code
