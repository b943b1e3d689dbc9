select member_code, unit_code from cur_council_members where cycle = $cycle
