"""Kill a run at its worst moments (SIGKILL mid-parse, mid-load, mid-render), run it again,
and the warehouse and the dossiers end exactly as after an uninterrupted run: loads are
transactions, files are written to a temporary name and renamed.

The run is the annual pipeline's own functions in a child process (what the Prefect tasks
call), so the kill lands inside them. ``make stress`` repeats every kill point
DANHGIA_STRESS_ROUNDS times (20); the default test run does each once."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from pypdf import PdfReader

from danhgia.scoring import MART_TABLES
from danhgia.warehouse import table_checksums
from tests.conftest import copy_province

pytestmark = pytest.mark.slow
ROUNDS = int(os.environ.get("DANHGIA_STRESS_ROUNDS", "1"))
TABLES = ["submissions", "findings", *MART_TABLES]

PIPELINE = """
import os, signal, sys
from pathlib import Path
import danhgia.intake.collect as collect_mod
import danhgia.render as render_mod
from danhgia.cycle_config import load_cycle_config
from danhgia.dossiers import cadre_contexts
from danhgia.intake.quarantine import quarantine
from danhgia.intake.storage import LocalStore
from danhgia.publish import render_cadre_dossiers
from danhgia.scoring import build_scores
from danhgia.settings import PROJECT_ROOT
from danhgia.warehouse import open_warehouse

root, kill_at, after = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
calls = {"n": 0}

def killer(original):
    def wrapped(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > after:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)
    return wrapped

if kill_at == "parse":
    collect_mod.check_schema = killer(collect_mod.check_schema)
elif kill_at == "load":
    collect_mod.insert_frame = killer(collect_mod.insert_frame)
elif kill_at == "render":
    render_mod.Renderer.render = killer(render_mod.Renderer.render)

config = load_cycle_config(PROJECT_ROOT / "cycles" / "2025.yaml")
store = LocalStore(root / "store")
with open_warehouse(root / "warehouse.duckdb") as con:
    for o in collect_mod.collect(con, root / "inbox", store, config):
        if o.status == "quarantined":
            quarantine(o, store.path_of(o.stored), root / "quarantine", config.cycle)
    build_scores(con, config)
    contexts = cadre_contexts(con, config)[:6]
render_cadre_dossiers(contexts, root / "output", PROJECT_ROOT / "report_templates", 1, 2025)
"""


def run_pipeline(root: Path, kill_at: str = "none", after: int = 0) -> int:
    proc = subprocess.run(
        [sys.executable, "-c", PIPELINE, str(root), kill_at, str(after)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode not in (0, -signal.SIGKILL):
        raise AssertionError(proc.stderr[-3000:])
    return proc.returncode


def state(root: Path) -> tuple[dict, dict]:
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        sums = table_checksums(con, TABLES)
    pdfs = {
        str(p.relative_to(root / "output")): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / "output").rglob("*.pdf"))
    }
    return sums, pdfs


@pytest.fixture(scope="module")
def reference(small_inbox, tmp_path_factory) -> tuple[dict, dict]:
    root = copy_province(small_inbox, tmp_path_factory.mktemp("reference") / "data")
    assert run_pipeline(root) == 0
    return state(root)


@pytest.mark.parametrize("round_", range(ROUNDS))
@pytest.mark.parametrize(
    ("kill_at", "first", "span"),
    # the kill lands on the n-th call: files 30-49 of 67 parsed, a load among the first ~20
    # files, dossiers 1-5 of the 6 rendered; each stress round moves it one call further
    [("parse", 30, 20), ("load", 40, 20), ("render", 1, 5)],
)
def test_killed_run_then_rerun_equals_an_uninterrupted_run(
    reference, small_inbox, tmp_path, kill_at: str, first: int, span: int, round_: int
) -> None:
    after = first + round_ % span
    root = copy_province(small_inbox, tmp_path / "data")
    assert run_pipeline(root, kill_at, after) == -signal.SIGKILL
    assert run_pipeline(root) == 0
    sums, pdfs = state(root)
    assert sums == reference[0]
    assert pdfs == reference[1]
    leftovers = [p for p in root.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    for pdf in (root / "output").rglob("*.pdf"):
        assert len(PdfReader(pdf).pages) >= 1
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        dup = con.execute(
            "select count(*) - count(distinct (file_hash, row_no)) from raw_self_assessment"
        ).fetchall()[0][0]
    assert dup == 0
