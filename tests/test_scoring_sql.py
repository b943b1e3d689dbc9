"""Worked examples of the scoring SQL on a hand-made warehouse, each computed by hand.

Rows are loaded the way intake loads them (a submissions row, then the raw rows), so the SQL
runs exactly as in production."""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest

from danhgia.kinds import KINDS
from danhgia.scoring import build_scores
from danhgia.warehouse import connect, insert_frame

_seq = itertools.count()
Y = 2025


def load(con, kind: str, sender: str, rows: list[dict], scope: str = "CN") -> None:
    file_hash = f"h{next(_seq):04d}"
    insert_frame(
        con,
        "submissions",
        pd.DataFrame(
            [
                {
                    "file_hash": file_hash,
                    "cycle": Y,
                    "unit_code": sender,
                    "kind": kind,
                    "scope": scope,
                    "file_name": f"{kind}.xlsx",
                    "stored_path": "x",
                    "received_at": dt.datetime(Y, 1, 2),
                    "status": "loaded",
                    "n_rows": len(rows),
                }
            ]
        ),
    )
    cols = KINDS[kind].column_names
    frame = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    frame.insert(0, "row_no", range(4, 4 + len(rows)))
    frame.insert(0, "file_hash", file_hash)
    insert_frame(con, f"raw_{kind}", frame.astype(object).where(frame.notna(), None))


@pytest.fixture
def province(tmp_path, config):
    """One department S1 with a head CB1 and a deputy CB2; five council members elsewhere."""
    con = connect(tmp_path / "w.duckdb")
    load(
        con,
        "units",
        "TU",
        [
            {"unit_code": "TU", "unit_name": "Tỉnh ủy", "unit_kind": "TINH"},
            {"unit_code": "S1", "unit_name": "Sở Một", "unit_kind": "SO", "parent_code": "TU"},
            {"unit_code": "S2", "unit_name": "Sở Hai", "unit_kind": "SO", "parent_code": "TU"},
        ],
    )
    load(
        con,
        "cadres",
        "TU",
        [
            {"cadre_code": "CB1", "full_name": "Người Một", "gender": "Nam", "birth_year": 1970},
            {"cadre_code": "CB2", "full_name": "Người Hai", "gender": "Nữ", "birth_year": 1975},
        ],
    )
    load(
        con,
        "posts",
        "TU",
        [
            {
                "cadre_code": "CB1",
                "unit_code": "S1",
                "position_code": "GD_SO",
                "position_title": "Giám đốc",
                "is_head": True,
                "start_date": dt.date(2020, 1, 1),
            },
            {
                "cadre_code": "CB2",
                "unit_code": "S1",
                "position_code": "PGD_SO",
                "position_title": "Phó Giám đốc",
                "is_head": False,
                "start_date": dt.date(2020, 1, 1),
            },
        ],
    )
    load(
        con,
        "collective",
        "S1",
        [
            {
                "unit_code": "S1",
                "planned_tasks": 10,
                "completed_tasks": 10,
                "subordinate_units": 0,
                "subordinate_khtnv": 0,
                "leader_disciplined": False,
                "proposed_level": "HTXSNV",
            }
        ],
    )
    yield con
    con.close()


def task(code, cadre, target, deadline, weight=1.0, long_term=False, milestone=None):
    return {
        "task_code": code,
        "cadre_code": cadre,
        "origin": "Được giao",
        "content": code,
        "measure_unit": "%",
        "target": target,
        "deadline": deadline,
        "weight": weight,
        "long_term": long_term,
        "milestone": milestone,
    }


def done(code, cadre, achieved, on, completed=True):
    return {
        "task_code": code,
        "cadre_code": cadre,
        "achieved": achieved,
        "completed": completed,
        "completed_on": on,
        "proposed_level": "HTXSNV",
    }


