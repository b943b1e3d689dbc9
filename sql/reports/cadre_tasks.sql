select cadre_code, task_code, content, origin, measure_unit, target, year_target, achieved,
    case when achieved is null then null else done end as completed,
    case when achieved is null then null else on_time end as on_time,
    long_term, ratio, case when achieved is null then null else score end as score, exceeded,
    weight, deadline
from task_scores
order by cadre_code, task_code
