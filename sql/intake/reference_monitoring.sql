select cadre_code, commune_code from cur_monitoring where cycle = $cycle