def test_late_task_loses_its_timeliness_share(province, config):
    # T1: target 10, achieved 10 on time         -> score 1.00
    # T2: target 10, achieved 10, 10 days late   -> 1.00 x (1 - 0.25) = 0.75
    # T3: target 10, achieved 15, on time        -> min(1.5, cap 1.2) = 1.20, exceeded
    # T4 (long-term): target 100, milestone 40, achieved 40 -> judged by milestone: 1.00
    con = province
    june = dt.date(Y, 6, 30)
    load(
        con,
        "task_register",
        "S1",
        [
            task("T1", "CB2", 10, june),
            task("T2", "CB2", 10, june),
            task("T3", "CB2", 10, june),
            task("T4", "CB2", 100, june, long_term=True, milestone=40),
        ],
    )
    load(
        con,
        "self_assessment",
        "S1",
        [
            done("T1", "CB2", 10, june),
            done("T2", "CB2", 10, june + dt.timedelta(days=10)),
            done("T3", "CB2", 15, june),
            done("T4", "CB2", 40, None, completed=False),
        ],
    )
    build_scores(con, config)
    rows = dict(
        con.execute("select task_code, score from task_scores where cadre_code = 'CB2'").fetchall()
    )
    assert rows == pytest.approx({"T1": 1.0, "T2": 0.75, "T3": 1.2, "T4": 1.0})
    late, on_time, exceeded = con.execute(
        "select count(*) filter (where late), count(*) filter (where on_time), "
        "count(*) filter (where exceeded) from task_scores where cadre_code = 'CB2'"
    ).fetchall()[0]
    assert (late, on_time, exceeded) == (1, 3, 1)
    # KQ1 share = min(1, (1 + 0.75 + 1.2 + 1) / 4) = min(1, 0.9875) = 0.9875.
    # The deputy framework gives KQ1 60 points + KQ3's 10 (no commune forms) = 70 points:
    # 70 x 0.9875 = 69.125 -> 69.13 (rounded to 2 decimals, half away from zero... DuckDB: 69.13)
    kq1 = con.execute(
        "select effective_points, score from criterion_scores "
        "where cadre_code = 'CB2' and criterion_code = 'KQ1'"
    ).fetchall()[0]
    assert kq1[0] == 70
    assert kq1[1] == pytest.approx(69.13, abs=0.006)


def test_five_council_members_drop_the_highest_and_the_lowest(province, config):
    # CB1 on TC1 (5 points) by five members: 5, 4.5, 4, 4, 2
    # 5 members >= trim_from_members (5): drop 5 and 2 -> (4.5 + 4 + 4) / 3 = 4.1667
    # the plain mean would be 19.5 / 5 = 3.9; spread 5 - 2 = 3 > 0.4 x 5 = 2 -> flagged
    con = province
    load(
        con,
        "council_members",
        "TU",
        [
            {"member_code": f"TV{i}", "full_name": f"Thành viên {i}", "unit_code": "S2"}
            for i in range(1, 6)
        ],
    )
    for i, score in enumerate([5, 4.5, 4, 4, 2], start=1):
        load(
            con,
            "council_scores",
            "TU",
            [
                {
                    "member_code": f"TV{i}",
                    "cadre_code": "CB1",
                    "criterion_code": "TC1",
                    "score": score,
                }
            ],
            scope=f"TV{i}",
        )
    build_scores(con, config)
    n, mean, agg, trimmed, flag = con.execute(
        "select n_members, mean_score, aggregated_score, trimmed, spread_flag "
        "from council_criterion_scores where cadre_code = 'CB1' and criterion_code = 'TC1'"
    ).fetchall()[0]
    assert n == 5 and trimmed and flag
    assert mean == pytest.approx(3.9)
    assert agg == pytest.approx(12.5 / 3)
    points = con.execute(
        "select score from criterion_scores where cadre_code = 'CB1' and criterion_code = 'TC1'"
    ).fetchall()[0][0]
    assert points == pytest.approx(4.17, abs=0.006)  # 5 points x 4.1667 / 5


def test_four_members_use_the_plain_mean(province, config):
    con = province
    load(
        con,
        "council_members",
        "TU",
        [
            {"member_code": f"TV{i}", "full_name": f"Thành viên {i}", "unit_code": "S2"}
            for i in range(1, 5)
        ],
    )
    for i, score in enumerate([5, 4, 4, 2], start=1):
        load(
            con,
            "council_scores",
            "TU",
            [
                {
                    "member_code": f"TV{i}",
                    "cadre_code": "CB1",
                    "criterion_code": "TC1",
                    "score": score,
                }
            ],
            scope=f"TV{i}",
        )
    build_scores(con, config)
    agg, trimmed = con.execute(
        "select aggregated_score, trimmed from council_criterion_scores"
    ).fetchall()[0]
    assert not trimmed and agg == pytest.approx(15 / 4)


