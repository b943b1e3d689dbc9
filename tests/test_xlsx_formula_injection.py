"""Exports are safe (issue #8): text the project copies into a workbook it writes — reference
data pre-filled in the templates, a unit's values and findings in a returned workbook — is
stored as text, never as a formula, whatever character it starts with; the formulas the
project builds itself (the register's name look-up) still compute.

Everything here is written by the project's own functions and read back from the files: with
openpyxl, and from the sheet XML, where a formula is an ``<f>`` element.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from danhgia.cycle_config import load_cycle_config
from danhgia.intake.feedback import RESULTS_SHEET, send_feedback, submission_facts
from danhgia.intake.reader import read_submission
from danhgia.intake.templates import CATALOG_SHEET, TEMPLATE_FOLDER, write_templates
from danhgia.kinds import ANNUAL, DATA_SHEET, KINDS
from danhgia.warehouse import connect
from danhgia.workbook import FIRST_DATA_ROW, HEADER_ROW
from tests.conftest import CYCLE_FILE
from tests.intake_support import (  # noqa: F401
    WAREHOUSE,
    Desk,
    desk_fixture,
    province_fixture,
    stamp,
)

HOSTILE = (
    '=HYPERLINK("http://example.invalid","x")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
)
TRIGGERS = ("=", "+", "-", "@")
#: The only formula the templates hold: the register's look-up of the cadre's name.
OWN_FORMULA = re.compile(r"^IFERROR\(VLOOKUP\(B\d+,'Danh mục'!\$A\$3:\$B\$\d+,2,FALSE\),\"\"\)$")

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def sheet_formulas(path: Path) -> dict[str, dict[str, str]]:
    """Every ``<f>`` element of the file, read from the sheet XML: sheet -> {cell: formula}."""
    with zipfile.ZipFile(path) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {
            r.get("Id"): r.get("Target").lstrip("/") for r in rels.iter(f"{_PKG_REL}Relationship")
        }
        out: dict[str, dict[str, str]] = {}
        for sheet in book.iter(f"{_MAIN}sheet"):
            target = targets[sheet.get(f"{_REL}id")]
            part = target if target.startswith("xl/") else f"xl/{target}"
            xml = ElementTree.fromstring(z.read(part))
            out[sheet.get("name")] = {
                c.get("r"): c.find(f"{_MAIN}f").text or ""
                for c in xml.iter(f"{_MAIN}c")
                if c.find(f"{_MAIN}f") is not None
            }
    return out


def risky_cells(path: Path) -> list:
    """Every cell of every sheet whose value starts with a formula trigger (as openpyxl reads
    it: a formula cell's value is its '=' text)."""
    wb = load_workbook(path)
    return [
        cell
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS)
    ]


def assert_text(cell, expected: str | None = None) -> None:
    """A string cell holding the hostile text unchanged (alone, or first of a composed text
    such as "post, unit")."""
    where = f"{cell.parent.title}!{cell.coordinate}"
    assert cell.data_type == "s", f"{where} is a formula: {cell.value!r}"
    assert cell.value.startswith(HOSTILE), f"{where}: {cell.value!r} changed"
    if expected is not None:
        assert cell.value == expected, where
    assert cell.quotePrefix, f"{where}: no quote prefix, Excel would run it once re-entered"


