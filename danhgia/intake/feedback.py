"""What a unit gets back after each collection, in its own outbox and nobody else's.

A refused file comes back as the unit's own workbook with every bad cell filled red and a
comment saying what is wrong and by which rule, so the person who typed it can fix it in
place, plus a one-page summary: what is wrong, how to fix it, the deadline, how to resend.
A loaded file gets a receipt (file, kind, period, rows, when received, warnings if any), so
the unit knows the board has it without asking.

Everything goes under ``outbox/<sender folder>/phan-hoi/``: the folder a file came from is
the sender (intake's rule), so feedback can never land in another unit's outbox.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from danhgia.cycle_config import CycleConfig
from danhgia.intake.collect import Outcome
from danhgia.intake.findings import Finding
from danhgia.intake.templates import TEMPLATE_FOLDER, fit_to_page_width, scope_label
from danhgia.kinds import DATA_SHEET, KINDS, META_SHEET
from danhgia.vnformat import format_date_long
from danhgia.workbook import save_atomically, write_cell

FEEDBACK_FOLDER = "phan-hoi"
RESULTS_SHEET = "Kết quả kiểm tra"
AUTHOR = "Ban Tổ chức"
ERROR_FILL = PatternFill("solid", start_color="FFFFC7CE")
WARNING_FILL = PatternFill("solid", start_color="FFFFEB9C")
SEVERITY_VI = {"error": "Lỗi", "warning": "Cảnh báo"}
HEADER_SEARCH_ROWS = 10
MAX_GROUPS = 12  # the summary stays one page; the workbook and the report list everything
MAX_PLACES = 5

#: How to fix what each rule found, in the unit's words.
RULE_HINTS = {
    "file_format": "Gửi tệp Excel (.xlsx) theo biểu mẫu, hoặc tệp CSV/JSON cùng tên cột.",
    "file_size": "Xóa các trang, hình ảnh không cần thiết rồi gửi lại.",
    "file_readable": "Mở tệp bằng Excel, lưu lại dưới dạng .xlsx rồi gửi lại.",
    "template_recognised": (
        "Dùng biểu mẫu của đơn vị trong thư mục outbox/{unit}/mau/; không xóa trang ẩn, "
        "không đổi tên các trang."
    ),
    "headers_present": "Giữ nguyên dòng tiêu đề của biểu mẫu; không đổi tên hay xóa cột.",
    "sender_matches_folder": "Mỗi đơn vị chỉ gửi biểu mẫu mang mã của chính đơn vị mình.",
    "cycle_matches": "Dùng biểu mẫu năm {cycle} trong thư mục outbox/{unit}/mau/.",
    "template_version_current": "Dùng biểu mẫu mới nhất trong thư mục outbox/{unit}/mau/.",
    "scope_valid": "Dùng đúng biểu mẫu của kỳ báo cáo trong thư mục outbox/{unit}/mau/.",
    "sender_known": "Liên hệ Ban Tổ chức để được cấp thư mục gửi tệp của đơn vị.",
    "kind_owed_by_sender": "Liên hệ Ban Tổ chức: đơn vị không phải gửi loại biểu mẫu này.",
    "legacy_encoding": (
        "Chuyển mã văn bản sang Unicode dựng sẵn (Unikey: Công cụ chuyển mã, đích Unicode) "
        "rồi gửi lại; từ nay gõ bằng phông Unicode (Times New Roman, Arial)."
    ),
    "text_encoding": "Lưu lại tệp với bảng mã UTF-8 (Excel: 'CSV UTF-8') rồi gửi lại.",
    "type_float": "Nhập số; phần thập phân dùng dấu phẩy (ví dụ 84,4).",
    "type_int": "Nhập số nguyên.",
    "type_date": "Nhập ngày theo dạng ngày/tháng/năm (ví dụ 31/03/2025).",
    "type_bool": "Chọn 'Có' hoặc 'Không' trong danh sách.",
    "not_nullable": "Điền vào các ô bắt buộc.",
    "field_uniqueness": "Mỗi mã chỉ ghi một lần; xóa hoặc gộp các dòng trùng.",
    "isin": "Chọn giá trị trong danh sách thả xuống của biểu mẫu.",
    "plain_code": "Mã không dấu, không khoảng trắng; dùng đúng mã in sẵn trong biểu mẫu.",
    "greater_than_or_equal_to": "Nhập giá trị trong khoảng cho phép.",
    "greater_than": "Nhập giá trị trong khoảng cho phép.",
    "less_than_or_equal_to": "Nhập giá trị trong khoảng cho phép.",
    "cadre_exists": "Dùng mã cán bộ trong danh sách của đơn vị (trang 'Danh mục' của biểu mẫu).",
    "cadre_holds_post_in_unit": "Chỉ kê khai cán bộ giữ chức vụ tại đơn vị trong năm.",
    "task_registered": (
        "Dùng mã nhiệm vụ in sẵn trong biểu mẫu; nhiệm vụ mới phải được đăng ký trước."
    ),
    "task_belongs_to_cadre": "Ghi đúng cặp mã nhiệm vụ và mã cán bộ in sẵn trong biểu mẫu.",
    "criterion_applies": "Chỉ chấm các tiêu chí in sẵn trong phiếu của thành viên.",
    "score_within_criterion_points": "Điểm không vượt điểm tối đa của tiêu chí (cột tham khảo).",
    "member_matches_sheet": "Mỗi phiếu chỉ ghi mã của một thành viên hội đồng.",
    "member_exists": "Dùng phiếu chấm điểm mang mã thành viên hội đồng của mình.",
    "member_not_own_unit": "Bỏ các dòng chấm cán bộ của chính đơn vị mình.",
    "cadre_monitors_commune": "Chỉ nhận xét cán bộ được phân công theo dõi xã (in sẵn).",
    "collective_is_sender": "Ghi mã của chính đơn vị.",
}


@dataclass(frozen=True)
class Facts:
    """What the intake log knows of a file beyond its outcome."""

    received_at: dt.datetime | None = None
    n_rows: int = 0
    due_date: dt.date | None = None
    unit_name: str = ""


def submission_facts(con: duckdb.DuckDBPyConnection, hashes: Iterable[str]) -> dict[str, Facts]:
    wanted = list(hashes)
    if not wanted:
        return {}
    rows = con.execute(
        """
        select s.file_hash, s.received_at, s.n_rows, s.due_date, u.unit_name
        from submissions s
        left join cur_units u on u.unit_code = s.unit_code and u.cycle = s.cycle
        where list_contains($hashes, s.file_hash)
        """,
        {"hashes": wanted},
    ).fetchall()
    return {h: Facts(at, n or 0, due, name or "") for h, at, n, due, name in rows}


def send_feedback(
    outcome: Outcome,
    original: Path,
    outbox_dir: Path,
    config: CycleConfig,
    facts: Facts | None = None,
) -> list[Path]:
    """Write the receipt, or the summary and the marked-up workbook, into the sender's
    outbox; returns the files written (none for a file outside any unit's folder)."""
    if not outcome.sender:
        return []
    facts = facts or Facts()
    folder = outbox_dir / outcome.sender / FEEDBACK_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    tag = outcome.file_hash[:12]
    if outcome.status == "loaded":
        path = folder / f"bien-nhan-{tag}.txt"
        write_text(path, receipt_text(outcome, config, facts))
        return [path]
    written = []
    returned_name = None
    if Path(outcome.file_name).suffix.lower() == ".xlsx":
        wb = returned_workbook(original, outcome.findings)
        if wb is not None:
            returned = folder / f"tu-choi-{tag}-{_safe_name(outcome.file_name)}"
            save_atomically(wb, returned)
            written.append(returned)
            returned_name = returned.name
    summary = folder / f"tu-choi-{tag}.txt"
    write_text(summary, refusal_text(outcome, config, facts, returned_name))
    return [summary, *written]


def _safe_name(name: str) -> str:
    """The unit's file name, kept readable but never a path."""
    base = Path(name).name
    return "".join(ch if ch.isalnum() or ch in "._- " else "_" for ch in base) or "tep.xlsx"


def write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# --- the marked-up workbook ----------------------------------------------------------------
def _nfc(value: object) -> str:
    return unicodedata.normalize("NFC", str(value)).strip() if value is not None else ""


def header_positions(ws: Worksheet, wanted: str | None = None) -> dict[str, int]:
    """Where each header stands: the row (among the first ten) holding ``wanted``, or else
    the one with the most texts."""
    best: dict[str, int] = {}
    for row in ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS):
        texts = {_nfc(c.value): c.column for c in row if isinstance(c.value, str)}
        if wanted is not None and wanted in texts:
            return texts
        if len(texts) > len(best):
            best = texts
    return best if wanted is None else {}


