"""The whole annual cycle, end to end, on a generated small province: real Prefect flows,
a real DuckDB file, real PDFs read back."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import unicodedata
import warnings
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from prefect import task
from prefect.artifacts import create_table_artifact
from prefect.logging import get_run_logger
from pypdf import PdfReader

from danhgia.scoring import MART_TABLES
from danhgia.vnformat import format_number, level_name
from danhgia.warehouse import table_checksums
from tests.conftest import (
    DataDir,
    RunLogCapture,
    copy_province,
    find_leaks,
    personal_data,
    prefect_api_texts,
)

pytestmark = pytest.mark.slow

WAREHOUSE_TABLES = ["submissions", "findings", *MART_TABLES]


def pdf_text(path: Path) -> str:
    """The PDF's text with line breaks folded, as a reader would read it."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def file_digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.pdf"))
    }


@pytest.fixture(scope="module")
def run(prefect_harness, small_inbox: Path, tmp_path_factory) -> dict:
    from flows.annual import annual_cycle

    root = copy_province(small_inbox, tmp_path_factory.mktemp("run") / "data")
    with DataDir(root):
        first = annual_cycle(2025)
        with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
            sums_first = table_checksums(con, WAREHOUSE_TABLES)
        pdfs_first = file_digests(root / "output")
        second = annual_cycle(2025)
        with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
            sums_second = table_checksums(con, WAREHOUSE_TABLES)
        pdfs_second = file_digests(root / "output")
    manifest = json.loads((root / "sample_manifest.json").read_text(encoding="utf-8"))
    return {
        "root": root,
        "first": first,
        "second": second,
        "sums": (sums_first, sums_second),
        "pdfs": (pdfs_first, pdfs_second),
        "manifest": manifest,
    }


@pytest.fixture(scope="module")
def con(run: dict):
    with duckdb.connect(str(run["root"] / "warehouse.duckdb"), read_only=True) as c:
        yield c


def test_every_file_is_either_loaded_or_quarantined(run, con):
    sent = [f for f in run["manifest"]["files"]]
    logged = con.execute("select count(*), count(distinct file_hash) from submissions").fetchall()
    assert logged[0][0] == logged[0][1] == len(sent)
    stored = list((run["root"] / "store").rglob("*.xlsx"))
    assert len(stored) == len(sent)
    statuses = {r[0] for r in con.execute("select distinct status from submissions").fetchall()}
    assert statuses == {"loaded", "quarantined"}


def test_faulty_files_are_quarantined_with_a_vietnamese_report(run, con):
    faults = [f for f in run["manifest"]["faults"] if f["expected"] == "quarantined"]
    assert len(faults) >= 2
    for fault in faults:
        name = Path(fault["file"]).name
        status, file_hash = con.execute(
            "select status, file_hash from submissions where file_name = ?", [name]
        ).fetchall()[0]
        assert status == "quarantined", name
        folder = run["root"] / "quarantine" / fault["unit"] / file_hash[:12]
        report = (folder / "bao-cao-loi.txt").read_text(encoding="utf-8")
        assert (folder / name).exists(), "the refused file is kept beside its report"
        assert f"Tệp: {name}" in report
        assert "dòng " in report and "cột '" in report and "giá trị '" in report
        assert "quy tắc:" in report
        assert unicodedata.is_normalized("NFC", report)
    score_report = next((run["root"] / "quarantine" / "TU").rglob("bao-cao-loi.txt")).read_text(
        encoding="utf-8"
    )
    assert "giá trị '7,5'" in score_report and "score_within_criterion_points" in score_report
    assert "giá trị '-1'" in score_report


def test_wrong_codes_are_named(run):
    fault = next(f for f in run["manifest"]["faults"] if f["fault"] == "wrong_codes")
    reports = list((run["root"] / "quarantine" / fault["unit"]).rglob("bao-cao-loi.txt"))
    text = "\n".join(r.read_text(encoding="utf-8") for r in reports)
    assert fault["details"]["unknown_cadre"] in text and "cadre_exists" in text
    assert fault["details"]["unknown_task"] in text and "task_registered" in text