def test_head_result_counts_half_when_a_subordinate_unit_failed(province, config):
    # S1's collective: 10/10 tasks, proposed HTXSNV -> HTXSNV (share 1.0);
    # a resubmission with 1 subordinate unit KHTNV -> factor 0.5: KQ2 = 20 x 1.0 x 0.5 = 10
    con = province
    build_scores(con, config)
    full = con.execute(
        "select score from criterion_scores where cadre_code = 'CB1' and criterion_code = 'KQ2'"
    ).fetchall()[0][0]
    assert full == 20
    load(
        con,
        "collective",
        "S1",
        [
            {
                "unit_code": "S1",
                "planned_tasks": 10,
                "completed_tasks": 10,
                "subordinate_units": 4,
                "subordinate_khtnv": 1,
                "leader_disciplined": False,
                "proposed_level": "HTXSNV",
            }
        ],
    )
    con.execute(
        "update submissions set received_at = received_at + interval 1 day "
        "where file_hash = (select max(file_hash) from submissions)"
    )
    build_scores(con, config)
    half = con.execute(
        "select score from criterion_scores where cadre_code = 'CB1' and criterion_code = 'KQ2'"
    ).fetchall()[0][0]
    assert half == 10


def test_quarterly_provisional_level(province, config):
    # T1 target 100: Q1 achieved 20 of the expected 25 -> 0.8 -> 80 points -> HTTNV;
    # Q2 achieved 50 of 50 -> 1.0 -> 100 -> HTXSNV; Q3 achieved 30 of 75 -> 40 -> KHTNV
    con = province
    load(con, "task_register", "S1", [task("T1", "CB2", 100, dt.date(Y, 11, 30))])
    for quarter, achieved in (("Q1", 20), ("Q2", 50), ("Q3", 30)):
        load(
            con,
            "quarterly_progress",
            "S1",
            [{"task_code": "T1", "cadre_code": "CB2", "achieved": achieved}],
            scope=quarter,
        )
    build_scores(con, config)
    got = dict(
        con.execute(
            "select quarter, provisional_level from quarterly_levels where cadre_code = 'CB2'"
        ).fetchall()
    )
    assert got == {"Q1": "HTTNV", "Q2": "HTXSNV", "Q3": "KHTNV"}


def test_rebuilding_gives_identical_tables(province, config):
    from danhgia.scoring import MART_TABLES
    from danhgia.warehouse import table_checksums

    build_scores(province, config)
    first = table_checksums(province, MART_TABLES)
    build_scores(province, config)
    assert table_checksums(province, MART_TABLES) == first


def test_board_excused_late_task_keeps_full_score(province, config):
    # T1 finished 10 days late: 0.75 ... the board confirms an objective cause -> 1.00, on time
    con = province
    june = dt.date(Y, 6, 30)
    load(con, "task_register", "S1", [task("T1", "CB2", 10, june)])
    load(con, "self_assessment", "S1", [done("T1", "CB2", 10, june + dt.timedelta(days=10))])
    build_scores(con, config)
    assert con.execute("select score from task_scores").fetchall()[0][0] == pytest.approx(0.75)
    load(
        con,
        "excusals",
        "TU",
        [
            {
                "cadre_code": "CB2",
                "rule": "TRE_HAN",
                "task_code": "T1",
                "reason": "Chờ vốn Trung ương phân bổ",
                "decided_on": dt.date(Y, 12, 20),
            }
        ],
    )
    build_scores(con, config)
    score, on_time, late = con.execute("select score, on_time, late from task_scores").fetchall()[0]
    assert (score, on_time, late) == (pytest.approx(1.0), True, False)


def test_major_errors_found_by_inspection_take_their_share_off(province, config):
    # T1 on time with 1 major error: 1.00 x (1 - 0.25) = 0.75
    # T2 late (0.25) and 2 major errors (2 x 0.25): 1.00 x (1 - 0.25 - 0.50) = 0.25
    # T3 on time with 5 errors: the penalty never goes below zero -> 0.00
    con = province
    june = dt.date(Y, 6, 30)
    load(con, "task_register", "S1", [task(c, "CB2", 10, june) for c in ("T1", "T2", "T3")])
    load(
        con,
        "self_assessment",
        "S1",
        [
            done("T1", "CB2", 10, june),
            done("T2", "CB2", 10, june + dt.timedelta(days=3)),
            done("T3", "CB2", 10, june),
        ],
    )
    load(
        con,
        "inspections",
        "TU",
        [
            {
                "cadre_code": "CB2",
                "task_code": code,
                "major_errors": n,
                "finding": "Sai số liệu",
                "decided_on": dt.date(Y, 9, 1),
            }
            for code, n in (("T1", 1), ("T2", 2), ("T3", 5))
        ],
    )
    build_scores(con, config)
    rows = dict(con.execute("select task_code, score from task_scores").fetchall())
    assert rows == pytest.approx({"T1": 0.75, "T2": 0.25, "T3": 0.0})