def returned_workbook(original: Path, findings: list[Finding]) -> Workbook | None:
    """The unit's workbook with each finding's cell filled and commented, and a first sheet
    listing every finding with a link to its cell. None if openpyxl cannot open the file.

    No text can become a formula (issue #8): the unit's cells are only filled and commented,
    never rewritten, so text stays text (openpyxl keeps a loaded string cell a string) and
    the only formulas are those of the unit's own file (the template's look-up column, which
    must keep working when the unit fixes the file in place); comments are plain text; and
    every value of the results sheet — sheet, column, value and message taken from the
    findings, that is from the unit's file — is written by ``write_cell``, as text."""
    try:
        wb = load_workbook(original)
    except Exception:  # the summary still reaches the unit; the file itself was the problem
        return None
    notes: dict[tuple[str, str], list[Finding]] = {}
    places: list[str | None] = []
    for f in findings:
        coord = _mark_target(wb, f)
        places.append(coord)
        if coord is not None:
            notes.setdefault((f.sheet or DATA_SHEET, coord), []).append(f)
    for (sheet, coord), found in notes.items():
        cell = wb[sheet][coord]
        worst = "error" if any(x.severity == "error" for x in found) else "warning"
        fill = ERROR_FILL if worst == "error" else WARNING_FILL
        cell.fill = fill
        text = "\n".join(
            f"[{SEVERITY_VI[x.severity]}] {x.message} (quy tắc: {x.rule})" for x in found
        )
        if cell.comment is not None:
            text = f"{cell.comment.text}\n{text}"
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 320, 40 + 36 * len(found)
        cell.comment = comment
        for row_cell in _row_cells(wb[sheet], cell.row) if _is_row_finding(found) else []:
            row_cell.fill = fill
    listed = sorted(zip(findings, places, strict=True), key=lambda fp: _reading_order(fp[0]))
    _results_sheet(wb, [f for f, _ in listed], [p for _, p in listed])
    if DATA_SHEET in wb.sheetnames:
        fit_to_page_width(wb[DATA_SHEET])
    return wb