def test_late_file_is_loaded_and_flagged(run, con):
    fault = next(f for f in run["manifest"]["faults"] if f["expected"] == "late")
    status, late = con.execute(
        "select status, late from submissions where file_name = ?", [Path(fault["file"]).name]
    ).fetchall()[0]
    assert (status, late) == ("loaded", True)
    on_time = con.execute(
        "select on_time from submission_status where unit_code = ? and kind = ?",
        [fault["unit"], fault["kind"]],
    ).fetchall()[0][0]
    assert on_time is False


def test_decomposed_unicode_is_normalised_and_loaded(run, con):
    fault = next(f for f in run["manifest"]["faults"] if f["expected"] == "normalised")
    file_hash, status = con.execute(
        "select file_hash, status from submissions where file_name = ?",
        [Path(fault["file"]).name],
    ).fetchall()[0]
    assert status == "loaded"
    comments = [
        r[0]
        for r in con.execute(
            "select comment from raw_commune_forms where file_hash = ? and comment is not null",
            [file_hash],
        ).fetchall()
    ]
    assert comments and all(unicodedata.is_normalized("NFC", c) for c in comments)
    rules = [
        r[0]
        for r in con.execute(
            "select rule from findings where file_hash = ?", [file_hash]
        ).fetchall()
    ]
    assert "unicode_nfc" in rules


def test_unit_that_never_submitted_is_reported_missing(run, con):
    unit = run["manifest"]["specials"]["missing_unit"]
    rows = con.execute(
        "select kind, received from submission_status where unit_code = ?", [unit]
    ).fetchall()
    assert {k for k, _ in rows} == {
        "task_register",
        "quarterly_progress",
        "self_assessment",
        "collective",
    }
    assert not any(received for _, received in rows)
    unit_name = next(u["name"] for u in run["manifest"]["units"] if u["code"] == unit)
    summary = pdf_text(run["root"] / "output" / "2025" / "bao-cao-tong-hop.pdf")
    assert unit_name in summary


def test_one_dossier_per_evaluated_cadre(run, con):
    cadres = [
        r[0] for r in con.execute("select cadre_code from evaluated_cadres order by 1").fetchall()
    ]
    assert len(cadres) == run["manifest"]["cadre_count"]
    folder = run["root"] / "output" / "2025" / "ho-so-ca-nhan"
    assert sorted(p.stem for p in folder.glob("*.pdf")) == cadres
    assert (run["root"] / "output" / "2025" / "bao-cao-tong-hop.pdf").exists()


def test_dossier_numbers_equal_the_warehouse(run, con):
    rows = con.execute(
        "select e.cadre_code, e.full_name, l.total, l.final_level "
        "from evaluated_cadres e join cadre_levels l using (cadre_code) order by 1 limit 6"
    ).fetchall()
    folder = run["root"] / "output" / "2025" / "ho-so-ca-nhan"
    for code, name, total, level in rows:
        text = pdf_text(folder / f"{code}.pdf")
        assert unicodedata.is_normalized("NFC", text)
        assert name in text
        assert format_number(total, 2) in text
        assert level_name(level) in text
        tasks = con.execute(
            "select task_code from task_scores where cadre_code = ?", [code]
        ).fetchall()
        for (task_code,) in tasks:
            assert task_code in text


def test_summary_lists_each_cadre_total_and_level(run, con):
    flat = pdf_text(run["root"] / "output" / "2025" / "bao-cao-tong-hop.pdf")
    rows = con.execute(
        "select e.full_name, e.unit_name, e.group_name, l.total, l.final_level "
        "from evaluated_cadres e join cadre_levels l using (cadre_code)"
    ).fetchall()
    for name, unit, group, total, level in rows:
        line = f"{name} {unit} {group} {format_number(total, 2)} {level_name(level)}"
        assert line in flat
    index = (run["root"] / "output" / "2025" / "danh-muc-ho-so.csv").read_text("utf-8-sig")
    assert index.count("\n") == 1 + len(run["manifest"]["cadres"])


def test_second_run_changes_nothing(run):
    first, second = run["sums"]
    assert first == second
    pdfs_first, pdfs_second = run["pdfs"]
    assert pdfs_first == pdfs_second
    assert run["second"]["intake"] == []
    assert run["second"]["dossiers"]["rendered"] == 0


# --- who may see what (issue #8) -------------------------------------------------------------
# Logs and artifacts are read by everyone with access to the Prefect UI: codes and counts only.

