select cadre_code, full_name from cur_cadres where cycle = $cycle