def _reading_order(f: Finding) -> tuple:
    """File-level findings first, then by row, as the unit reads the sheet."""
    return (f.row is not None, f.row or 0, f.column or "")


def _is_row_finding(found: list[Finding]) -> bool:
    return any(f.column is None for f in found)


def _row_cells(ws: Worksheet, row: int) -> list:
    positions = header_positions(ws)
    return [ws.cell(row, j) for j in positions.values()]


def _mark_target(wb: Workbook, f: Finding) -> str | None:
    """The cell a finding points at, as 'C7'; a rule across columns points at the row's
    first column. None when the finding has no row in a sheet."""
    sheet = f.sheet or DATA_SHEET
    if f.row is None or sheet not in wb.sheetnames or sheet == META_SHEET:
        return None
    ws = wb[sheet]
    if f.column:
        column = header_positions(ws, _nfc(f.column)).get(_nfc(f.column))
    else:
        column = min(header_positions(ws).values(), default=1)
    if column is None:
        return None
    return ws.cell(f.row, column).coordinate


def _results_sheet(wb: Workbook, findings: list[Finding], places: list[str | None]) -> None:
    if RESULTS_SHEET in wb.sheetnames:  # a file sent back twice: replace the old list
        del wb[RESULTS_SHEET]
    ws = wb.create_sheet(RESULTS_SHEET, 0)
    ws.sheet_properties.tabColor = "C00000"
    write_cell(ws, 1, 1, "KẾT QUẢ KIỂM TRA CỦA BAN TỔ CHỨC").font = Font(bold=True, size=13)
    note = write_cell(
        ws,
        2,
        1,
        "Các ô có lỗi được tô đỏ (cảnh báo: tô vàng) và có ghi chú; bấm vào cột 'Ô' để đến ô "
        "đó. Sửa xong, lưu tệp và gửi lại cả tệp. Trang này không cần xóa.",
    )
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:H2")
    ws.row_dimensions[2].height = 32
    headers = ["Mức độ", "Trang", "Ô", "Dòng", "Cột", "Giá trị", "Nội dung", "Quy tắc"]
    for j, h in enumerate(headers, start=1):
        write_cell(ws, 4, j, h).font = Font(bold=True)
    widths = [10, 12, 8, 7, 22, 22, 70, 26]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(4, j).column_letter].width = w
    for i, (f, coord) in enumerate(zip(findings, places, strict=True), start=5):
        values = [
            SEVERITY_VI[f.severity],
            f.sheet,
            coord,
            f.row,
            f.column,
            f.value,
            f.message,
            f.rule,
        ]
        for j, v in enumerate(values, start=1):
            cell = write_cell(ws, i, j, v)  # text the unit typed is never run as a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if coord is not None:
            link = ws.cell(i, 3)
            target = f"{quote_sheetname(f.sheet or DATA_SHEET)}!{coord}"
            link.hyperlink = Hyperlink(ref=link.coordinate, location=target)
            link.font = Font(color="0563C1", underline="single")
    fit_to_page_width(ws)
    ws.print_title_rows = "4:4"
    wb.active = 0


