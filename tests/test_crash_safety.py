"""Kill a run at its worst moments, run it again, and everything ends exactly as after an
uninterrupted run: loads are transactions, files are written to a temporary name and renamed.

Each run is the real Prefect flow in a child process of its own session, reporting to the
test's Prefect API: the collection flow killed mid-parse (while a group of files is validated) and
mid-load (inside a file's insert), the annual flow killed mid-render (by the test, from
outside, once some PDFs are on disk: the flow's process and its render workers all at once,
as a power cut or the OOM killer would). Then the annual flow runs again, uninterrupted.
``make stress`` repeats every kill point DANHGIA_STRESS_ROUNDS times (20), each round a
little further along; the default test run does each once."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from prefect.settings import PREFECT_API_URL
from pypdf import PdfReader

from danhgia.scoring import MART_TABLES
from danhgia.warehouse import table_checksums
from tests.conftest import copy_province

pytestmark = pytest.mark.slow
ROUNDS = int(os.environ.get("DANHGIA_STRESS_ROUNDS", "1"))
TABLES = ["submissions", "findings", *MART_TABLES]
PROJECT = Path(__file__).resolve().parent.parent

# The child: the flows as `danhgia run` runs them; for an in-process kill point, the
# function the flow calls is wrapped so that its n-th call kills the whole process group.
RUN = """
import os, signal, sys
import danhgia.intake.collect as collect_mod

flow_name, kill_at, after = sys.argv[1], sys.argv[2], int(sys.argv[3])
calls = {"n": 0}

def killer(original):
    def wrapped(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > after:
            os.killpg(0, signal.SIGKILL)
        return original(*args, **kwargs)
    return wrapped

if kill_at == "parse":
    collect_mod.check_schema_files = killer(collect_mod.check_schema_files)
elif kill_at == "load":
    collect_mod.insert_frame = killer(collect_mod.insert_frame)

if __name__ == "__main__":
    if flow_name == "collect":
        from flows.collect import collect_submissions
        collect_submissions(2025)
    else:
        from flows.annual import annual_cycle
        annual_cycle(2025)
"""


def start(root: Path, flow_name: str, kill_at: str = "none", after: int = 0) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT),  # this checkout, whatever the environment has installed
        "DANHGIA_DATA_DIR": str(root),
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
    }
    script = root.parent / "run_flow.py"
    script.write_text(RUN, encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, str(script), flow_name, kill_at, str(after)],
        env=env,
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the kill takes its workers too
    )


def finish(proc: subprocess.Popen, timeout: float = 900) -> int:
    _, err = proc.communicate(timeout=timeout)
    if proc.returncode not in (0, -signal.SIGKILL):
        raise AssertionError(err[-3000:])
    return proc.returncode


def kill_when_rendered(proc: subprocess.Popen, output: Path, n_pdfs: int) -> int:
    """Kill the run's whole process group once ``n_pdfs`` PDFs are on disk."""
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the run ended before {n_pdfs} PDFs were rendered")
        if sum(1 for _ in output.rglob("*.pdf")) >= n_pdfs:
            os.killpg(proc.pid, signal.SIGKILL)
            return finish(proc)
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    raise AssertionError("the run never rendered its PDFs")


def state(root: Path) -> tuple[dict, dict]:
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        sums = table_checksums(con, TABLES)
    pdfs = {
        str(p.relative_to(root / "output")): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / "output").rglob("*.pdf"))
    }
    return sums, pdfs


@pytest.fixture(scope="module")
def reference(prefect_harness, small_inbox, tmp_path_factory) -> tuple[dict, dict]:
    root = copy_province(small_inbox, tmp_path_factory.mktemp("reference") / "data")
    assert finish(start(root, "annual")) == 0
    return state(root)


@pytest.mark.parametrize("round_", range(ROUNDS))
@pytest.mark.parametrize(
    ("flow_name", "kill_at", "first", "span"),
    # the kill lands on the n-th call: validation of groups 5-18 of the 20 (a kind and
    # period each), loads 10-49 of 59; after 3-22 of the 36 PDFs; each stress round moves
    # it one step further
    [
        ("collect", "parse", 5, 14),
        ("collect", "load", 10, 40),
        ("annual", "render", 3, 20),
    ],
)
def test_killed_run_then_rerun_equals_an_uninterrupted_run(
    reference,
    small_inbox,
    tmp_path,
    flow_name: str,
    kill_at: str,
    first: int,
    span: int,
    round_: int,
) -> None:
    after = first + round_ % span
    root = copy_province(small_inbox, tmp_path / "data")
    if kill_at == "render":
        proc = start(root, flow_name)
        assert kill_when_rendered(proc, root / "output", after) == -signal.SIGKILL
        rendered_before = sum(1 for _ in (root / "output").rglob("*.pdf"))
        assert 0 < rendered_before < len(reference[1])  # the kill did land mid-render
    else:
        assert finish(start(root, flow_name, kill_at, after)) == -signal.SIGKILL
    assert finish(start(root, "annual")) == 0

    sums, pdfs = state(root)
    assert sums == reference[0]
    assert pdfs == reference[1]
    leftovers = [p for p in root.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    for pdf in (root / "output").rglob("*.pdf"):
        assert len(PdfReader(pdf).pages) >= 1
    listed = json.loads((root / "output" / "2025" / "danh-muc-ho-so.json").read_text("utf-8"))
    assert sorted(e["file"] for e in listed) == sorted(
        p.split("/", 1)[1] for p in pdfs if "/" in p.split("/", 1)[1]
    )
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        dup = con.execute(
            "select count(*) - count(distinct (file_hash, row_no)) from raw_self_assessment"
        ).fetchall()[0][0]
        stored = con.execute("select count(*), count(distinct file_hash) from submissions")
        n, distinct = stored.fetchall()[0]
    assert dup == 0
    assert n == distinct  # no file logged twice
