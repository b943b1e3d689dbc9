"""The Excel templates the units fill in, pre-filled with what the board already knows.

A unit that starts from its own template cannot mistype a cadre or task code, pick a level
that does not exist or forget the hidden metadata sheet: the codes are filled in and locked,
every enumerated field is a drop-down list, and the instructions sheet says what to fill, by
when, and how to send it. The checks at intake stay the same for every file; the template
only makes passing them the easy path.

``build_template`` turns one ``TemplateSpec`` into a workbook and touches nothing else;
``plan_templates`` reads the warehouse's current reference data into specs (one per unit,
kind and period owed); ``write_templates`` writes them under ``outbox/<unit>/mau/``.

Sheet protection has no password: it guards against slips, not against a determined user,
and the intake checks catch whatever is changed anyway.

Every cell is written with ``danhgia.workbook.write_cell``: reference data copied from the
warehouse (unit and cadre names, posts, task contents, catalog lists) is stored as text even
when it starts with "=", "+", "-" or "@"; only the ``Formula`` values the module builds itself
(the register's name look-up) are formulas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from danhgia.cycle_config import CycleConfig
from danhgia.kinds import (
    ANNUAL,
    DATA_SHEET,
    KINDS,
    LEVEL_NAMES,
    LEVELS,
    NO,
    QUARTERS,
    TEMPLATE_VERSION,
    YES,
    Kind,
)
from danhgia.vnformat import format_date_long
from danhgia.workbook import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    Formula,
    build_workbook,
    save_atomically,
    write_cell,
)
from schemas import SCHEMAS

GUIDE_SHEET = "Hướng dẫn"
CATALOG_SHEET = "Danh mục"
TEMPLATE_FOLDER = "mau"
LOCKED_FILL = PatternFill("solid", start_color="FFE7E6E6")  # filled by the board
INPUT_FILL = PatternFill("solid", start_color="FFFFF8D6")  # for the unit to fill
HEADER_FILL = PatternFill("solid", start_color="FFD9E1F2")
HELPER_FONT = Font(italic=True, color="FF595959")
FILE_STEMS = {
    "units": "DanhMucDonVi",
    "cadres": "DanhSachCanBo",
    "posts": "ChucVuCanBo",
    "council_members": "ThanhVienHoiDong",
    "monitoring": "PhanCongTheoDoiXa",
    "discipline": "KyLuat",
    "confidence_votes": "LayPhieuTinNhiem",
    "excusals": "MienTru",
    "inspections": "KetLuanKiemTra",
    "previous_levels": "KetQuaXepLoaiNamTruoc",
    "task_register": "DangKyNhiemVu",
    "quarterly_progress": "TienDo",
    "self_assessment": "TuDanhGia",
    "collective": "XepLoaiTapThe",
    "council_scores": "PhieuChamDiem",
    "commune_forms": "PhieuNhanXet",
}
REGISTER_BLANK_ROWS = 150  # a commune secretary received 21 tasks (seed 001); units hold several
REFERENCE_BLANK_ROWS = 50
FIRST_DATE, LAST_DATE = dt.date(1950, 1, 1), dt.date(2100, 12, 31)


@dataclass(frozen=True)
class Bounds:
    low: float | None = None
    low_strict: bool = False
    high: float | None = None


def schema_rules(kind: Kind) -> tuple[dict[str, tuple[str, ...]], dict[str, Bounds]]:
    """The allowed values (``isin``) and numeric bounds of each column, read from the kind's
    pandera schema, so a drop-down or a range in Excel is the very rule checked at intake."""
    choices: dict[str, tuple[str, ...]] = {}
    bounds: dict[str, Bounds] = {}
    for name, column in SCHEMAS[kind.code].to_schema().columns.items():
        b = Bounds()
        for check in column.checks:
            stats = check.statistics or {}
            if check.name == "isin":
                choices[name] = tuple(stats["allowed_values"])
            elif check.name in ("greater_than_or_equal_to", "greater_than"):
                b = replace(b, low=stats["min_value"], low_strict=check.name == "greater_than")
            elif check.name in ("less_than_or_equal_to", "less_than"):
                b = replace(b, high=stats["max_value"])
        if b != Bounds():
            bounds[name] = b
    return choices, bounds


#: What the unit must keep in mind beyond each column's type: the rules checked at intake.
KIND_NOTES = {
    "task_register": [
        "Mỗi mã nhiệm vụ chỉ ghi một lần; mã chỉ gồm chữ cái không dấu, chữ số và dấu gạch.",
        "Nguồn nhiệm vụ: 'Cam kết' (nhiệm vụ trọng tâm do người đứng đầu cam kết) hoặc "
        "'Được giao' (nhiệm vụ Ban Thường vụ giao).",
        "Nhiệm vụ dài hạn phải ghi mốc phải đạt trong năm.",
        "Hạn hoàn thành nên nằm trong năm đánh giá; trọng số lớn hơn 0 và không quá 10.",
    ],
    "quarterly_progress": [
        "Giá trị đạt là giá trị lũy kế từ đầu năm, không được thấp hơn quý trước.",
        "Mã nhiệm vụ và mã cán bộ đã được điền sẵn theo bản đăng ký nhiệm vụ; không sửa.",
    ],
    "self_assessment": [
        "Nhiệm vụ đã hoàn thành phải ghi ngày hoàn thành.",
        "Mỗi cán bộ chỉ tự xếp một mức, giống nhau trên mọi dòng của cán bộ đó.",
        "Minh chứng nên ghi số, ngày văn bản hoặc sản phẩm cụ thể.",
    ],
    "council_scores": [
        "Điểm của mỗi tiêu chí không vượt điểm tối đa của tiêu chí (cột tham khảo bên phải).",
        "Thành viên hội đồng không chấm cán bộ của chính đơn vị mình: các dòng đó đã được bỏ.",
    ],
    "commune_forms": [
        "Mỗi cán bộ theo dõi xã ghi một dòng; nếu đề nghị thay thế cán bộ, ghi rõ lý do ở cột "
        "Nhận xét.",
    ],
    "collective": [
        "Số nhiệm vụ hoàn thành không lớn hơn số nhiệm vụ kế hoạch; số đơn vị trực thuộc không "
        "hoàn thành nhiệm vụ không lớn hơn số đơn vị trực thuộc.",
    ],
}
TYPE_HINTS = {
    "str": "chữ",
    "int": "số nguyên",
    "float": "số, dùng dấu phẩy cho phần thập phân (ví dụ 84,4)",
    "date": "ngày/tháng/năm (ví dụ 31/03/2025)",
    "bool": f"chọn '{YES}' hoặc '{NO}'",
    "level": "chọn một mức: " + ", ".join(LEVELS),
}


class NoReferenceData(Exception):
    """The warehouse holds no units, cadres or posts for the cycle: nothing to pre-fill."""


@dataclass(frozen=True)
class Helper:
    """A read-only column to the right of the template's columns, for the unit's eyes only
    (the reader ignores headers it does not know)."""

    header: str
    values: Sequence[Any]  # one per pre-filled row; only a Formula computes, a str is text
    width: int = 24


@dataclass(frozen=True)
class Catalog:
    """A list on the 'Danh mục' sheet: shown for reference, and the source of a drop-down
    when it is too long to write into the validation itself."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]


