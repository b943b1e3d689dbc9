-- Refused files with no accepted version for the same unit, kind and period since, with
-- their first errors as the unit's report states them.
with refused as (
    select s.*
    from submissions s
    where s.cycle = $cycle and s.status = 'quarantined'
      and not exists (
          select 1 from submissions t
          where t.status = 'loaded' and t.cycle = s.cycle and t.unit_code = s.unit_code
            and t.kind = s.kind and t.scope = s.scope and t.received_at >= s.received_at
      )
)
select
    r.unit_code,
    r.file_name,
    r.kind,
    r.scope,
    r.n_errors,
    list(
        concat_ws(': ',
            nullif(concat_ws(', ',
                case when f.row_no is not null then 'dòng ' || f.row_no end,
                case when f.column_name is not null then 'cột ' || f.column_name end), ''),
            f.message)
        order by f.seq
    ) filter (where f.severity = 'error') as messages
from refused r
left join findings f on f.file_hash = r.file_hash
group by all
order by r.unit_code, r.file_name
