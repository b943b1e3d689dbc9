-- What each unit owes this cycle: units whose leaders are evaluated send the task register,
-- three quarterly reports, the self-assessment and the collective's classification; each
-- commune sends a comment form on its monitoring cadre; the board's council members each
-- send a scoring sheet.
create or replace table expected_submissions as
with leader_units as (
    select distinct unit_code from evaluated_cadres where unit_kind not in ('TINH', 'XA')
),
communes as (
    select unit_code from cur_units where cycle = $cycle and unit_kind = 'XA'
),
members as (
    select member_code from cur_council_members where cycle = $cycle
),
owed as (
    select u.unit_code, d.kind, d.scope
    from leader_units u
    join cfg_deadlines d on d.kind in (
        'task_register', 'quarterly_progress', 'self_assessment', 'collective'
    )
    union all
    select c.unit_code, 'commune_forms', 'CN' from communes c
    union all
    select $board, 'council_scores', m.member_code from members m
)
select
    o.unit_code,
    coalesce(u.unit_name, o.unit_code) as unit_name,
    o.kind,
    o.scope,
    coalesce(d.due_date, dm.due_date) as due_date
from owed o
left join cfg_deadlines d on d.kind = o.kind and d.scope = o.scope
left join cfg_deadlines dm on dm.kind = o.kind and dm.scope = 'member'
left join cur_units u on u.unit_code = o.unit_code and u.cycle = $cycle
order by o.kind, o.unit_code, o.scope
