-- The units that get a collective dossier: every unit with an evaluated cadre or a collective
-- classification of its own, never a commune and never the board. What the unit reported of
-- its collective (the current version), its final level and whether it sent the report.
with units as (
    select unit_code from evaluated_cadres
    union
    select unit_code from cur_collective where cycle = $cycle and unit_code = sender_code
),
collective as (
    select *
    from cur_collective
    where cycle = $cycle and unit_code = sender_code
    qualify row_number() over (partition by unit_code order by file_hash, row_no) = 1
),
status as (
    select unit_code, any_value(received) as received, any_value(accepted) as accepted,
        any_value(on_time) as on_time, any_value(due_date) as due_date
    from submission_status
    where kind = 'collective'
    group by unit_code
)
select
    s.unit_code as code,
    coalesce(u.unit_name, s.unit_code) as unit_name,
    u.unit_kind,
    p.unit_name as parent_name,
    c.unit_code is not null as reported,
    c.planned_tasks,
    c.completed_tasks,
    c.subordinate_units,
    c.subordinate_khtnv,
    c.leader_disciplined,
    c.proposed_level,
    l.completion_rate,
    l.final_level,
    st.received,
    st.accepted,
    st.on_time,
    st.due_date,
    row_number() over (order by s.unit_code) as seq
from units s
left join cur_units u on u.unit_code = s.unit_code and u.cycle = $cycle
left join cur_units p on p.unit_code = u.parent_code and p.cycle = $cycle
left join collective c on c.unit_code = s.unit_code
left join unit_levels l on l.unit_code = s.unit_code
left join status st on st.unit_code = s.unit_code
where coalesce(u.unit_kind, '') not in ('XA', 'TINH') and s.unit_code <> $board
order by s.unit_code
