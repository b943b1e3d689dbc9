-- How each collective's level was reached: the unit's own proposal, then every rule that
-- lowered it, in order.
select subject_code as unit_code, step, from_level, to_level, reason, rule_ref
from unit_explanations
order by subject_code, step_order