LATE_AS_OF = dt.date(2025, 12, 16)  # a day after the self-assessments were due


@pytest.fixture(scope="module", autouse=True)
def run_logs() -> Iterator[RunLogCapture]:
    """From before the first run on: runs log at INFO as in production, kept here as well."""
    with RunLogCapture() as capture:
        yield capture


@pytest.fixture(scope="module")
def prefect_output(
    run: dict, run_logs: RunLogCapture, tmp_path_factory: pytest.TempPathFactory
) -> dict:
    """What the runs left in the Prefect API and in this process's logs, after the annual
    runs and the other flows' tasks that publish something: the quarterly report, the
    reminders and the approval request. These run as tasks (no PDFs, seconds), on a copy of
    the warehouse, as the module's open read-only connection bars writers of the file."""
    from tasks.approval import request_approval
    from tasks.completeness import send_reminders
    from tasks.quarterly import quarterly_report

    root = tmp_path_factory.mktemp("after") / "data"
    root.mkdir()
    shutil.copy2(run["root"] / "warehouse.duckdb", root / "warehouse.duckdb")
    with DataDir(root), warnings.catch_warnings():
        # a task run outside a flow run sends its own lines to the API, but not the engine's
        # closing "Finished in state ..." (no flow run id then); kept here all the same
        warnings.filterwarnings("ignore", "Logger .* without a flow run id", UserWarning)
        quarterly_report("Q1", 2025)
        reminders = send_reminders(2025, LATE_AS_OF)
        request_approval(2025)
    assert reminders["reminders"] > 0
    return {"api": prefect_api_texts(run_logs.since), "local": list(run_logs.records)}


@task(name="leak-probe")
def leak_probe(text: str) -> None:
    """What a careless task would do: a name in a log line and in a table artifact."""
    get_run_logger().info("Probe: %s", text)
    create_table_artifact(key="leak-probe", table=[{"name": text}])


def test_the_leak_check_can_fail(con: duckdb.DuckDBPyConnection) -> None:
    personal = personal_data(con)
    names = {r[0] for r in con.execute("select full_name from evaluated_cadres").fetchall()}
    assert len(names) > 10 and names <= personal
    assert len(personal - names) > 10  # free text, council members
    name, text = sorted(names)[0], max(personal, key=len)
    assert find_leaks([("log", f"Scored {name}")], personal) == [("log", name)]
    # decomposed (as a Mac types it) and inside a table artifact's escaped JSON
    escaped = json.dumps([{"x": unicodedata.normalize("NFD", text)}])
    assert text not in escaped and ("artifact", text) in find_leaks(
        [("artifact", escaped)], personal
    )
    assert (
        find_leaks([("log", "Scored 12 cadres"), ("artifact", [{"unit": "H01"}])], personal) == []
    )


def test_no_personal_data_in_prefect_logs_or_artifacts(
    prefect_output: dict, con: duckdb.DuckDBPyConnection
) -> None:
    api, local = prefect_output["api"], prefect_output["local"]
    logs = [m for where, m in api if where.startswith("log ")]
    keys = {where.removeprefix("artifact ") for where, _ in api if where.startswith("artifact ")}
    # the runs did write: the tasks' own INFO lines, every kind of artifact
    assert any("Scored" in m for m in logs) and any("Collected" in m for m in logs), logs
    assert any("Reminders written" in m for m in logs), logs
    assert {
        "thu-nhan-2025",
        "ty-le-nop-ho-so-2025",
        "xep-loai-2025",
        "quy-q1-2025",
        "de-nghi-phe-duyet-2025",
    } <= keys
    assert any(k.startswith("tu-choi-") for k in keys)
    assert any("Scored" in m for _, m in local)

    personal = personal_data(con)
    leaks = find_leaks(api + local, personal)
    assert leaks == [], "\n".join(f"{where}: {what}" for where, what in leaks[:50])

    # the same read-back does find a name that reaches the API (last: it leaves one behind)
    since = dt.datetime.now(dt.UTC)
    name = sorted(personal)[0]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Logger .* without a flow run id", UserWarning)
        leak_probe(name)
    found = {where.split()[0] for where, _ in find_leaks(prefect_api_texts(since), personal)}
    assert found == {"log", "artifact"}
