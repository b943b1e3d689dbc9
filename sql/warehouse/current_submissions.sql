-- The newest loaded file for each (cycle, unit, kind, scope): what the scores use.
create or replace view current_submissions as
select *
from submissions
where status = 'loaded'
qualify row_number() over (
    partition by cycle, unit_code, kind, scope
    order by received_at desc, file_hash desc
) = 1
