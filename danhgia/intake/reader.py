"""Reading a unit's workbook into rows with English column names, typed, in NFC.

Nothing here raises on a unit's file: every problem becomes a Finding, so the caller can
quarantine the file with a report instead of crashing the run.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import python_calamine

from danhgia.intake.findings import Finding, error, warning
from danhgia.kinds import DATA_SHEET, KINDS, LEVELS, META_KEYS, META_SHEET, NO, YES, Column, Kind

HEADER_SEARCH_ROWS = 10
ROW_COLUMN = "_row"  # the Excel row number of each data row, kept for reports


@dataclass
class ParsedFile:
    meta: dict[str, Any] = field(default_factory=dict)
    kind: Kind | None = None
    frame: pd.DataFrame | None = None
    findings: list[Finding] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_meta(rows: list[list[Any]]) -> dict[str, Any]:
    by_key = {_text(r[0]): r[1] if len(r) > 1 else None for r in rows if r}
    return {name: by_key.get(key) for name, key in META_KEYS.items()}


def _open(path: Path) -> tuple[python_calamine.CalamineWorkbook | None, list[Finding]]:
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path)), []
    except Exception as exc:  # any unreadable file is the unit's problem, not a crash
        return None, [
            error(
                "file_readable",
                "Tệp không mở được như một bảng tính Excel (.xlsx) hợp lệ; hãy lưu lại tệp "
                "bằng Excel theo đúng biểu mẫu rồi gửi lại. "
                f"Chi tiết kỹ thuật: {type(exc).__name__}",
            )
        ]


def read_workbook(path: Path) -> ParsedFile:
    """Read the metadata and the data sheet; type every cell of the kind's columns."""
    parsed = ParsedFile()
    wb, parsed.findings = _open(path)
    if wb is None:
        return parsed
    try:
        return _read(wb, parsed)
    except Exception as exc:  # a malformed sheet must never crash the collection run
        parsed.findings.append(
            error("file_readable", f"Không đọc được nội dung tệp ({type(exc).__name__}).")
        )
        return parsed


def _read(wb: python_calamine.CalamineWorkbook, parsed: ParsedFile) -> ParsedFile:
    if META_SHEET not in wb.sheet_names:
        parsed.findings.append(
            error(
                "template_recognised",
                "Tệp không đúng biểu mẫu của Ban Tổ chức (thiếu trang thông tin biểu mẫu). "
                "Hãy dùng biểu mẫu được gửi cho đơn vị.",
            )
        )
        return parsed
    parsed.meta = read_meta(wb.get_sheet_by_name(META_SHEET).to_python())
    kind = KINDS.get(_text(parsed.meta.get("kind")))
    if kind is None:
        parsed.findings.append(
            error(
                "template_recognised",
                f"Loại biểu mẫu '{_text(parsed.meta.get('kind'))}' không được hỗ trợ.",
                sheet=META_SHEET,
                value=parsed.meta.get("kind"),
            )
        )
        return parsed
    parsed.kind = kind
    if DATA_SHEET not in wb.sheet_names:
        parsed.findings.append(
            error(
                "template_recognised",
                f"Tệp thiếu trang '{DATA_SHEET}' của biểu mẫu.",
            )
        )
        return parsed
    rows = wb.get_sheet_by_name(DATA_SHEET).to_python(skip_empty_area=False)
    parsed.frame, findings = rows_to_frame(kind, rows)
    parsed.findings.extend(findings)
    return parsed


def find_header_row(kind: Kind, rows: list[list[Any]]) -> tuple[int | None, dict[str, int]]:
    """The index of the header row and where each known header stands in it."""
    wanted = {c.header for c in kind.columns if c.required}
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = {nfc(_text(v)): j for j, v in enumerate(row)}
        if wanted <= set(cells):
            return i, {h: j for h, j in cells.items() if h in kind.headers}
    return None, {}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def rows_to_frame(kind: Kind, rows: list[list[Any]]) -> tuple[pd.DataFrame | None, list[Finding]]:
    findings: list[Finding] = []
    header_idx, positions = find_header_row(kind, rows)
    if header_idx is None:
        present = {nfc(_text(v)) for r in rows[:HEADER_SEARCH_ROWS] for v in r}
        missing = [c.header for c in kind.columns if c.required and c.header not in present]
        findings.append(
            error(
                "headers_present",
                "Không tìm thấy dòng tiêu đề của biểu mẫu; thiếu các cột: "
                + ", ".join(f"'{h}'" for h in missing),
                sheet=DATA_SHEET,
            )
        )
        return None, findings
    records: list[dict[str, Any]] = []
    decomposed = 0
    for offset, row in enumerate(rows[header_idx + 1 :], start=header_idx + 2):
        if all(_text(v) == "" for v in row):
            continue
        record: dict[str, Any] = {ROW_COLUMN: offset}
        for col in kind.columns:
            j = positions.get(col.header)
            raw = row[j] if j is not None and j < len(row) else None
            if isinstance(raw, str) and raw != nfc(raw):
                decomposed += 1
            value, problem = convert(col, raw)
            if problem:
                findings.append(
                    error(
                        f"type_{col.type}",
                        problem,
                        sheet=DATA_SHEET,
                        row=offset,
                        column=col.header,
                        value=_text(raw),
                    )
                )
            record[col.name] = value
        records.append(record)
    if decomposed:
        findings.append(
            warning(
                "unicode_nfc",
                f"{decomposed} ô chứa chữ Việt ở dạng Unicode tổ hợp (NFD); đã chuẩn hóa về "
                "dạng dựng sẵn (NFC). Nên lưu tệp bằng bộ gõ Unicode dựng sẵn.",
                sheet=DATA_SHEET,
            )
        )
    frame = pd.DataFrame.from_records(records, columns=[ROW_COLUMN, *kind.column_names])
    return frame, findings


_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$|^-?\d+(,\d+)?$")


def convert(col: Column, raw: Any) -> tuple[Any, str | None]:
    """One cell to its Python value; on failure, None and a Vietnamese message."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None, None
    if col.type == "str":
        return nfc(_text(raw)), None
    if col.type == "level":
        text = _text(raw).upper()
        if text in LEVELS:
            return text, None
        return text, None  # the schema names the allowed levels
    if col.type == "bool":
        text = nfc(_text(raw)).capitalize()
        if text in (YES, NO):
            return text == YES, None
        return None, f"Giá trị phải là '{YES}' hoặc '{NO}'."
    if col.type in ("int", "float"):
        return _number(col, raw)
    if col.type == "date":
        return _date(raw)
    raise ValueError(f"unknown column type {col.type}")


def _number(col: Column, raw: Any) -> tuple[Any, str | None]:
    if isinstance(raw, bool):
        return None, "Giá trị phải là số."
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = _text(raw).replace(" ", "")
        if not _NUMBER.match(text):
            return None, "Giá trị phải là số (dùng dấu phẩy cho phần thập phân)."
        value = float(text.replace(".", "").replace(",", "."))
    if col.type == "int":
        if not value.is_integer():
            return None, "Giá trị phải là số nguyên."
        return int(value), None
    return value, None


def _date(raw: Any) -> tuple[Any, str | None]:
    if isinstance(raw, dt.datetime):
        return raw.date(), None
    if isinstance(raw, dt.date):
        return raw, None
    text = _text(raw)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date(), None
        except ValueError:
            continue
    return None, "Ngày phải có dạng ngày/tháng/năm, ví dụ 14/12/2025."