# --- the texts -----------------------------------------------------------------------------
def when_words(at: dt.datetime | None) -> str:
    """``09:30, ngày 14 tháng 12 năm 2025``: when a file was received or decided on."""
    return f"{at:%H:%M}, {format_date_long(at.date())}" if at else "không rõ"


def period_words(kind_code: str | None, scope: str | None, cycle: int | None) -> str:
    """The period a file reports on, as the unit names it (``quý 2 năm 2025``)."""
    kind = KINDS.get(kind_code or "")
    year = f"năm {cycle}" if cycle else "năm không xác định"
    if kind is None or not scope:
        return year
    label = scope_label(kind, scope)
    if kind.scopes == "member":
        return label
    return f"cả {year}" if kind.scopes == "annual" else f"{label} {year}"


def _unit_line(outcome: Outcome, facts: Facts) -> str:
    return f"{outcome.sender} — {facts.unit_name}" if facts.unit_name else outcome.sender


def _due(outcome: Outcome, config: CycleConfig, facts: Facts) -> dt.date | None:
    return facts.due_date or config.deadlines.due_if_any(outcome.kind or "", outcome.scope or "")


def _where(f: Finding) -> str:
    parts = [
        f"trang '{f.sheet}'" if f.sheet else "",
        f"dòng {f.row}" if f.row is not None else "",
        f"cột '{f.column}'" if f.column else "",
        f"giá trị '{f.value}'" if f.value not in (None, "") else "",
    ]
    return ", ".join(p for p in parts if p) or "toàn tệp"


def _rule_key(rule: str) -> str:
    return "isin" if rule.startswith("isin") else rule


def _grouped(findings: list[Finding]) -> list[list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.rule, []).append(f)
    return list(groups.values())


def _finding_lines(findings: list[Finding], unit: str, cycle: int) -> list[str]:
    lines: list[str] = []
    groups = _grouped(findings)
    for n, group in enumerate(groups[:MAX_GROUPS], start=1):
        head = group[0]
        lines.append(f"{n}. {head.message} (quy tắc: {head.rule})")
        placed = sorted((f for f in group if _where(f) != "toàn tệp"), key=_reading_order)
        for f in placed[:MAX_PLACES]:
            extra = f" — {f.message}" if f.message != head.message else ""
            lines.append(f"   - {_where(f)}{extra}")
        if len(group) > MAX_PLACES:
            lines.append(f"   - và {len(group) - MAX_PLACES} chỗ khác cùng loại.")
        hint = RULE_HINTS.get(_rule_key(head.rule))
        if hint:
            lines.append(f"   Cách sửa: {hint.format(unit=unit, cycle=cycle)}")
    if len(groups) > MAX_GROUPS:
        rest = sum(len(g) for g in groups[MAX_GROUPS:])
        lines.append(f"... và {rest} vấn đề khác: xem danh sách đầy đủ trong tệp trả lại.")
    return lines


