-- Submissions not yet accepted that are overdue or due within the horizon.
select s.unit_code, s.unit_name, s.kind, s.scope, s.due_date, s.received,
    s.quarantined_files, s.due_date < $as_of as overdue
from submission_status s
where not s.accepted and s.due_date <= $as_of + to_days($horizon_days)
order by s.unit_code, s.due_date, s.kind, s.scope
