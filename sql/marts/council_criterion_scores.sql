-- The advisory council's scores per cadre and criterion (seed 001): the mean of the
-- members' scores, or with enough members the mean without the highest and the lowest;
-- a wide spread between members is flagged for the board.
create or replace table council_criterion_scores as
with sheets as (
    select cadre_code, criterion_code, score
    from cur_council_scores
    where cycle = $cycle
),
summed as (
    select
        cadre_code,
        criterion_code,
        count(*) as n_members,
        avg(score) as mean_score,
        min(score) as min_score,
        max(score) as max_score,
        sum(score) as sum_score
    from sheets
    group by cadre_code, criterion_code
)
select
    s.cadre_code,
    s.criterion_code,
    s.n_members,
    s.mean_score,
    s.min_score,
    s.max_score,
    case
        when s.n_members >= $trim_from_members
            then (s.sum_score - s.min_score - s.max_score) / (s.n_members - 2)
        else s.mean_score
    end as aggregated_score,
    s.n_members >= $trim_from_members as trimmed,
    (s.max_score - s.min_score) > $spread_flag_share * c.points as spread_flag
from summed s
join evaluated_cadres e on e.cadre_code = s.cadre_code
join cfg_criteria c on c.framework = e.framework and c.criterion_code = s.criterion_code
order by s.cadre_code, s.criterion_code
