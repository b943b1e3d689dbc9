-- Completeness and timeliness by kind, the way DHIS2 reports them: of the submissions due
-- by the given date, how many were received, accepted and accepted on time.
select
    kind,
    count(*) as expected,
    count(*) filter (where received) as received,
    count(*) filter (where accepted) as accepted,
    count(*) filter (where on_time) as on_time,
    round(count(*) filter (where received) / count(*), 4) as reporting_rate,
    round(count(*) filter (where on_time) / count(*), 4) as on_time_rate
from submission_status
where due_date <= $as_of
group by kind
order by kind