# --- templates pre-filled with hostile reference data ---------------------------------------
@pytest.fixture(scope="module")
def poisoned(province: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Every template of the small province, written from a warehouse where every unit name,
    cadre name, post title, task content and measure unit starts with a formula trigger."""
    root = tmp_path_factory.mktemp("poisoned")
    shutil.copy2(province / WAREHOUSE, root / WAREHOUSE)
    con = connect(root / WAREHOUSE)
    try:
        for table, key, columns in [
            ("raw_units", "unit_code", ["unit_name"]),
            ("raw_cadres", "cadre_code", ["full_name"]),
            ("raw_posts", "cadre_code", ["position_title"]),
            ("raw_task_register", "task_code", ["content", "measure_unit"]),
        ]:
            sql = f"select distinct {key} from {table} order by 1"
            codes = [r[0] for r in con.execute(sql).fetchall()]
            for i, code in enumerate(codes):
                for k, column in enumerate(columns):
                    con.execute(
                        f"update {table} set {column} = $v where {key} = $code",
                        {"v": HOSTILE[(i + k) % len(HOSTILE)], "code": code},
                    )
        names = dict(con.execute("select cadre_code, full_name from raw_cadres").fetchall())
        units = dict(con.execute("select unit_code, unit_name from raw_units").fetchall())
        written = write_templates(con, load_cycle_config(CYCLE_FILE), root / "outbox")
    finally:
        con.close()
    return {"outbox": root / "outbox", "files": written.files, "names": names, "units": units}


def template(outbox: Path, unit: str, stem: str) -> Path:
    (path,) = (outbox / unit / TEMPLATE_FOLDER).glob(f"{stem}*.xlsx")
    return path


def test_copied_reference_data_is_text_in_every_template(poisoned: dict) -> None:
    seen: set[str] = set()
    for path in poisoned["files"]:
        for cell in risky_cells(path):
            if cell.data_type == "f" and OWN_FORMULA.match(cell.value[1:]):
                continue  # the template's own look-up
            assert_text(cell)
            seen.add(next(h for h in HOSTILE if cell.value.startswith(h)))
        for sheet, formulas in sheet_formulas(path).items():
            stray = {ref: f for ref, f in formulas.items() if not OWN_FORMULA.match(f)}
            assert not stray, f"{path.name} '{sheet}': formulas from data {stray}"
    assert seen == set(HOSTILE)


def test_every_place_reference_data_lands_holds_the_exact_text(poisoned: dict) -> None:
    outbox, names, units = poisoned["outbox"], poisoned["names"], poisoned["units"]
    # pre-filled data rows of the board's lists
    ws = load_workbook(template(outbox, "TU", "DanhSachCanBo"))[DATA_SHEET]
    col = [c.value for c in ws[HEADER_ROW]].index("Họ và tên") + 1
    for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(names)):
        assert_text(ws.cell(row, col), names[ws.cell(row, 1).value])
    # the catalogs of cadres and units on the 'Danh mục' sheet: a code, then its name
    catalog = load_workbook(template(outbox, "TU", "ChucVuCanBo"))[CATALOG_SHEET]
    listed = {
        code.value: name
        for row in catalog.iter_rows(min_row=3)
        for code, name in zip(row, row[1:], strict=False)
        if code.value in names or code.value in units
    }
    assert set(listed) == set(names) | set(units)
    for code, cell in listed.items():
        assert_text(cell, names.get(code) or units[code])
    # helper columns: cadre name, task content, measure unit, unit name
    wb = load_workbook(template(outbox, "H01", "TuDanhGia"))
    ws = wb[DATA_SHEET]
    heads = {c.value: c.column for c in ws[HEADER_ROW] if c.value}
    for head in (
        "Họ và tên cán bộ (tham khảo)",
        "Nội dung nhiệm vụ (tham khảo)",
        "Đơn vị tính (tham khảo)",
    ):
        assert_text(ws.cell(FIRST_DATA_ROW, heads[head]))
    ws = load_workbook(template(outbox, "H01", "XepLoaiTapThe"))[DATA_SHEET]
    heads = {c.value: c.column for c in ws[HEADER_ROW] if c.value}
    assert_text(ws.cell(FIRST_DATA_ROW, heads["Tên đơn vị (tham khảo)"]), units["H01"])


def test_the_registers_own_look_up_is_still_a_formula(poisoned: dict) -> None:
    path = template(poisoned["outbox"], "H01", "DangKyNhiemVu")
    ws = load_workbook(path)[DATA_SHEET]
    col = [c.value for c in ws[HEADER_ROW]].index("Họ và tên cán bộ (tham khảo)") + 1
    cell = ws.cell(FIRST_DATA_ROW, col)
    assert cell.data_type == "f" and OWN_FORMULA.match(cell.value[1:]), cell.value
    in_xml = sheet_formulas(path)[DATA_SHEET]
    assert cell.coordinate in in_xml and len(in_xml) > 100  # every line, blank ones too
    # the catalog it looks up holds the cadres' names as text
    catalog = load_workbook(path)[CATALOG_SHEET]
    assert_text(catalog.cell(3, 2), poisoned["names"][catalog.cell(3, 1).value])


@pytest.mark.parametrize(
    ("stem", "column", "frame_column", "of"),
    [
        ("DanhSachCanBo", "cadre_code", "full_name", "names"),
        ("DanhMucDonVi", "unit_code", "unit_name", "units"),
    ],
)
def test_a_template_reads_back_through_the_reader_unchanged(
    poisoned: dict, stem: str, column: str, frame_column: str, of: str
) -> None:
    parsed = read_submission(template(poisoned["outbox"], "TU", stem))
    assert "no_formulas" not in {f.rule for f in parsed.findings}
    frame = parsed.frame.dropna(subset=[column])
    assert len(frame) == len(poisoned[of])
    assert dict(zip(frame[column], frame[frame_column], strict=True)) == poisoned[of]


# --- a returned workbook ----------------------------------------------------------------------
def returned(desk: Desk, path: Path) -> tuple[object, Path]:
    """Take the file in (it must be refused) and return the marked-up copy sent back."""
    outcome = desk.take()
    assert outcome.status == "quarantined", outcome.findings
    facts = submission_facts(desk.con, [outcome.file_hash]).get(outcome.file_hash)
    written = send_feedback(
        outcome, desk.store.path_of(outcome.stored), desk.root / "outbox", desk.config, facts
    )
    return outcome, next(p for p in written if p.suffix == ".xlsx")


def test_a_units_values_and_findings_come_back_as_text(desk: Desk) -> None:
    (row,) = desk.rows("collective", "H01", ANNUAL)
    typed = {
        "unit_code": HOSTILE[0],
        "planned_tasks": HOSTILE[1],
        "completed_tasks": HOSTILE[2],
        "subordinate_units": HOSTILE[3],
        "proposed_level": HOSTILE[4],
    }
    path = desk.write("collective", [{**row, **typed}], folder="H01", scope=ANNUAL)
    outcome, back = returned(desk, path)
    assert "no_formulas" not in {f.rule for f in outcome.findings}  # sent as text, read as text
    assert sheet_formulas(back) == {s: {} for s in load_workbook(back).sheetnames}
    wb = load_workbook(back)
    data = wb[DATA_SHEET]
    heads = [c.value for c in data[HEADER_ROW]]
    for name, value in typed.items():
        header = KINDS["collective"].column(name).header
        assert_text(data.cell(FIRST_DATA_ROW, heads.index(header) + 1), value)
    results = wb[RESULTS_SHEET]
    heads = [c.value for c in results[4]]
    listed = [results.cell(r, heads.index("Giá trị") + 1) for r in range(5, results.max_row + 1)]
    risky = [c for c in listed if isinstance(c.value, str) and c.value.startswith(TRIGGERS)]
    assert {c.value for c in risky} == {f.value for f in outcome.findings} & set(HOSTILE)
    assert len({c.value for c in risky}) >= 3
    for cell in risky:
        assert_text(cell)


def test_a_returned_register_keeps_its_look_up_and_its_text(poisoned: dict, desk: Desk) -> None:
    wb = load_workbook(template(poisoned["outbox"], "H01", "DangKyNhiemVu"))
    ws = wb[DATA_SHEET]
    heads = [c.value for c in ws[HEADER_ROW]]
    ws.cell(FIRST_DATA_ROW, heads.index("Trọng số") + 1, 0)  # weight must be above 0
    path = desk.inbox / "H01" / "dang-ky.xlsx"
    path.parent.mkdir(parents=True)
    wb.save(path)
    stamp(path, desk.on_time("task_register", ANNUAL))
    _, back = returned(desk, path)
    formulas = sheet_formulas(back)[DATA_SHEET]
    assert formulas and all(OWN_FORMULA.match(f) for f in formulas.values())
    content = load_workbook(back)[DATA_SHEET].cell(
        FIRST_DATA_ROW, heads.index("Nội dung nhiệm vụ") + 1
    )
    assert_text(content)
