-- What the communes said of the cadre who monitored them (seed 004), as a share of the
-- criterion's points, with the counts the board reads.
create or replace table commune_form_scores as
select
    f.cadre_code,
    count(*) as n_forms,
    avg(s.share) as mean_share,
    sum(f.visits) as visits,
    sum(f.meetings) as meetings,
    count(*) filter (where f.has_plan) as with_plan,
    count(*) filter (where f.reports_on_time) as reports_on_time,
    count(*) filter (where f.recommend_commendation) as commendations,
    count(*) filter (where f.request_replacement) as replacement_requests
from cur_commune_forms f
join cfg_level_shares s on s.scale = 'commune_forms' and s.level = f.level
where f.cycle = $cycle
group by f.cadre_code
order by f.cadre_code
