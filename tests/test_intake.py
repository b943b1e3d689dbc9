"""Intake as plain functions: reading cells, schema and cross-reference rules, and whole
collection passes over a small inbox (no Prefect needed)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from danhgia.intake.collect import collect
from danhgia.intake.reader import convert, rows_to_frame
from danhgia.intake.schema_check import check_schema
from danhgia.intake.storage import LocalStore
from danhgia.kinds import KINDS, Column
from danhgia.warehouse import connect
from danhgia.workbook import write_submission
from tests.conftest import collective_rows, copy_province, write_zip_bomb

HEADERS = [c.header for c in KINDS["council_scores"].columns]


@pytest.mark.parametrize(
    ("column", "raw", "value", "problem"),
    [
        (Column("x", "X", "float"), "84,4", 84.4, False),
        (Column("x", "X", "float"), "1.234,5", 1234.5, False),
        (Column("x", "X", "float"), "abc", None, True),
        (Column("x", "X", "int"), 3.0, 3, False),
        (Column("x", "X", "int"), 3.5, None, True),
        (Column("x", "X", "bool"), "có", True, False),
        (Column("x", "X", "bool"), "Không", False, False),
        (Column("x", "X", "bool"), "x", None, True),
        (Column("x", "X", "date"), "14/12/2025", dt.date(2025, 12, 14), False),
        (Column("x", "X", "date"), "2025-13-01", None, True),
        (Column("x", "X"), "Nguye\u0302\u0303n", "Nguyễn", False),
        (Column("x", "X"), "   ", None, False),
    ],
)
def test_cell_conversion(column, raw, value, problem) -> None:
    got, message = convert(column, raw)
    assert got == value
    assert (message is not None) == problem


def council_rows(*data: list) -> list[list]:
    return [["PHIẾU CHẤM ĐIỂM"], [], HEADERS, *data]


def test_header_row_is_found_below_a_title_and_rows_keep_excel_numbers() -> None:
    frame, findings = rows_to_frame(
        KINDS["council_scores"], council_rows(["TV01", "CB1", "TC1", 4])
    )
    assert findings == []
    assert frame.loc[0, "_row"] == 4
    assert frame.loc[0, "score"] == 4.0


def test_missing_headers_are_named() -> None:
    rows = [["Mã thành viên", "Mã cán bộ", "Điểm"], ["TV01", "CB1", 4]]
    frame, findings = rows_to_frame(KINDS["council_scores"], rows)
    assert frame is None
    assert "'Mã tiêu chí'" in findings[0].message


def test_schema_reports_every_failure_at_once() -> None:
    kind = KINDS["council_scores"]
    frame, read = rows_to_frame(
        kind,
        council_rows(
            ["TV01", "CB1", "TC1", -1],
            ["TV01", "CB 2", "TC1", 3],
            ["TV01", "CB3", "TC2", "bốn"],
            ["TV01", "CB4", "", 3],
        ),
    )
    found = read + check_schema(kind, frame, {(f.row, f.column) for f in read})
    cells = {(f.row, f.column, f.rule) for f in found}
    assert (4, "Điểm", "greater_than_or_equal_to") in cells
    assert (5, "Mã cán bộ", "plain_code") in cells
    assert (6, "Điểm", "type_float") in cells
    assert (7, "Mã tiêu chí", "not_nullable") in cells
    assert not [f for f in found if f.row == 6 and f.rule == "not_nullable"], "reported twice"
    assert all(f.message and f.severity == "error" for f in found)


@pytest.fixture
def inbox_run(tmp_path, small_inbox):
    """A copy of the small province and a collect function bound to a fresh warehouse."""
    root = copy_province(small_inbox, tmp_path / "data")
    con = connect(root / "warehouse.duckdb")
    from danhgia.cycle_config import load_cycle_config
    from tests.conftest import CYCLE_FILE

    config = load_cycle_config(CYCLE_FILE)

    def run() -> list:
        return collect(con, root / "inbox", LocalStore(root / "store"), config)

    yield root, con, run, config
    con.close()


def count(con: duckdb.DuckDBPyConnection, sql: str, *params) -> int:
    return con.execute(sql, list(params)).fetchall()[0][0]


def test_recollecting_the_same_inbox_loads_nothing_new(inbox_run) -> None:
    root, con, run, _ = inbox_run
    first = run()
    rows = count(con, "select count(*) from raw_task_register")
    assert first and run() == []
    # the same content under another name is recognised too
    src = next((root / "inbox" / "H01").glob("DangKyNhiemVu_*.xlsx"))
    shutil.copy2(src, src.with_name("ban-sao.xlsx"))
    assert run() == []
    assert count(con, "select count(*) from raw_task_register") == rows


def test_resubmission_supersedes_and_both_versions_remain(inbox_run) -> None:
    root, con, run, config = inbox_run
    run()
    kind = KINDS["collective"]
    old = count(con, "select planned_tasks from cur_collective where unit_code = 'H02'")
    path = root / "inbox" / "H02" / "XepLoaiTapThe_H02_2025_sua.xlsx"
    write_submission(
        path,
        kind,
        unit_code="H02",
        cycle=config.cycle,
        scope="CN",
        rows=[
            {
                "unit_code": "H02",
                "planned_tasks": old + 5,
                "completed_tasks": old,
                "subordinate_units": 3,
                "subordinate_khtnv": 0,
                "leader_disciplined": False,
                "proposed_level": "HTTNV",
            }
        ],
    )
    stamp = dt.datetime(2025, 12, 14, 9, 0).timestamp()
    os.utime(path, (stamp, stamp))
    outcomes = run()
    assert [o.status for o in outcomes] == ["loaded"]
    assert (
        count(
            con, "select count(*) from submissions where unit_code = 'H02' and kind = 'collective'"
        )
        == 2
    )
    assert count(con, "select planned_tasks from cur_collective where unit_code = 'H02'") == old + 5


def test_a_file_declaring_another_unit_is_refused(inbox_run) -> None:
    root, con, run, config = inbox_run
    run()
    path = root / "inbox" / "H01" / "XepLoaiTapThe_H02.xlsx"
    write_submission(
        path,
        KINDS["collective"],
        unit_code="H02",
        cycle=config.cycle,
        scope="CN",
        rows=collective_rows("H02"),
    )
    (outcome,) = run()
    assert outcome.status == "quarantined"
    assert {f.rule for f in outcome.findings} == {"sender_matches_folder", "submitted_on_time"}


@pytest.mark.parametrize(
    ("name", "content", "rule"),
    [
        ("hong.xlsx", b"PK\x03\x04 not really a zip", "file_readable"),
        ("rong.xlsx", b"", "file_readable"),
        ("anh.png.xlsx", bytes(range(256)) * 10, "file_readable"),
        ("ghi-chu.txt", "Báo cáo".encode(), "file_format"),
    ],
)
def test_unreadable_files_are_quarantined_not_crashing(inbox_run, name, content, rule) -> None:
    root, con, run, _ = inbox_run
    run()
    (root / "inbox" / "S01" / name).write_bytes(content)
    (outcome,) = run()
    assert outcome.status == "quarantined"
    assert rule in {f.rule for f in outcome.findings}
    assert count(con, "select count(*) from submissions where file_name = ?", name) == 1


def test_a_template_of_another_cycle_is_refused(inbox_run) -> None:
    root, con, run, _ = inbox_run
    run()
    path = root / "inbox" / "S01" / "XepLoaiTapThe_2024.xlsx"
    write_submission(
        path,
        KINDS["collective"],
        unit_code="S01",
        cycle=2024,
        scope="CN",
        rows=collective_rows("S01"),
    )
    (outcome,) = run()
    assert outcome.status == "quarantined"
    assert "cycle_matches" in {f.rule for f in outcome.findings}


def _collective_workbook(config, unit: str = "S01"):
    from danhgia.workbook import build_workbook

    return build_workbook(
        KINDS["collective"],
        unit_code=unit,
        cycle=config.cycle,
        scope="CN",
        rows=collective_rows(unit),
    )


def _drop(root: Path, wb, name: str) -> Path:
    path = root / "inbox" / "S01" / name
    wb.save(path)
    stamp = dt.datetime(2025, 12, 10, 9, 0).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_formulas_in_cells_are_refused_naming_the_cells(inbox_run) -> None:
    root, con, run, config = inbox_run
    run()
    wb = _collective_workbook(config)
    wb["Dữ liệu"]["C4"] = "=2+3"
    _drop(root, wb, "cong-thuc.xlsx")
    (outcome,) = run()
    assert outcome.status == "quarantined"
    found = next(f for f in outcome.findings if f.rule == "no_formulas")
    assert "C4" in found.message and "công thức" in found.message


def test_merged_cells_are_refused(inbox_run) -> None:
    root, con, run, config = inbox_run
    run()
    wb = _collective_workbook(config)
    wb["Dữ liệu"].merge_cells("A4:B4")
    _drop(root, wb, "o-gop.xlsx")
    (outcome,) = run()
    assert outcome.status == "quarantined"
    assert "A4:B4" in next(f for f in outcome.findings if f.rule == "no_merged_cells").message


def test_an_extra_sheet_is_named_and_the_file_still_loads(inbox_run) -> None:
    root, con, run, config = inbox_run
    run()
    wb = _collective_workbook(config)
    wb.create_sheet("Ghi chú riêng")["A1"] = "nháp"
    _drop(root, wb, "them-trang.xlsx")
    (outcome,) = run()
    assert outcome.status == "loaded"
    assert (
        "'Ghi chú riêng'" in next(f for f in outcome.findings if f.rule == "extra_sheets").message
    )


def test_a_50_mb_workbook_is_refused_unopened(inbox_run) -> None:
    root, con, run, _ = inbox_run
    run()
    path = root / "inbox" / "S01" / "rat-lon.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("xl/worksheets/sheet1.xml", os.urandom(50 * 1024 * 1024))
    (outcome,) = run()
    assert outcome.status == "quarantined"
    assert [f.rule for f in outcome.findings] == ["file_size"]


def test_a_zip_bomb_disguised_as_xlsx_is_refused_unopened(inbox_run) -> None:
    root, con, run, _ = inbox_run
    run()
    path = write_zip_bomb(root / "inbox" / "S01" / "bom.xlsx")
    assert path.stat().st_size < 2 * 1024 * 1024
    (outcome,) = run()
    assert outcome.status == "quarantined"
    assert "giải nén" in next(f for f in outcome.findings if f.rule == "file_size").message