@dataclass
class TemplateSpec:
    kind: Kind
    unit_code: str
    unit_name: str
    cycle: int
    scope: str
    due: dt.date | None
    rows: list[dict[str, Any]] = field(default_factory=list)  # pre-filled by the board
    locked: tuple[str, ...] = ()  # columns of the pre-filled rows the unit may not change
    blank_rows: int = 0  # unlocked empty rows for the unit to add lines
    helpers: list[Helper] = field(default_factory=list)
    choices: dict[str, Sequence[str] | str] = field(default_factory=dict)  # values or catalog
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    row_max: dict[str, Sequence[float | None]] = field(default_factory=dict)  # per-row bound
    scope_label: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        stem = FILE_STEMS.get(self.kind.code, self.kind.code)
        if self.scope == ANNUAL:
            return f"{stem}_{self.unit_code}_{self.cycle}.xlsx"
        return f"{stem}_{self.unit_code}_{self.scope}_{self.cycle}.xlsx"


# --- building one workbook (pure) ----------------------------------------------------------
def build_template(spec: TemplateSpec) -> Workbook:
    """One unit's template: guide, data sheet with locked keys and drop-downs, catalog, and
    the hidden metadata sheet of ``danhgia.workbook``."""
    kind = spec.kind
    wb = build_workbook(
        kind,
        unit_code=spec.unit_code,
        cycle=spec.cycle,
        scope=spec.scope,
        rows=spec.rows,
        unit_name=spec.unit_name,
        template_version=TEMPLATE_VERSION,
    )
    ws = wb[DATA_SHEET]
    ranges = _catalog_sheet(wb, spec)
    _style_data_sheet(ws, spec)
    _validations(ws, spec, ranges)
    guide = wb.create_sheet(GUIDE_SHEET, 0)
    _guide(guide, spec)
    for sheet in wb.worksheets:
        if sheet.title != DATA_SHEET:
            sheet.protection.sheet = True
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # the unit may widen a column or a row
    ws.protection.formatRows = False
    for sheet in (ws, guide):
        fit_to_page_width(sheet)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    wb.security = WorkbookProtection(lockStructure=True)  # no renaming, no unhiding _meta
    wb.active = 0
    return wb


