-- Every cadre evaluated this cycle: the post held last in the year decides the unit, group
-- and criteria framework; months worked add up every post held during the year.
create or replace table evaluated_cadres as
with year as (
    select make_date($cycle, 1, 1) as first_day, make_date($cycle, 12, 31) as last_day
),
posts as (
    select
        p.*,
        greatest(p.start_date, y.first_day) as from_day,
        least(coalesce(p.end_date, y.last_day), y.last_day) as to_day,
        datediff('day', y.first_day, y.last_day) + 1 as days_in_year
    from cur_posts p, year y
    where p.cycle = $cycle
),
in_year as (
    select * from posts where from_day <= to_day
),
last_post as (
    select *
    from in_year
    qualify row_number() over (
        partition by cadre_code order by from_day desc, to_day desc, unit_code
    ) = 1
),
worked as (
    select cadre_code, sum(datediff('day', from_day, to_day) + 1) as days,
        any_value(days_in_year) as days_in_year
    from in_year
    group by cadre_code
)
select
    c.cadre_code,
    c.full_name,
    c.gender,
    c.birth_year,
    l.unit_code,
    u.unit_name,
    u.unit_kind,
    l.position_code,
    l.position_title,
    l.is_head,
    g.group_code,
    g.group_name,
    g.framework,
    round(w.days / w.days_in_year * 12, 2) as months_worked,
    coalesce(c.months_off, 0) as months_off
from cur_cadres c
join last_post l using (cadre_code)
join worked w using (cadre_code)
join cfg_groups g on g.position_code = l.position_code
left join cur_units u on u.unit_code = l.unit_code and u.cycle = $cycle
where c.cycle = $cycle
order by c.cadre_code
