-- The best cumulative value reported for each task in the quarters before $scope.
select task_code, max(achieved) as earlier
from cur_quarterly_progress
where cycle = $cycle and scope < $scope and task_code is not null
group by task_code
