select subject_code as cadre_code, step, from_level, to_level, reason, rule_ref
from level_explanations
order by subject_code, step_order
