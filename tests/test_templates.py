"""The templates units fill in: one per unit, kind and period owed, pre-filled, locked where
the board knows the answer, drop-downs wherever the answer is a list, and accepted by a real
collection once filled in."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from danhgia.intake.templates import (
    CATALOG_SHEET,
    GUIDE_SHEET,
    TEMPLATE_FOLDER,
    schema_rules,
    write_templates,
)
from danhgia.kinds import ANNUAL, DATA_SHEET, KINDS, LEVELS, META_KEYS, META_SHEET, NO, YES
from danhgia.warehouse import connect
from danhgia.workbook import FIRST_DATA_ROW, HEADER_ROW
from tests.intake_support import (  # noqa: F401
    WAREHOUSE,
    Desk,
    desk_fixture,
    province_fixture,
    stamp,
)


@pytest.fixture(scope="module")
def outbox(province: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """Every template of the small province, written once for the module."""
    root = tmp_path_factory.mktemp("templates")
    shutil.copy2(province / WAREHOUSE, root / WAREHOUSE)
    con = connect(root / WAREHOUSE)
    try:
        from danhgia.cycle_config import load_cycle_config
        from tests.conftest import CYCLE_FILE

        written = write_templates(con, load_cycle_config(CYCLE_FILE), root / "outbox")
    finally:
        con.close()
    return root / "outbox", written


def meta_of(path: Path) -> dict[str, str]:
    ws = load_workbook(path, read_only=True)[META_SHEET]
    by_key = {r[0]: r[1] for r in ws.iter_rows(values_only=True)}
    return {name: str(by_key[key]) for name, key in META_KEYS.items()}


def headers(ws: Worksheet) -> dict[str, int]:
    return {c.value: c.column for c in ws[HEADER_ROW] if c.value}


def template(outbox_dir: Path, unit: str, stem: str) -> Path:
    (path,) = (outbox_dir / unit / TEMPLATE_FOLDER).glob(f"{stem}*.xlsx")
    return path


def test_every_owed_submission_has_a_template_or_a_reason(province: Path, outbox) -> None:
    outbox_dir, written = outbox
    manifest = json.loads((province / "sample_manifest.json").read_text(encoding="utf-8"))
    owed = {(f["unit"], f["kind"], f["scope"]) for f in manifest["files"]}
    owed |= {(f["unit"], f["kind"], f["scope"]) for f in manifest["faults"] if f["file"] is None}
    made = set()
    for path in written.files:
        meta = meta_of(path)
        assert path.parent.parent.name == meta["unit_code"], "a template outside its unit's folder"
        made.add((meta["unit_code"], meta["kind"], meta["scope"]))
    skipped = {(s.unit_code, s.kind, s.scope) for s in written.skipped}
    assert owed <= made | skipped, sorted(owed - made - skipped)
    assert all(s.reason for s in written.skipped)
    # beyond what the sample sends: only reference lists the board keeps (empty ones too)
    assert {k for _, k, _ in made - owed} <= {k for k, v in KINDS.items() if v.reference}


def test_a_template_locks_what_the_board_knows_and_guides_the_rest(outbox) -> None:
    outbox_dir, _ = outbox
    path = template(outbox_dir, "H01", "TuDanhGia")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == GUIDE_SHEET and wb.active.title == GUIDE_SHEET
    assert wb[META_SHEET].sheet_state == "hidden"
    assert wb.security.lockStructure
    assert meta_of(path) == {
        "unit_code": "H01",
        "kind": "self_assessment",
        "cycle": "2025",
        "scope": ANNUAL,
        "template_version": "1",
    }
    ws = wb[DATA_SHEET]
    assert ws.protection.sheet and not ws.protection.password
    h = headers(ws)
    first = ws.cell(FIRST_DATA_ROW, h["Mã nhiệm vụ"])
    assert first.value and first.protection.locked
    assert ws.cell(FIRST_DATA_ROW, h["Mã cán bộ"]).protection.locked
    for header in ("Giá trị đạt", "Hoàn thành", "Minh chứng", "Tự xếp loại"):
        assert not ws.cell(FIRST_DATA_ROW, h[header]).protection.locked, header
    assert ws.cell(FIRST_DATA_ROW, h["Họ và tên cán bộ (tham khảo)"]).value
    assert ws.cell(FIRST_DATA_ROW, h["Chỉ tiêu kế hoạch (tham khảo)"]).value is not None
    guide = "\n".join(str(c.value) for c in wb[GUIDE_SHEET]["A"] if c.value)
    assert "Hạn gửi: ngày 15 tháng 12 năm 2025" in guide
    assert "inbox/H01/" in guide and "outbox/H01/phan-hoi/" in guide


def _covering(ws: Worksheet, column: int, row: int) -> list:
    found = []
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            if rng.min_col <= column <= rng.max_col and rng.min_row <= row <= rng.max_row:
                found.append(dv)
    return found


def test_every_enumerated_field_of_every_template_is_a_drop_down(outbox) -> None:
    outbox_dir, written = outbox
    for path in written.files:
        kind = KINDS[meta_of(path)["kind"]]
        wb = load_workbook(path)
        ws = wb[DATA_SHEET]
        choices, _ = schema_rules(kind)
        h = headers(ws)
        for col in kind.columns:
            cells = [c for c in ws[ws.cell(1, h[col.header]).column_letter][FIRST_DATA_ROW - 1 :]]
            open_cells = [c for c in cells if not c.protection.locked]
            if not open_cells:
                continue  # filled in and locked by the board
            row = open_cells[0].row
            rules = _covering(ws, h[col.header], row)
            if col.type in ("bool", "level") or col.name in choices:
                lists = [dv for dv in rules if dv.type == "list"]
                assert lists, (path.name, col.header)
                allowed = lists[0].formula1
                expected = (
                    (YES, NO)
                    if col.type == "bool"
                    else choices.get(col.name, LEVELS if col.type == "level" else ())
                )
                for value in expected:
                    assert value in allowed, (path.name, col.header, allowed)
            if col.type == "date":
                assert [dv for dv in rules if dv.type == "date"], (path.name, col.header)
            if col.type in ("int", "float"):
                assert [dv for dv in rules if dv.type in ("whole", "decimal")], (path.name, col)
            if col.name == "cadre_code" and kind.code == "task_register":
                (dv,) = [dv for dv in rules if dv.type == "list"]
                assert CATALOG_SHEET in dv.formula1


def test_council_scores_are_bounded_by_each_criterions_points(outbox) -> None:
    outbox_dir, _ = outbox
    ws = load_workbook(template(outbox_dir, "TU", "PhieuChamDiem_TU_TV02"))[DATA_SHEET]
    h = headers(ws)
    for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 12):
        points = ws.cell(row, h["Điểm tối đa (tham khảo)"]).value
        (dv,) = _covering(ws, h["Điểm"], row)
        assert (dv.type, dv.operator, float(dv.formula2)) == ("decimal", "between", points)


# --- filled in and sent back ----------------------------------------------------------------
def _fill(kind: str, ws: Worksheet) -> None:
    """What a careful unit types into the yellow cells."""
    h = headers(ws)
    rows = [r for r in range(FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(r, 1).value]
    put = lambda r, header, v: ws.cell(r, h[header], v)  # noqa: E731
    for r in rows:
        if kind == "quarterly_progress":
            target = ws.cell(r, h["Chỉ tiêu kế hoạch (tham khảo)"]).value
            before = ws.cell(r, h["Lũy kế đã báo cáo (tham khảo)"]).value or 0
            put(r, "Giá trị đạt lũy kế", max(target, before))
        elif kind == "self_assessment":
            put(r, "Giá trị đạt", ws.cell(r, h["Chỉ tiêu kế hoạch (tham khảo)"]).value)
            put(r, "Hoàn thành", YES)
            put(r, "Ngày hoàn thành", dt.date(2025, 11, 1))
            put(r, "Minh chứng", "Báo cáo số 12-BC/HU ngày 01/11/2025")
            put(r, "Tự xếp loại", "HTTNV")
        elif kind == "collective":
            for header, v in [
                ("Số nhiệm vụ kế hoạch", 12),
                ("Số nhiệm vụ hoàn thành", 11),
                ("Số đơn vị trực thuộc", 3),
                ("Số đơn vị trực thuộc không hoàn thành nhiệm vụ", 0),
                ("Có cán bộ lãnh đạo bị kỷ luật", NO),
                ("Tự xếp loại", "HTTNV"),
            ]:
                put(r, header, v)
        elif kind == "commune_forms":
            for header, v in [
                ("Số lần về xã", 5),
                ("Số cuộc họp đã dự", 3),
                ("Có kế hoạch theo dõi", YES),
                ("Báo cáo đúng hạn", YES),
                ("Mức xếp loại", "HTTNV"),
                ("Đề nghị khen thưởng", NO),
                ("Đề nghị thay thế", NO),
                ("Nhận xét", "Thường xuyên về cơ sở, nắm chắc tình hình."),
            ]:
                put(r, header, v)
        elif kind == "council_scores":
            put(r, "Điểm", ws.cell(r, h["Điểm tối đa (tham khảo)"]).value - 0.5)
    if kind == "task_register":  # one more task in the first empty line
        r = max(rows) + 1
        catalog = ws.parent[CATALOG_SHEET]
        for header, v in [
            ("Mã nhiệm vụ", "NV-H01-900"),
            ("Mã cán bộ", catalog.cell(3, 1).value),
            ("Nguồn nhiệm vụ", "Được giao"),
            ("Nội dung nhiệm vụ", "Hoàn thành chuyển đổi số hồ sơ một cửa"),
            ("Đơn vị tính", "%"),
            ("Chỉ tiêu kế hoạch", 100),
            ("Hạn hoàn thành", dt.date(2025, 11, 30)),
            ("Trọng số", 1),
            ("Nhiệm vụ dài hạn", NO),
        ]:
            put(r, header, v)


FILLED = [
    ("H01", "DangKyNhiemVu", "task_register", ANNUAL),
    ("H01", "TienDo_H01_Q3", "quarterly_progress", "Q3"),
    ("H01", "TuDanhGia", "self_assessment", ANNUAL),
    ("H01", "XepLoaiTapThe", "collective", ANNUAL),
    ("X001", "PhieuNhanXet", "commune_forms", ANNUAL),
    ("TU", "PhieuChamDiem_TU_TV02", "council_scores", "TV02"),
    ("TU", "DanhSachCanBo", "cadres", ANNUAL),
    ("TU", "ChucVuCanBo", "posts", ANNUAL),
]


@pytest.mark.parametrize(("unit", "stem", "kind", "scope"), FILLED, ids=[f[2] for f in FILLED])
def test_a_filled_template_is_accepted_by_a_real_collection(
    outbox, desk: Desk, unit: str, stem: str, kind: str, scope: str
) -> None:
    wb = load_workbook(template(outbox[0], unit, stem))
    _fill(kind, wb[DATA_SHEET])
    path = desk.inbox / unit / f"{stem}-da-dien.xlsx"
    path.parent.mkdir(parents=True)
    wb.save(path)
    stamp(path, desk.on_time(kind, scope))
    outcome = desk.take()
    assert outcome.status == "loaded", [
        (f.rule, f.row, f.column, f.message) for f in outcome.findings
    ]
    assert outcome.findings == []
    assert (outcome.kind, outcome.scope) == (kind, scope)


def _filled(outbox_dir: Path, unit: str, **meta_changes: str):
    wb = load_workbook(template(outbox_dir, unit, "XepLoaiTapThe"))
    _fill("collective", wb[DATA_SHEET])
    meta = wb[META_SHEET]
    for row in meta.iter_rows():
        for name, value in meta_changes.items():
            if row[0].value == META_KEYS[name]:
                row[1].value = value
    return wb


@pytest.mark.parametrize(
    ("changes", "rule", "words"),
    [
        ({"template_version": "0"}, "template_version_current", "phiên bản '0' đã cũ"),
        ({"cycle": 2024}, "cycle_matches", "năm 2024, không phải năm đánh giá 2025"),
    ],
    ids=["older template version", "last year's template"],
)
def test_an_outdated_template_is_refused_with_its_reason(
    outbox, desk: Desk, changes: dict, rule: str, words: str
) -> None:
    path = desk.inbox / "H01" / "cu.xlsx"
    path.parent.mkdir(parents=True)
    _filled(outbox[0], "H01", **changes).save(path)
    stamp(path, desk.on_time("collective", ANNUAL))
    outcome = desk.take()
    assert outcome.status == "quarantined"
    (f,) = [f for f in outcome.findings if f.severity == "error"]
    assert f.rule == rule and words in f.message


def test_another_units_template_is_refused(outbox, desk: Desk) -> None:
    path = desk.inbox / "H01" / "cua-H02.xlsx"
    path.parent.mkdir(parents=True)
    _filled(outbox[0], "H02").save(path)
    stamp(path, desk.on_time("collective", ANNUAL))
    outcome = desk.take()
    assert outcome.status == "quarantined"
    (f,) = outcome.findings
    assert f.rule == "sender_matches_folder"
    assert "'H02'" in f.message and "'H01'" in f.message


# --- the command ----------------------------------------------------------------------------
def test_templates_command_says_so_when_there_is_no_reference_data(tmp_path: Path) -> None:
    from danhgia.cli import app

    runner = CliRunner()
    env = {"DANHGIA_DATA_DIR": str(tmp_path / "data")}
    result = runner.invoke(app, ["templates", "--cycle", "2025"], env=env)
    assert result.exit_code == 1
    assert "chưa có dữ liệu tham chiếu" in result.output
    connect(tmp_path / "data" / "warehouse.duckdb").close()  # a warehouse, but empty
    result = runner.invoke(app, ["templates", "--cycle", "2025"], env=env)
    assert result.exit_code == 1
    assert "chưa có dữ liệu tham chiếu" in result.output
    assert not (tmp_path / "data" / "outbox").exists()


def test_templates_command_writes_every_units_folder(province: Path, tmp_path: Path) -> None:
    from danhgia.cli import app

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy2(province / WAREHOUSE, data / WAREHOUSE)
    result = CliRunner().invoke(
        app, ["templates", "--cycle", "2025"], env={"DANHGIA_DATA_DIR": str(data)}
    )
    assert result.exit_code == 0, result.output
    assert "Đã tạo" in result.output
    assert (data / "outbox" / "H01" / TEMPLATE_FOLDER).is_dir()
    assert "S02" in result.output  # the unit that sent nothing: no tasks to pre-fill, said why
