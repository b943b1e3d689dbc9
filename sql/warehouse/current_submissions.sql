-- The newest loaded file for each (cycle, unit, kind, scope) that the board has not rejected:
-- what the scores use. A version whose latest review decision is 'reject' stops counting, so
-- the newest earlier version that still counts (if any) is current again.
create or replace view current_submissions as
with latest_decision as (
    select file_hash, decision
    from review_decisions
    qualify row_number() over (partition by file_hash order by seq desc) = 1
),
counting as (
    select s.*
    from submissions s
    left join latest_decision d on d.file_hash = s.file_hash
    where s.status = 'loaded' and coalesce(d.decision, 'none') <> 'reject'
)
select *
from counting
qualify row_number() over (
    partition by cycle, unit_code, kind, scope
    order by received_at desc, file_hash desc
) = 1
