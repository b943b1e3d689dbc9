-- Posts held at some time during the cycle's year.
select cadre_code, unit_code, position_code, is_head, start_date, end_date
from cur_posts
where cycle = $cycle
  and start_date <= make_date($cycle, 12, 31)
  and coalesce(end_date, make_date($cycle, 12, 31)) >= make_date($cycle, 1, 1)
