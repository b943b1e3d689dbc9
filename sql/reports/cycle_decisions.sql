select cycle, seq, decision, notes, decided_by, decided_at, flow_run_id
from cycle_decisions
where cycle = $cycle
order by seq