def fit_to_page_width(ws: Worksheet) -> None:
    """Printed on A4 landscape, as wide as the page: units print the form to sign it."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _last_row(spec: TemplateSpec) -> int:
    return FIRST_DATA_ROW + len(spec.rows) + spec.blank_rows - 1


def _style_data_sheet(ws: Worksheet, spec: TemplateSpec) -> None:
    kind = spec.kind
    write_cell(
        ws,
        2,
        1,
        "Chỉ nhập vào các ô nền vàng; ô nền xám do Ban Tổ chức điền sẵn và đã khóa. "
        f"Xem trang '{GUIDE_SHEET}'.",
    ).font = HELPER_FONT
    for j, col in enumerate(kind.columns, start=1):
        head = ws.cell(HEADER_ROW, j)
        head.fill = HEADER_FILL
        need = "Bắt buộc" if col.required else "Không bắt buộc"
        head.comment = Comment(f"{need}; {TYPE_HINTS[col.type]}.", "Ban Tổ chức")
    n_filled = len(spec.rows)
    for i in range(FIRST_DATA_ROW, _last_row(spec) + 1):
        prefilled = i < FIRST_DATA_ROW + n_filled
        for j, col in enumerate(kind.columns, start=1):
            cell = ws.cell(i, j)
            locked = prefilled and col.name in spec.locked
            cell.fill = LOCKED_FILL if locked else INPUT_FILL
            cell.protection = Protection(locked=locked)
            if col.type == "date":
                cell.number_format = "DD/MM/YYYY"
            if col.free_text:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    first_helper = len(kind.columns) + 1
    for k, helper in enumerate(spec.helpers):
        j = first_helper + k
        head = write_cell(ws, HEADER_ROW, j, helper.header)
        head.font = Font(bold=True, italic=True, color="FF595959")
        head.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(j)].width = helper.width
        for i, value in enumerate(helper.values, start=FIRST_DATA_ROW):
            cell = write_cell(ws, i, j, value)
            cell.font = HELPER_FONT
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    ws.row_dimensions[HEADER_ROW].height = 45


def _catalog_sheet(wb: Workbook, spec: TemplateSpec) -> dict[str, str]:
    """Write the catalogs side by side; return each one's code range for drop-downs."""
    if not spec.catalogs:
        return {}
    sheet = wb.create_sheet(CATALOG_SHEET)
    ranges: dict[str, str] = {}
    col = 1
    for name, catalog in spec.catalogs.items():
        write_cell(sheet, 1, col, catalog.title).font = Font(bold=True)
        for k, header in enumerate(catalog.headers):
            write_cell(sheet, 2, col + k, header).font = Font(bold=True)
            sheet.column_dimensions[get_column_letter(col + k)].width = 14 if k == 0 else 30
        for i, row in enumerate(catalog.rows, start=3):
            for k, value in enumerate(row):
                write_cell(sheet, i, col + k, value)
        letter = get_column_letter(col)
        last = max(3, 2 + len(catalog.rows))
        ranges[name] = f"{quote_sheetname(CATALOG_SHEET)}!${letter}$3:${letter}${last}"
        col += len(catalog.headers) + 1
    return ranges


def _input_ranges(spec: TemplateSpec, column: str) -> list[tuple[int, int]]:
    """The rows where the unit types into a column: all rows, minus locked pre-filled ones."""
    first = FIRST_DATA_ROW + (len(spec.rows) if column in spec.locked else 0)
    last = _last_row(spec)
    return [(first, last)] if first <= last else []


def _validations(ws: Worksheet, spec: TemplateSpec, ranges: dict[str, str]) -> None:
    kind = spec.kind
    schema_choices, bounds = schema_rules(kind)
    for j, col in enumerate(kind.columns, start=1):
        letter = get_column_letter(j)
        spans = _input_ranges(spec, col.name)
        if not spans:
            continue
        sqref = " ".join(f"{letter}{a}:{letter}{b}" for a, b in spans)
        choice = spec.choices.get(col.name) or schema_choices.get(col.name)
        if choice is None and col.type == "bool":
            choice = (YES, NO)
        if choice is None and col.type == "level":
            choice = LEVELS
        if choice is not None:
            _add(ws, _list_validation(col.header, choice, ranges), sqref)
        elif col.type == "date":
            dv = DataValidation(
                type="date",
                operator="between",
                formula1=str(_serial(FIRST_DATE)),
                formula2=str(_serial(LAST_DATE)),
                allow_blank=True,
            )
            _messages(dv, col.header, "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 31/03/2025.")
            _add(ws, dv, sqref)
        elif col.type in ("int", "float") and col.name in spec.row_max:
            _per_row_bounds(ws, spec, col.name, col.header, letter)
        elif col.type in ("int", "float"):
            _add(ws, _number_validation(col.header, col.type, bounds.get(col.name)), sqref)


