"""Reading a unit's file into rows with English column names, typed, in NFC.

A unit may send the Excel template (.xlsx), or the same columns as CSV or JSON (see the
README, "Intake"): ``read_submission`` picks the reader by suffix and every reader ends in the
same ``ParsedFile``, so the checks after it do not care how the file was written.

Nothing here raises on a unit's file: every problem becomes a Finding, so the caller can
quarantine the file with a report instead of crashing the run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import python_calamine

from danhgia.intake.encodings import (
    ENCODING_NAMES,
    FONTS,
    UTF16,
    Legacy,
    decode_text_file,
    detect_legacy,
)
from danhgia.intake.findings import Finding, error, warning
from danhgia.intake.xlsx_guard import cell_position, formula_finding, inspect_xlsx
from danhgia.kinds import DATA_SHEET, KINDS, LEVELS, META_KEYS, META_SHEET, NO, YES, Column, Kind

HEADER_SEARCH_ROWS = 10
ROW_COLUMN = "_row"  # the Excel row number of each data row, kept for reports


@dataclass
class ParsedFile:
    meta: dict[str, Any] = field(default_factory=dict)
    kind: Kind | None = None
    frame: pd.DataFrame | None = None
    findings: list[Finding] = field(default_factory=list)
    source_format: str = "xlsx"  # xlsx | csv | json


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_meta(rows: list[list[Any]]) -> dict[str, Any]:
    by_key = {_text(r[0]): r[1] if len(r) > 1 else None for r in rows if r}
    return {name: _meta_value(by_key.get(key)) for name, key in META_KEYS.items()}


def _meta_value(value: Any) -> Any:
    """Excel stores the year 2024 as 2024.0; a message must say "năm 2024"."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


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
    structure, formulas = inspect_xlsx(path)
    if any(f.rule == "file_size" for f in structure):
        parsed.findings = structure
        return parsed
    wb, parsed.findings = _open(path)
    parsed.findings = structure + parsed.findings
    if wb is None:
        return parsed
    try:
        return _read(wb, parsed, formulas)
    except Exception as exc:  # a malformed sheet must never crash the collection run
        parsed.findings.append(
            error("file_readable", f"Không đọc được nội dung tệp ({type(exc).__name__}).")
        )
        return parsed


def _read(
    wb: python_calamine.CalamineWorkbook, parsed: ParsedFile, formulas: list[str]
) -> ParsedFile:
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
    kind = _recognise_kind(parsed)
    if kind is None:
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
    header_idx, positions = find_header_row(kind, rows)
    if formulas and header_idx is not None:
        # a formula in a column the kind reads, below the headers: values must be typed
        columns = set(positions.values())
        refs = [
            r
            for r in formulas
            if cell_position(r)[0] > header_idx + 1 and cell_position(r)[1] in columns
        ]
        if refs:
            parsed.findings.append(formula_finding(refs))
    return parsed


def read_submission(path: Path) -> ParsedFile:
    """Read any accepted format: the suffix decides (.csv, .json, otherwise Excel)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    if suffix == ".json":
        return read_json(path)
    return read_workbook(path)


def relabel(parsed: ParsedFile, findings: list[Finding]) -> list[Finding]:
    """CSV and JSON have no sheets: a finding there names the line (CSV) or the position in
    ``rows`` (JSON) only, not the template's sheet names the checks use."""
    if parsed.source_format == "xlsx":
        return findings
    return [replace(f, sheet=None) if f.sheet in (DATA_SHEET, META_SHEET) else f for f in findings]


def _recognise_kind(parsed: ParsedFile) -> Kind | None:
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
    return kind


