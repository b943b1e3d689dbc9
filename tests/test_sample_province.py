"""The rules over the whole sample province (about 245 cadres): intake and scoring as plain
functions, no rendering, so the full-size province fits in the test run."""

from __future__ import annotations

import json
import math

import pytest

from danhgia.classify import replay
from danhgia.explain import explain
from danhgia.intake.collect import collect
from danhgia.intake.storage import LocalStore
from danhgia.sample.generator import generate_province
from danhgia.scoring import build_scores
from danhgia.warehouse import connect

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, config):
    root = tmp_path_factory.mktemp("sample") / "data"
    generate_province(root, config, size="sample", seed=2025)
    con = connect(root / "warehouse.duckdb")
    outcomes = collect(con, root / "inbox", LocalStore(root / "store"), config)
    build_scores(con, config)
    manifest = json.loads((root / "sample_manifest.json").read_text(encoding="utf-8"))
    yield con, outcomes, manifest
    con.close()


def test_faults_end_as_the_manifest_expects(warehouse):
    _, outcomes, manifest = warehouse
    by_file = {o.file_name: o for o in outcomes}
    for fault in manifest["faults"]:
        if fault["expected"] == "quarantined":
            assert by_file[fault["file"].split("/")[-1]].status == "quarantined"
        elif fault["expected"] == "late":
            outcome = by_file[fault["file"].split("/")[-1]]
            assert outcome.status == "loaded" and outcome.late
        elif fault["expected"] == "normalised":
            assert by_file[fault["file"].split("/")[-1]].status == "loaded"
    refused = [o for o in outcomes if o.status == "quarantined"]
    assert len(refused) == sum(f["expected"] == "quarantined" for f in manifest["faults"])


def test_explanations_replay_to_every_final_level(warehouse):
    con, _, manifest = warehouse
    levels = con.execute("select cadre_code, final_level from cadre_levels").fetchall()
    assert len(levels) == manifest["cadre_count"]
    replayed = replay(con.execute("select * from level_explanations").df())
    assert len(replayed) == len(levels)
    for code, level in levels:
        assert replayed[code] == level, code


def test_quota_never_exceeded_and_no_head_above_unit(warehouse, config):
    con, _, _ = warehouse
    rate = config.excellent_quota.rate
    for group, excellent, base in con.execute(
        "select group_code, count(*) filter (where final_level = 'HTXSNV'), "
        "count(*) filter (where final_level in ('HTXSNV', 'HTTNV')) "
        "from cadre_levels group by group_code"
    ).fetchall():
        assert excellent <= math.floor(rate * base + 1e-9), group
    order = {"HTXSNV": 4, "HTTNV": 3, "HTNV": 2, "KHTNV": 1}
    for code, level, unit_level in con.execute(
        "select l.cadre_code, l.final_level, u.final_level from cadre_levels l "
        "join evaluated_cadres e using (cadre_code) join unit_levels u using (unit_code) "
        "where e.is_head and l.final_level is not null"
    ).fetchall():
        assert order[level] <= order[unit_level], code


def test_the_quota_binds_in_the_sample_and_says_so(warehouse):
    con, _, _ = warehouse
    moved = con.execute("select count(*) from level_explanations where step = 'quota'").fetchall()[
        0
    ][0]
    flagged = con.execute("select count(*) from cadre_levels where moved_by_quota").fetchall()[0][0]
    assert moved == flagged > 0


def test_every_cadre_can_be_explained(warehouse, config):
    con, _, _ = warehouse
    for (code,) in con.execute("select cadre_code from cadre_levels").fetchall():
        text = explain(con, config, code)
        assert code in text and "Kết quả:" in text