def _per_row_bounds(ws: Worksheet, spec: TemplateSpec, name: str, header: str, letter: str):
    """A score's maximum differs per criterion: one validation per distinct maximum."""
    by_max: dict[float, list[int]] = {}
    for i, high in enumerate(spec.row_max[name], start=FIRST_DATA_ROW):
        if high is not None:
            by_max.setdefault(float(high), []).append(i)
    for high, rows in sorted(by_max.items()):
        dv = _number_validation(header, "float", Bounds(0, False, high))
        ws.add_data_validation(dv)
        for a, b in _runs(rows):
            dv.add(f"{letter}{a}:{letter}{b}")


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and out[-1][1] == r - 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


def _serial(day: dt.date) -> int:
    """Excel's day number (1900 system)."""
    return (day - dt.date(1899, 12, 30)).days


def _add(ws: Worksheet, dv: DataValidation, sqref: str) -> None:
    ws.add_data_validation(dv)
    dv.add(sqref)


def _messages(dv: DataValidation, header: str, text: str) -> None:
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.errorStyle = "stop"
    dv.errorTitle = "Giá trị không hợp lệ"[:32]
    dv.error = text[:225]
    dv.promptTitle = header[:32]
    dv.prompt = text[:255]


def _list_validation(
    header: str, choice: Sequence[str] | str, ranges: dict[str, str]
) -> DataValidation:
    if isinstance(choice, str):  # the name of a catalog on the 'Danh mục' sheet
        dv = DataValidation(type="list", formula1=ranges[choice], allow_blank=True)
        _messages(dv, header, f"Chọn một mã trong danh sách (xem trang '{CATALOG_SHEET}').")
        return dv
    listed = ",".join(choice)
    dv = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
    _messages(dv, header, "Chọn một giá trị trong danh sách: " + ", ".join(choice) + ".")
    return dv


def _number_validation(header: str, column_type: str, bounds: Bounds | None) -> DataValidation:
    kind = "whole" if column_type == "int" else "decimal"
    what = "số nguyên" if column_type == "int" else "số"
    b = bounds or Bounds(0)  # no bound in the schema: counts and amounts are not negative
    low = b.low if b.low is not None else 0
    if b.high is not None:
        dv = DataValidation(
            type=kind,
            operator="between",
            formula1=f"{low:g}",
            formula2=f"{b.high:g}",
            allow_blank=True,
        )
        text = f"Nhập {what} từ {_vn(low)} đến {_vn(b.high)}."
    elif b.low_strict:
        dv = DataValidation(
            type=kind, operator="greaterThan", formula1=f"{low:g}", allow_blank=True
        )
        text = f"Nhập {what} lớn hơn {_vn(low)}."
    else:
        dv = DataValidation(
            type=kind, operator="greaterThanOrEqual", formula1=f"{low:g}", allow_blank=True
        )
        text = f"Nhập {what} từ {_vn(low)} trở lên." if low else f"Nhập {what} không âm."
    _messages(dv, header, text)
    return dv


def _vn(x: float) -> str:
    """A bound as the unit reads it: decimal comma."""
    return f"{x:g}".replace(".", ",")


def _guide(sheet: Worksheet, spec: TemplateSpec) -> None:
    sheet.column_dimensions["A"].width = 110
    lines = guide_lines(spec)
    for i, (text, bold) in enumerate(lines, start=1):
        cell = write_cell(sheet, i, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True, size=13 if i == 1 else 11)