def _decode(parsed: ParsedFile, data: bytes, what: str) -> str | None:
    """The text of a CSV or JSON file. Bytes that are not UTF-8/UTF-16 give a finding naming
    the likely encoding (and None) rather than text guessed into the warehouse."""
    decoded = decode_text_file(data)
    if decoded.text is None:
        named = (
            f"có vẻ được lưu bằng bảng mã {ENCODING_NAMES[decoded.guessed]}"
            if decoded.guessed
            else "không đọc được bằng bảng mã UTF-8"
        )
        parsed.findings.append(
            error(
                "text_encoding",
                f"Tệp {what} không ở dạng Unicode UTF-8: {named}. Hãy lưu lại tệp với bảng mã "
                "UTF-8 (trong Excel: 'Lưu thành' → 'CSV UTF-8') rồi gửi lại.",
                value=ENCODING_NAMES.get(decoded.guessed or "", None),
            )
        )
        return None
    if decoded.encoding == UTF16:
        parsed.findings.append(
            warning(
                "text_encoding",
                f"Tệp {what} được lưu bằng bảng mã UTF-16; đã đọc được, nhưng lần sau hãy lưu "
                "bằng UTF-8 (trong Excel: 'CSV UTF-8').",
                value=ENCODING_NAMES[UTF16],
            )
        )
    return decoded.text


def _meta_line(line: str) -> tuple[str, str] | None:
    """``#ma_don_vi=H01`` (Excel may add quotes or trailing separators when it saves)."""
    text = line.strip().strip('"').strip()
    if not text.startswith("#"):
        return None
    key, _, value = text[1:].partition("=")
    return key.strip(), value.strip().rstrip(",;\t").strip().strip('"').strip()


def read_csv(path: Path) -> ParsedFile:
    """A CSV file: ``#key=value`` metadata lines, then the header line, then the rows.

    Row numbers in findings are the file's line numbers, as a text editor shows them."""
    parsed = ParsedFile(source_format="csv")
    text = _decode(parsed, path.read_bytes(), "CSV")
    if text is None:
        return parsed
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    found: dict[str, str] = {}
    skipped = 0
    for line in lines:
        item = _meta_line(line)
        if item is not None:
            found[item[0]] = item[1]
        elif line.strip(' ,;\t"') != "":
            break
        skipped += 1
    parsed.meta = {name: found.get(key) for name, key in META_KEYS.items()}
    if not found:
        parsed.findings.append(
            error(
                "template_recognised",
                "Tệp CSV thiếu các dòng thông tin biểu mẫu ở đầu tệp (ví dụ '#ma_don_vi=H01', "
                "'#loai_bieu_mau=collective', '#nam=2025', '#ky=CN', '#phien_ban_mau=1').",
            )
        )
        return parsed
    kind = _recognise_kind(parsed)
    if kind is None:
        return parsed
    parsed.kind = kind
    body = "\n".join(lines[skipped:])
    header = lines[skipped] if skipped < len(lines) else ""
    delimiter = max((";", ",", "\t"), key=header.count)
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    rows: list[list[Any]] = []
    numbers: list[int] = []
    try:
        for record in reader:
            rows.append(record)
            numbers.append(skipped + reader.line_num)
    except csv.Error as exc:
        parsed.findings.append(
            error(
                "file_readable",
                f"Tệp CSV sai cấu trúc ở dòng {skipped + reader.line_num} ({exc}).",
                row=skipped + reader.line_num,
            )
        )
        return parsed
    parsed.frame, findings = rows_to_frame(kind, rows, numbers)
    parsed.findings.extend(findings)
    return parsed


