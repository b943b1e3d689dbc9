select s.cadre_code, s.criterion_code as code, s.criterion_name as name,
    s.effective_points as points, s.score, s.source,
    k.aggregated_score as mean, k.min_score as min, k.max_score as max,
    k.n_members, coalesce(k.spread_flag, false) as spread_flag
from criterion_scores s
left join council_criterion_scores k using (cadre_code, criterion_code)
order by s.cadre_code, s.ordinal
