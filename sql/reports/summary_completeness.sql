select kind, count(*) as expected, count(*) filter (where received) as received,
    count(*) filter (where accepted) as accepted, count(*) filter (where on_time) as on_time
from submission_status
group by kind
order by kind