def refusal_text(
    outcome: Outcome, config: CycleConfig, facts: Facts, returned_name: str | None = None
) -> str:
    """One page: what is wrong, how to fix it, by when, how to send it again."""
    kind = KINDS.get(outcome.kind or "")
    due = _due(outcome, config, facts)
    errors = [f for f in outcome.findings if f.severity == "error"]
    warnings = [f for f in outcome.findings if f.severity == "warning"]
    lines = [
        "PHẢN HỒI KẾT QUẢ KIỂM TRA — TỆP CHƯA ĐƯỢC TIẾP NHẬN",
        "",
        f"Đơn vị gửi: {_unit_line(outcome, facts)}",
        f"Tệp: {outcome.file_name} (mã tệp {outcome.file_hash[:12]})",
        f"Loại biểu mẫu: {kind.title if kind else 'không xác định'}",
        f"Kỳ báo cáo: {period_words(outcome.kind, outcome.scope, config.cycle)}",
        f"Thời điểm nhận: {when_words(facts.received_at)}",
        f"Hạn gửi: {format_date_long(due) if due else 'theo thông báo của Ban Tổ chức'}",
        "",
        f"Tệp có {len(errors)} lỗi nên chưa được tiếp nhận; không dòng nào của tệp được nhập "
        "vào kho dữ liệu. Đơn vị sửa các lỗi dưới đây rồi gửi lại toàn bộ tệp.",
    ]
    if returned_name:
        lines.append(
            f"Tệp trả lại '{returned_name}' có các ô sai tô đỏ kèm ghi chú; trang "
            f"'{RESULTS_SHEET}' liệt kê đủ mọi lỗi. Có thể sửa trực tiếp trên tệp đó."
        )
    lines += ["", "CẦN SỬA", *_finding_lines(errors, outcome.sender, config.cycle)]
    if warnings:
        lines += [
            "",
            "CẢNH BÁO (không làm tệp bị từ chối, nhưng nên kiểm tra lại)",
            *_finding_lines(warnings, outcome.sender, config.cycle),
        ]
    lines += [
        "",
        "CÁCH GỬI LẠI",
        f"Lưu tệp đã sửa (dạng .xlsx, giữ nguyên các trang) vào thư mục inbox/{outcome.sender}/. "
        f"Biểu mẫu mới nhất của đơn vị ở thư mục outbox/{outcome.sender}/{TEMPLATE_FOLDER}/. "
        "Tệp gửi lại được kiểm tra lại từ đầu; tệp gửi sau hạn vẫn được tiếp nhận nhưng ghi là "
        "nộp muộn.",
    ]
    return "\n".join(lines) + "\n"


def receipt_text(outcome: Outcome, config: CycleConfig, facts: Facts) -> str:
    """The receipt of a loaded file."""
    kind = KINDS.get(outcome.kind or "")
    due = _due(outcome, config, facts)
    timing = ""
    if due is not None and facts.received_at is not None:
        days = (facts.received_at.date() - due).days
        timing = " — đúng hạn" if days <= 0 else f" — nộp muộn {days} ngày"
    warnings = [f for f in outcome.findings if f.severity == "warning"]
    lines = [
        "BIÊN NHẬN TỆP ĐÃ TIẾP NHẬN",
        "",
        f"Đơn vị gửi: {_unit_line(outcome, facts)}",
        f"Tệp: {outcome.file_name}",
        f"Mã tệp (SHA-256): {outcome.file_hash}",
        f"Loại biểu mẫu: {kind.title if kind else outcome.kind}",
        f"Kỳ báo cáo: {period_words(outcome.kind, outcome.scope, config.cycle)}",
        f"Số dòng dữ liệu: {facts.n_rows}",
        f"Thời điểm nhận: {when_words(facts.received_at)}",
        f"Hạn gửi: {format_date_long(due) if due else 'không áp dụng'}{timing}",
        "",
        "Tệp đã được nhập vào kho dữ liệu và thay thế bản gửi trước (nếu có) của cùng loại biểu "
        "mẫu và kỳ báo cáo; mọi bản đã gửi đều được lưu.",
    ]
    if warnings:
        lines += [
            "",
            f"CẢNH BÁO ({len(warnings)}): tệp vẫn được tiếp nhận; Ban Tổ chức sẽ xem xét các "
            "điểm dưới đây và có thể đề nghị đơn vị giải trình hoặc gửi lại.",
            *_finding_lines(warnings, outcome.sender, config.cycle),
        ]
    else:
        lines += ["", "Không có cảnh báo."]
    return "\n".join(lines) + "\n"
