-- Year over year (seed 002): how many cadres of each group at each level, this cycle against
-- the previous one as the board recorded it.
create or replace table level_distribution as
with this_year as (
    select e.group_code, coalesce(l.final_level, 'KXL') as level, count(*) as n
    from cadre_levels l
    join evaluated_cadres e using (cadre_code)
    group by all
),
last_year as (
    select group_code, level, sum(count) as n
    from cur_previous_levels
    where cycle = $cycle
    group by all
),
cells as (
    select g.group_code, g.group_name, v.level, v.ordinal
    from (select distinct group_code, group_name from cfg_groups) g
    cross join (
        values ('HTXSNV', 1), ('HTTNV', 2), ('HTNV', 3), ('KHTNV', 4), ('KXL', 5)
    ) v(level, ordinal)
)
select
    c.group_code,
    c.group_name,
    c.level,
    c.ordinal,
    coalesce(t.n, 0) as this_year,
    coalesce(p.n, 0) as previous_year,
    coalesce(t.n, 0) - coalesce(p.n, 0) as change
from cells c
left join this_year t using (group_code, level)
left join last_year p using (group_code, level)
order by c.group_code, c.ordinal