def guide_lines(spec: TemplateSpec) -> list[tuple[str, bool]]:
    """The instructions sheet, line by line (text, bold)."""
    kind = spec.kind
    due = f"{format_date_long(spec.due)}" if spec.due else "theo thông báo của Ban Tổ chức"
    out: list[tuple[str, bool]] = [
        ("HƯỚNG DẪN ĐIỀN BIỂU MẪU", True),
        (f"{kind.title} — năm {spec.cycle}", True),
        (f"Đơn vị: {spec.unit_name} (mã {spec.unit_code})", False),
        (f"Kỳ báo cáo: {spec.scope_label or spec.scope}", False),
        (f"Hạn gửi: {due}", True),
        ("", False),
        ("1. Điền gì", True),
        (
            f"Điền vào trang '{DATA_SHEET}', bắt đầu từ dòng {FIRST_DATA_ROW}. Ô nền xám do "
            "Ban Tổ chức điền sẵn và đã khóa; ô nền vàng là ô đơn vị điền. Các cột "
            "'(tham khảo)' chỉ để đối chiếu, không cần sửa.",
            False,
        ),
    ]
    schema_choices, _ = schema_rules(kind)
    for col in kind.columns:
        need = "bắt buộc" if col.required else "không bắt buộc"
        hint = TYPE_HINTS[col.type]
        choice = spec.choices.get(col.name) or (
            schema_choices.get(col.name) if col.type == "str" else None
        )
        if isinstance(choice, str):
            hint = f"chọn trong danh sách (trang '{CATALOG_SHEET}')"
        elif choice is not None:
            hint = "chọn một trong: " + ", ".join(choice)
        filled = " Đã điền sẵn." if spec.rows and col.name in spec.locked else ""
        out.append((f"• {col.header}: {need}; {hint}.{filled}", False))
    for helper in spec.helpers:
        out.append((f"• {helper.header}: Ban Tổ chức ghi để đối chiếu.", False))
    if "level" in {c.type for c in kind.columns}:
        out.append(
            ("Các mức xếp loại: " + "; ".join(f"{c} — {n}" for c, n in LEVEL_NAMES.items()), False)
        )
    notes = KIND_NOTES.get(kind.code, []) + spec.notes
    if notes:
        out += [("", False), ("2. Lưu ý", True)] + [(f"• {n}", False) for n in notes]
    out += [
        ("", False),
        ("3. Cách gửi", True),
        (
            f"Lưu tệp dưới dạng Excel (.xlsx), giữ nguyên các trang và tên cột, rồi đặt vào thư "
            f"mục của đơn vị trong hộp thư đến của Ban Tổ chức (inbox/{spec.unit_code}/). Có thể "
            "đổi tên tệp. Không gửi tệp thay cho đơn vị khác: tệp ghi mã đơn vị khác bị từ chối.",
            False,
        ),
        (
            "Gửi lại tệp đã sửa sẽ thay thế bản gửi trước cho cùng loại biểu mẫu và kỳ báo "
            "cáo; mọi bản đã gửi đều được lưu. Tệp gửi sau hạn vẫn được tiếp nhận nhưng ghi là "
            "nộp muộn.",
            False,
        ),
        (
            "Có thể gửi cùng nội dung dưới dạng CSV hoặc JSON (UTF-8, cùng tên cột) theo quy ước "
            "của Ban Tổ chức; biểu mẫu Excel này là cách được khuyến nghị.",
            False,
        ),
        ("", False),
        ("4. Kết quả kiểm tra", True),
        (
            f"Sau mỗi lần thu nhận, kết quả được trả về thư mục outbox/{spec.unit_code}/phan-hoi/: "
            "biên nhận nếu tệp được tiếp nhận; nếu tệp bị từ chối, bản tệp của đơn vị với các ô "
            "sai được tô đỏ kèm ghi chú, và một trang tóm tắt cách sửa.",
            False,
        ),
        (
            "Văn bản phải dùng Unicode dựng sẵn; văn bản gõ bằng phông TCVN3 (.VnTime) hoặc VNI "
            "bị từ chối.",
            False,
        ),
    ]
    return out


# --- reading what the board knows (the warehouse) ------------------------------------------
def current_rows(con: duckdb.DuckDBPyConnection, kind_code: str, cycle: int) -> pd.DataFrame:
    """The current rows of one kind for the cycle, with the sending unit.

    The view name and columns come from ``danhgia.kinds`` (never from a file); the cycle is
    bound."""
    kind = KINDS[kind_code]
    cols = ", ".join(["sender_code", "scope", *kind.column_names])
    return con.execute(
        f"select {cols} from cur_{kind.code} where cycle = $cycle "
        "order by sender_code, scope, file_hash, row_no",
        {"cycle": cycle},
    ).df()


@dataclass
class BoardData:
    """The reference data the templates are pre-filled with."""

    config: CycleConfig
    frames: dict[str, pd.DataFrame]

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, config: CycleConfig) -> BoardData:
        kinds = [k for k, v in KINDS.items() if v.reference] + [
            "task_register",
            "quarterly_progress",
        ]
        data = cls(config, {k: current_rows(con, k, config.cycle) for k in kinds})
        if data.units.empty or data.frames["cadres"].empty or data.frames["posts"].empty:
            raise NoReferenceData(config.cycle)
        return data

    @property
    def units(self) -> pd.DataFrame:
        return self.frames["units"]

    def unit_name(self, code: str) -> str:
        match = self.units.loc[self.units["unit_code"] == code, "unit_name"]
        return code if match.empty else str(match.iloc[0])

    def cadre_names(self) -> dict[str, str]:
        c = self.frames["cadres"]
        return dict(zip(c["cadre_code"], c["full_name"], strict=True))

    def year_posts(self) -> pd.DataFrame:
        """Posts held at some time during the cycle's year, with the days they cover."""
        p = self.frames["posts"].copy()
        first, last = dt.date(self.config.cycle, 1, 1), dt.date(self.config.cycle, 12, 31)
        p["start"] = pd.to_datetime(p["start_date"]).dt.date
        p["end"] = pd.to_datetime(p["end_date"]).dt.date
        p["from_day"] = p["start"].map(lambda d: max(d, first))
        p["to_day"] = p["end"].map(lambda d: last if pd.isna(d) else min(d, last))
        return p[p["from_day"] <= p["to_day"]]

    def last_posts(self) -> pd.DataFrame:
        """Each cadre's post held last in the year (as in ``evaluated_cadres``), for cadres
        whose position belongs to a group of the cycle."""
        p = self.year_posts().sort_values(
            ["cadre_code", "from_day", "to_day", "unit_code"], ascending=[True, False, False, True]
        )
        last = p.drop_duplicates("cadre_code")
        return last[last["position_code"].isin(list(self.config.group_of_position()))]

    def post_at(self, day: dt.date) -> dict[str, pd.Series]:
        """Each cadre's post on a day (the head's post first, then the latest started)."""
        p = self.year_posts()
        covers = p.apply(
            lambda r: r["start"] <= day and (pd.isna(r["end"]) or r["end"] >= day), axis=1
        )
        on = p[covers.astype(bool)] if len(p) else p
        on = on.sort_values(["cadre_code", "is_head", "start"], ascending=[True, False, False])
        return {r.cadre_code: r for r in on.drop_duplicates("cadre_code").itertuples()}

    def unit_kind_of(self) -> dict[str, str]:
        return dict(zip(self.units["unit_code"], self.units["unit_kind"], strict=True))


