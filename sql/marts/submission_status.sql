-- Completeness and timeliness of each expected submission: received (any file), accepted
-- (a loaded version exists), on time (the first accepted version arrived by the deadline).
create or replace table submission_status as
with files as (
    select
        unit_code,
        kind,
        scope,
        count(*) as files,
        count(*) filter (where status = 'loaded') as loaded,
        count(*) filter (where status = 'quarantined') as quarantined,
        min(received_at) filter (where status = 'loaded') as first_loaded_at
    from submissions
    where cycle = $cycle
    group by unit_code, kind, scope
)
select
    e.unit_code,
    e.unit_name,
    e.kind,
    e.scope,
    e.due_date,
    coalesce(f.files, 0) > 0 as received,
    coalesce(f.loaded, 0) > 0 as accepted,
    coalesce(f.quarantined, 0) as quarantined_files,
    coalesce(f.first_loaded_at::date <= e.due_date, false) as on_time
from expected_submissions e
left join files f using (unit_code, kind, scope)
order by e.kind, e.unit_code, e.scope
