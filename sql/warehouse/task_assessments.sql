-- One year-end self-assessment row per (cycle, task, cadre): the row the task's score is
-- taken from and the row the dossier prints (achieved value, evidence, obstacles,
-- proposals). By task and cadre, not by sender: a transferred cadre reports from the new
-- unit; should two units report the same task of the same cadre, the first by file and row
-- is taken, in both places alike.
create or replace view task_assessments as
select *
from cur_self_assessment
qualify row_number() over (
    partition by cycle, task_code, cadre_code order by file_hash, row_no
) = 1