def scope_label(kind: Kind, scope: str, member_name: str = "") -> str:
    if kind.scopes == "quarterly":
        return f"quý {scope.removeprefix('Q')}"
    if kind.scopes == "member":
        return f"phiếu của thành viên hội đồng {scope}" + (
            f" — {member_name}" if member_name else ""
        )
    return "cả năm"


@dataclass
class Skipped:
    unit_code: str
    kind: str
    scope: str
    reason: str  # Vietnamese


@dataclass
class Plan:
    specs: list[TemplateSpec] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def plan_templates(con: duckdb.DuckDBPyConnection, config: CycleConfig) -> Plan:
    """One spec per unit, kind and period owed this cycle (``expected_submissions``' rule:
    units whose leaders are evaluated send their register, progress, self-assessment and
    collective; communes their comment form; the board its reference data and one scoring
    sheet per council member). Raises NoReferenceData if there is nothing to pre-fill."""
    data = BoardData.load(con, config)
    plan = Plan()
    board = config.province.board_unit_code
    kinds_of = data.unit_kind_of()
    last = data.last_posts()
    leader_units = sorted(
        {u for u in last["unit_code"] if kinds_of.get(u) not in (None, "TINH", "XA")}
    )
    for unit in leader_units:
        plan.specs.append(_register_spec(data, unit))
        for q in QUARTERS:
            _add_spec(plan, _task_spec(data, unit, "quarterly_progress", q), unit, "quarterly", q)
        _add_spec(plan, _task_spec(data, unit, "self_assessment", ANNUAL), unit, "self", ANNUAL)
        plan.specs.append(_collective_spec(data, unit))
    for commune in sorted(u for u, k in kinds_of.items() if k == "XA"):
        _add_spec(plan, _commune_spec(data, commune), commune, "commune", ANNUAL)
    for kind in (k for k in KINDS.values() if k.reference):
        plan.specs.append(_reference_spec(data, kind, board))
    members = data.frames["council_members"]
    for member in members.itertuples():
        plan.specs.append(_council_spec(data, board, member.member_code, member.full_name))
    return plan


_SKIP_REASONS = {
    "quarterly": "chưa có nhiệm vụ đã đăng ký của cán bộ thuộc đơn vị tại hạn báo cáo",
    "self": "chưa có nhiệm vụ đã đăng ký của cán bộ thuộc đơn vị tại hạn báo cáo",
    "commune": "xã chưa được phân công cán bộ theo dõi",
}


def _add_spec(plan: Plan, spec: TemplateSpec, unit: str, why: str, scope: str) -> None:
    if spec.rows:
        plan.specs.append(spec)
    else:
        plan.skipped.append(Skipped(unit, spec.kind.code, scope, _SKIP_REASONS[why]))


def _spec(data: BoardData, unit: str, kind_code: str, scope: str, **kw: Any) -> TemplateSpec:
    kind = KINDS[kind_code]
    return TemplateSpec(
        kind=kind,
        unit_code=unit,
        unit_name=kw.pop("unit_name", None) or data.unit_name(unit),
        cycle=data.config.cycle,
        scope=scope,
        due=data.config.deadlines.due_if_any(kind_code, scope),
        scope_label=kw.pop("scope_label", None) or scope_label(kind, scope),
        **kw,
    )


def _unit_cadres(data: BoardData, unit: str) -> Catalog:
    p = data.year_posts()
    mine = p[p["unit_code"] == unit].sort_values(["cadre_code", "start"])
    names = data.cadre_names()
    rows = [
        [r.cadre_code, names.get(r.cadre_code, ""), r.position_title]
        for r in mine.drop_duplicates("cadre_code").itertuples()
    ]
    return Catalog("Cán bộ của đơn vị", ("Mã cán bộ", "Họ và tên", "Chức vụ"), rows)


