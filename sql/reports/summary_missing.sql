select unit_code, unit_name, kind, scope, received
from submission_status
where not accepted
order by kind, unit_code, scope
