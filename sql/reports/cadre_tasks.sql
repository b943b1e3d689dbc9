-- The tasks of each cadre's dossier, with what the cadre wrote beside each task in the
-- year-end self-assessment (the row the score was taken from).
select t.cadre_code, t.task_code, t.content, t.origin, t.measure_unit, t.target,
    t.year_target, t.achieved,
    case when t.achieved is null then null else t.done end as completed,
    case when t.achieved is null then null else t.on_time end as on_time,
    t.long_term, t.ratio, case when t.achieved is null then null else t.score end as score,
    t.exceeded, t.weight, t.deadline, a.evidence, a.obstacles, a.proposals
from task_scores t
left join task_assessments a
    on a.cycle = $cycle and a.task_code = t.task_code and a.cadre_code = t.cadre_code
order by t.cadre_code, t.task_code