def _register_spec(data: BoardData, unit: str) -> TemplateSpec:
    """The register: the unit's tasks already received (editable), then empty lines; the
    cadre code is chosen from the unit's cadres and the name shown beside it."""
    kind = KINDS["task_register"]
    tasks = data.frames["task_register"]
    rows = tasks[tasks["sender_code"] == unit][kind.column_names].to_dict("records")
    rows = [{k: _plain(v) for k, v in r.items()} for r in rows]
    cadres = _unit_cadres(data, unit)
    col = get_column_letter(kind.column_names.index("cadre_code") + 1)
    total = len(rows) + REGISTER_BLANK_ROWS
    catalog_names = f"{quote_sheetname(CATALOG_SHEET)}!$A$3:$B${max(3, 2 + len(cadres.rows))}"
    formulas = [
        Formula(f'=IFERROR(VLOOKUP({col}{i},{catalog_names},2,FALSE),"")')
        for i in range(FIRST_DATA_ROW, FIRST_DATA_ROW + total)
    ]
    return _spec(
        data,
        unit,
        "task_register",
        ANNUAL,
        rows=rows,
        locked=(),
        blank_rows=REGISTER_BLANK_ROWS,
        helpers=[Helper("Họ và tên cán bộ (tham khảo)", formulas, 26)],
        choices={"cadre_code": "cadres"},
        catalogs={"cadres": cadres},
        notes=[
            "Bản đăng ký đã được tiếp nhận (nếu có) được điền sẵn để sửa hoặc bổ sung; gửi lại "
            "toàn bộ danh sách nhiệm vụ, không chỉ phần thay đổi."
        ]
        if rows
        else [],
    )


def _task_spec(data: BoardData, unit: str, kind_code: str, scope: str) -> TemplateSpec:
    """Progress and self-assessment: one row per registered task of the cadres sitting in the
    unit on the deadline (a cadre transferred mid-year reports from the new unit)."""
    due = data.config.deadlines.due_if_any(kind_code, scope) or dt.date(data.config.cycle, 12, 31)
    seat = data.post_at(due)
    tasks = data.frames["task_register"].drop_duplicates("task_code")
    tasks = tasks[tasks["cadre_code"].map(lambda c: c in seat and seat[c].unit_code == unit)]
    tasks = tasks.sort_values(["cadre_code", "task_code"])
    names = data.cadre_names()
    rows = [{"task_code": t.task_code, "cadre_code": t.cadre_code} for t in tasks.itertuples()]
    helpers = [
        Helper("Họ và tên cán bộ (tham khảo)", [names.get(c, "") for c in tasks["cadre_code"]]),
        Helper("Nội dung nhiệm vụ (tham khảo)", list(tasks["content"]), 48),
        Helper("Đơn vị tính (tham khảo)", list(tasks["measure_unit"]), 14),
        Helper("Chỉ tiêu kế hoạch (tham khảo)", [_plain(v) for v in tasks["target"]], 14),
        Helper("Hạn hoàn thành (tham khảo)", [_plain(v) for v in tasks["deadline"]], 14),
    ]
    progress = data.frames["quarterly_progress"]
    earlier = progress if kind_code == "self_assessment" else progress[progress["scope"] < scope]
    if not earlier.empty:
        best = earlier.groupby("task_code")["achieved"].max()
        helpers.append(
            Helper(
                "Lũy kế đã báo cáo (tham khảo)",
                [_plain(best.get(t)) for t in tasks["task_code"]],
                14,
            )
        )
    return _spec(
        data,
        unit,
        kind_code,
        scope,
        rows=rows,
        locked=("task_code", "cadre_code"),
        helpers=helpers,
    )


def _collective_spec(data: BoardData, unit: str) -> TemplateSpec:
    return _spec(
        data,
        unit,
        "collective",
        ANNUAL,
        rows=[{"unit_code": unit}],
        locked=("unit_code",),
        helpers=[Helper("Tên đơn vị (tham khảo)", [data.unit_name(unit)], 36)],
    )


def _commune_spec(data: BoardData, commune: str) -> TemplateSpec:
    monitoring = data.frames["monitoring"]
    cadres = sorted(set(monitoring.loc[monitoring["commune_code"] == commune, "cadre_code"]))
    names = data.cadre_names()
    last = data.last_posts().set_index("cadre_code")
    where = [
        f"{last.loc[c, 'position_title']}, {data.unit_name(last.loc[c, 'unit_code'])}"
        if c in last.index
        else ""
        for c in cadres
    ]
    return _spec(
        data,
        commune,
        "commune_forms",
        ANNUAL,
        rows=[{"cadre_code": c} for c in cadres],
        locked=("cadre_code",),
        helpers=[
            Helper("Họ và tên cán bộ theo dõi (tham khảo)", [names.get(c, "") for c in cadres]),
            Helper("Chức vụ, đơn vị công tác (tham khảo)", where, 40),
        ],
    )