def read_json(path: Path) -> ParsedFile:
    """A JSON file: ``{"meta": {...the _meta keys...}, "rows": [{header: value}, ...]}``.

    Row numbers in findings are positions in ``rows``, counted from 1."""
    parsed = ParsedFile(source_format="json")
    text = _decode(parsed, path.read_bytes(), "JSON")
    if text is None:
        return parsed
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        parsed.findings.append(
            error(
                "file_readable",
                f"Tệp JSON sai cú pháp ở dòng {exc.lineno}, cột {exc.colno}; hãy kiểm tra "
                "dấu ngoặc, dấu phẩy và dấu nháy kép.",
                row=exc.lineno,
            )
        )
        return parsed
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("meta"), dict)
        or not isinstance(doc.get("rows"), list)
    ):
        parsed.findings.append(
            error(
                "template_recognised",
                'Tệp JSON phải có dạng {"meta": {...}, "rows": [...]}: "meta" chứa thông tin '
                'biểu mẫu (ma_don_vi, loai_bieu_mau, nam, ky, phien_ban_mau), "rows" là danh '
                "sách các dòng, mỗi dòng ghi theo tên cột của biểu mẫu.",
            )
        )
        return parsed
    parsed.meta = {name: doc["meta"].get(key) for name, key in META_KEYS.items()}
    kind = _recognise_kind(parsed)
    if kind is None:
        return parsed
    parsed.kind = kind
    headers: list[str] = []
    for i, item in enumerate(doc["rows"], start=1):
        if not isinstance(item, dict):
            parsed.findings.append(
                error(
                    "template_recognised",
                    'Mỗi phần tử của "rows" phải là một dòng dạng {tên cột: giá trị}.',
                    row=i,
                )
            )
            return parsed
        headers += [nfc(str(k)) for k in item if nfc(str(k)) not in headers]
    if not doc["rows"]:
        headers = [c.header for c in kind.columns]
    rows = [headers] + [
        [{nfc(str(k)): v for k, v in item.items()}.get(h) for h in headers] for item in doc["rows"]
    ]
    parsed.frame, findings = rows_to_frame(kind, rows, range(0, len(rows)))
    parsed.findings.extend(findings)
    return parsed


def legacy_message(legacy: Legacy, what: str = "Văn bản") -> str:
    shown = legacy.converted if len(legacy.converted) <= 80 else legacy.converted[:77] + "..."
    return (
        f"{what} dùng bảng mã {legacy.name} của phông chữ cũ ({FONTS[legacy.encoding]}), "
        f"không phải Unicode; đọc theo {legacy.name} là: “{shown}”. Hãy chuyển mã sang Unicode "
        f"dựng sẵn (ví dụ công cụ chuyển mã của Unikey: nguồn {legacy.name}, đích Unicode) "
        "rồi gửi lại."
    )


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


def rows_to_frame(
    kind: Kind, rows: list[list[Any]], row_numbers: Sequence[int] | None = None
) -> tuple[pd.DataFrame | None, list[Finding]]:
    """Rows of cells (the header row among the first ones) to a frame of typed values.

    ``row_numbers`` gives the number the unit sees for each element of ``rows`` (a CSV line,
    a position in a JSON list); by default the Excel row, counted from 1."""
    numbers = list(row_numbers) if row_numbers is not None else range(1, len(rows) + 1)
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
        findings += _legacy_headers(rows[:HEADER_SEARCH_ROWS], numbers)
        return None, findings
    records: list[dict[str, Any]] = []
    decomposed = 0
    for i in range(header_idx + 1, len(rows)):
        row, offset = rows[i], numbers[i]
        if all(_text(v) == "" for v in row):
            continue
        record: dict[str, Any] = {ROW_COLUMN: offset}
        for col in kind.columns:
            j = positions.get(col.header)
            raw = row[j] if j is not None and j < len(row) else None
            if isinstance(raw, str) and raw != nfc(raw):
                decomposed += 1
            legacy = detect_legacy(nfc(raw)) if isinstance(raw, str) else None
            if legacy is not None:
                findings.append(
                    error(
                        "legacy_encoding",
                        legacy_message(legacy),
                        sheet=DATA_SHEET,
                        row=offset,
                        column=col.header,
                        value=raw,
                    )
                )
            value, problem = convert(col, raw)
            if problem:
                findings.append(
                    error(
                        f"type_{col.type}",
                        problem,
                        sheet=DATA_SHEET,
                        row=offset,
                        column=col.header,
                        value=raw,  # shown as the unit sees it (decimal comma)
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


def _legacy_headers(rows: list[list[Any]], numbers: Sequence[int]) -> list[Finding]:
    """Headers typed in a legacy font are why they were not found: say so."""
    for i, row in enumerate(rows):
        for v in row:
            legacy = detect_legacy(nfc(v)) if isinstance(v, str) else None
            if legacy is not None:
                return [
                    error(
                        "legacy_encoding",
                        legacy_message(legacy, "Dòng tiêu đề"),
                        sheet=DATA_SHEET,
                        row=numbers[i],
                        value=v,
                    )
                ]
    return []


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
        if isinstance(raw, bool):  # JSON true/false
            return raw, None
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
