-- Monitoring cadres whose every post ended before the year's end.
select c.full_name
from cur_cadres c
where c.cycle = $cycle
  and c.cadre_code in (select cadre_code from cur_monitoring where cycle = $cycle)
  and not exists (
      select 1 from cur_posts p
      where p.cycle = $cycle and p.cadre_code = c.cadre_code
        and coalesce(p.end_date, make_date($cycle, 12, 31)) >= make_date($cycle, 12, 31)
  )
order by c.cadre_code