def _council_spec(data: BoardData, board: str, member: str, member_name: str) -> TemplateSpec:
    """One member's sheet: every evaluated cadre with no post in the member's own unit, every
    council criterion of the cadre's framework."""
    config = data.config
    members = data.frames["council_members"].set_index("member_code")
    own_unit = members.loc[member, "unit_code"]
    posts = data.frames["posts"]
    own = set(posts.loc[posts["unit_code"] == own_unit, "cadre_code"])
    groups = {g.code: g.framework for g in config.groups}
    by_position = config.group_of_position()
    names = data.cadre_names()
    rows, helper_name, helper_unit, helper_crit, maxima = [], [], [], [], []
    for post in data.last_posts().sort_values("cadre_code").itertuples():
        if post.cadre_code in own:
            continue
        framework = config.frameworks[groups[by_position[post.position_code]]]
        for crit in (c for c in framework.criteria if c.source == "council"):
            rows.append(
                {"member_code": member, "cadre_code": post.cadre_code, "criterion_code": crit.code}
            )
            helper_name.append(names.get(post.cadre_code, ""))
            helper_unit.append(data.unit_name(post.unit_code))
            helper_crit.append(crit.name)
            maxima.append(crit.points)
    return _spec(
        data,
        board,
        "council_scores",
        member,
        unit_name=data.unit_name(board),
        scope_label=scope_label(KINDS["council_scores"], member, member_name),
        rows=rows,
        locked=("member_code", "cadre_code", "criterion_code"),
        helpers=[
            Helper("Họ và tên cán bộ (tham khảo)", helper_name),
            Helper("Đơn vị (tham khảo)", helper_unit, 30),
            Helper("Tên tiêu chí (tham khảo)", helper_crit, 36),
            Helper("Điểm tối đa (tham khảo)", maxima, 12),
        ],
        row_max={"score": maxima},
    )


def _reference_spec(data: BoardData, kind: Kind, board: str) -> TemplateSpec:
    """The board's own lists, pre-filled with what is current, keys locked, room to add."""
    frame = data.frames[kind.code]
    rows = [
        {k: _plain(v) for k, v in r.items()} for r in frame[kind.column_names].to_dict("records")
    ]
    units = Catalog(
        "Danh mục đơn vị",
        ("Mã đơn vị", "Tên đơn vị"),
        [[r.unit_code, r.unit_name] for r in data.units.itertuples()],
    )
    communes = Catalog(
        "Danh mục xã",
        ("Mã xã", "Tên xã"),
        [[r.unit_code, r.unit_name] for r in data.units.itertuples() if r.unit_kind == "XA"],
    )
    cadres = Catalog(
        "Danh sách cán bộ",
        ("Mã cán bộ", "Họ và tên"),
        [[c, n] for c, n in sorted(data.cadre_names().items())],
    )
    catalogs: dict[str, Catalog] = {}
    choices: dict[str, Sequence[str] | str] = {}
    for col in kind.columns:  # codes the board keeps elsewhere (enumerations: the schema)
        if col.name == "position_code":
            choices[col.name] = tuple(data.config.group_of_position())
        elif col.name == "group_code":
            choices[col.name] = tuple(g.code for g in data.config.groups)
        elif col.name == "parent_code" or (col.name == "unit_code" and kind.code != "units"):
            catalogs["units"], choices[col.name] = units, "units"
        elif col.name == "commune_code":
            catalogs["communes"], choices[col.name] = communes, "communes"
        elif col.name == "cadre_code" and kind.code != "cadres":
            catalogs["cadres"], choices[col.name] = cadres, "cadres"
    return _spec(
        data,
        board,
        kind.code,
        ANNUAL,
        rows=rows,
        locked=kind.key,
        blank_rows=REFERENCE_BLANK_ROWS,
        choices=choices,
        catalogs=catalogs,
        notes=[
            "Danh sách hiện hành đã được điền sẵn; gửi lại toàn bộ danh sách (bản gửi sau thay "
            "thế bản trước). Các cột mã đã khóa; thêm dòng mới ở các dòng trống bên dưới."
        ],
    )


def _plain(value: Any) -> Any:
    """A warehouse value as a cell value: missing as empty, timestamps as dates."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


# --- writing them --------------------------------------------------------------------------
@dataclass
class Written:
    files: list[Path] = field(default_factory=list)
    units: set[str] = field(default_factory=set)
    skipped: list[Skipped] = field(default_factory=list)


def write_templates(
    con: duckdb.DuckDBPyConnection, config: CycleConfig, outbox_dir: Path
) -> Written:
    """Write every template owed this cycle into ``outbox/<unit>/mau/``; a unit's folder
    holds only its own templates. Writing again replaces them (each file atomically)."""
    plan = plan_templates(con, config)
    out = Written(skipped=plan.skipped)
    for spec in plan.specs:
        path = outbox_dir / spec.unit_code / TEMPLATE_FOLDER / spec.file_name
        save_atomically(build_template(spec), path)
        out.files.append(path)
        out.units.add(spec.unit_code)
    return out
