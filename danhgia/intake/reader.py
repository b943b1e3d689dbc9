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
import itertools
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
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
    findings: list[Finding] = field(default_factory=list)
    source_format: str = "xlsx"  # xlsx | csv | json
    complete: bool = True  # False: only the head was read (see read_head)
    #: The rows, column by column (ROW_COLUMN first, then the kind's columns); None when the
    #: rows could not be read. Intake joins many files' columns into one frame, so no file
    #: needs a frame of its own.
    columns: dict[str, list[Any]] | None = None
    _frame: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    @property
    def frame(self) -> pd.DataFrame | None:
        """The rows as a frame (built on first use)."""
        if self._frame is None and self.columns is not None and self.kind is not None:
            self._frame = columns_frame(self.kind, self.columns)
        return self._frame

    @property
    def n_rows(self) -> int:
        return 0 if self.columns is None else len(self.columns[ROW_COLUMN])

    def drop_rows(self) -> None:
        """Forget the rows (a collection pass holds one group's rows at a time)."""
        self.columns, self._frame = None, None


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
    parsed.columns, findings = rows_to_columns(kind, rows)
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


def read_head(path: Path, data: bytes | None = None) -> ParsedFile:
    """What a file declares (unit, kind, period), enough to order it among the others, with
    the findings that stop it there. A CSV file's rows are left unread (``complete`` False:
    ``read_submission`` reads the whole file when its turn comes), so that a collection pass
    need not hold every file's rows at once; other formats are read whole. ``data``, when
    given, is the file's content, read already."""
    if path.suffix.lower() == ".csv":
        parsed, lines, _ = _csv_head(path, data)
        parsed.complete = lines is None or parsed.kind is None
        return parsed
    return read_submission(path)


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
    parsed, lines, skipped = _csv_head(path)
    if lines is None or parsed.kind is None:
        return parsed
    body = "\n".join(lines[skipped:])
    header = lines[skipped] if skipped < len(lines) else ""
    delimiter = max((";", ",", "\t"), key=header.count)
    if _plain_csv(body, lines[skipped:]):
        # no quotes, no NUL, no field over the csv module's limit: each line is one row, its
        # cells split at the separator, as the csv module would read them
        split = [line.split(delimiter) for line in lines[skipped:]]
        lines_at = range(skipped + 1, skipped + 1 + len(split))
        parsed.columns, findings = rows_to_columns(parsed.kind, split, lines_at)
        parsed.findings.extend(findings)
        return parsed
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
    parsed.columns, findings = rows_to_columns(parsed.kind, rows, numbers)
    parsed.findings.extend(findings)
    return parsed


def _plain_csv(body: str, lines: list[str]) -> bool:
    """Whether the csv module would read each line of ``body`` as one row split at the
    separator, and raise nothing."""
    if '"' in body or "\0" in body:
        return False
    return max(map(len, lines), default=0) <= csv.field_size_limit()


def _csv_head(path: Path, data: bytes | None = None) -> tuple[ParsedFile, list[str] | None, int]:
    """The metadata of a CSV file and its kind; its lines and how many the metadata takes
    (None when the file cannot be read further)."""
    parsed = ParsedFile(source_format="csv")
    text = _decode(parsed, path.read_bytes() if data is None else data, "CSV")
    if text is None:
        return parsed, None, 0
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
        return parsed, None, 0
    parsed.kind = _recognise_kind(parsed)
    return parsed, lines, skipped


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
    parsed.columns, findings = rows_to_columns(kind, rows, range(0, len(rows)))
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
    columns, findings = rows_to_columns(kind, rows, row_numbers)
    return (None if columns is None else columns_frame(kind, columns)), findings


def columns_frame(kind: Kind, columns: dict[str, list[Any]]) -> pd.DataFrame:
    """A file's columns as a frame."""
    names = [ROW_COLUMN, *kind.column_names]
    if not columns[ROW_COLUMN]:
        return pd.DataFrame.from_records([], columns=names)
    return pd.DataFrame(columns, columns=names)


def rows_to_columns(
    kind: Kind, rows: list[list[Any]], row_numbers: Sequence[int] | None = None
) -> tuple[dict[str, list[Any]] | None, list[Finding]]:
    """``rows_to_frame``'s work, the values column by column (None without a header row)."""
    numbers = row_numbers if row_numbers is not None else range(1, len(rows) + 1)
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
    kept = [i for i in range(header_idx + 1, len(rows)) if not _blank(rows[i])]
    offsets = [numbers[i] for i in kept]
    by_position = list(itertools.zip_longest(*(rows[i] for i in kept)))
    columns: dict[str, list[Any]] = {ROW_COLUMN: offsets}
    found: list[tuple[int, int, Finding]] = []  # (row, column, finding): sorted row by row
    decomposed = 0
    for c, col in enumerate(kind.columns):
        j = positions.get(col.header)
        cells = by_position[j] if j is not None and j < len(by_position) else [None] * len(kept)
        columns[col.name], n = _convert_column(col, cells, offsets, c, found)
        decomposed += n
    found.sort(key=lambda x: (x[0], x[1]))
    findings += [f for _, _, f in found]
    if decomposed:
        findings.append(
            warning(
                "unicode_nfc",
                f"{decomposed} ô chứa chữ Việt ở dạng Unicode tổ hợp (NFD); đã chuẩn hóa về "
                "dạng dựng sẵn (NFC). Nên lưu tệp bằng bộ gõ Unicode dựng sẵn.",
                sheet=DATA_SHEET,
            )
        )
    return columns, findings


def _blank(row: list[Any]) -> bool:
    """Whether every cell of a row is empty (spaces only)."""
    try:
        return not "".join(row).strip()
    except TypeError:  # cells other than text: a workbook's numbers, dates, empty cells
        return all(_text(v) == "" for v in row)


#: A cell's reading: value, whether it was decomposed Unicode, its legacy encoding, problem.
Reading = tuple[Any, bool, Legacy | None, str | None]


def _convert_column(
    col: Column,
    cells: Sequence[Any],
    offsets: list[int],
    c: int,
    found: list[tuple[int, int, Finding]],
) -> tuple[list[Any], int]:
    """One column's cells to values, each as ``_read_cell`` reads it, but not one Python call
    per cell where it can be helped (a file of 600,000 rows): a column of plain ASCII text
    (codes, numbers, dates as a unit types them) is converted in one go, and otherwise each
    distinct cell is read once. Returns the values and how many cells were in decomposed
    Unicode; findings go to ``found`` with the cell's position."""
    values = _uniform_column(col, cells)
    if values is not None:
        return values, 0
    memo: dict[str, Reading] = {}  # text only: equal numbers may differ (0.0 and -0.0)
    values = []
    decomposed = 0
    for k, raw in enumerate(cells):
        if type(raw) is str:
            reading = memo.get(raw)
            if reading is None:
                reading = memo[raw] = _read_cell(col, raw)
        else:
            reading = _read_cell(col, raw)
        value, nfd, legacy, problem = reading
        decomposed += nfd
        if legacy is not None:
            found.append(
                (
                    k,
                    c,
                    error(
                        "legacy_encoding",
                        legacy_message(legacy),
                        sheet=DATA_SHEET,
                        row=offsets[k],
                        column=col.header,
                        value=raw,
                    ),
                )
            )
        if problem:
            found.append(
                (
                    k,
                    c,
                    error(
                        f"type_{col.type}",
                        problem,
                        sheet=DATA_SHEET,
                        row=offsets[k],
                        column=col.header,
                        value=raw,  # shown as the unit sees it (decimal comma)
                    ),
                )
            )
        values.append(value)
    return values, decomposed


def _read_cell(col: Column, raw: Any) -> Reading:
    """One cell: checked for a legacy font and decomposed Unicode if it is text, converted."""
    if raw is None:
        return None, False, None, None
    if isinstance(raw, str):
        return _read_text(col.type, str(raw))
    value, problem = convert(col, raw)
    return value, False, None, problem


@lru_cache(maxsize=1 << 16)
def _read_text(column_type: str, raw: str) -> Reading:
    """``_read_cell`` of a text cell (remembered: files repeat the same words and phrases)."""
    if raw.isascii():  # neither decomposed nor in a legacy font
        value = _QUICK[column_type](raw)
        if value is not _SLOW:
            return value, False, None, None
    normal = nfc(raw)
    value, problem = convert(Column("", "", column_type), raw)
    return value, raw != normal, detect_legacy(normal), problem


def _uniform_column(col: Column, cells: Sequence[Any]) -> list[Any] | None:
    """The values of a column whose every cell is ASCII text of the plain shape of its type,
    converted in one go; None for any other column."""
    try:
        if not "".join(cells).isascii():
            return None
    except TypeError:  # empty cells, or a workbook's typed values
        return None
    if col.type == "str":
        return [x.strip() or None for x in cells]
    if col.type == "level":
        return [x.strip().upper() or None for x in cells]
    if col.type in ("float", "int") and all(map(_PLAIN_NUMBER.fullmatch, cells)):
        values = [float(x.replace(",", ".")) for x in cells]
        if col.type == "float":
            return values
        if all(v.is_integer() for v in values):
            return [int(v) for v in values]
    if col.type == "date" and all(map(_PLAIN_DATE.fullmatch, cells)):
        try:
            return [dt.date(int(x[6:]), int(x[3:5]), int(x[:2])) for x in cells]
        except ValueError:
            return None
    return None


_SLOW = object()  # a quick conversion's answer for "take the full path"
_PLAIN_NUMBER = re.compile(r"-?\d+(?:,\d+)?")
_PLAIN_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


def _quick_text(raw: str) -> Any:
    return raw.strip() or None


def _quick_level(raw: str) -> Any:
    text = raw.strip()
    return text.upper() if text else None


def _quick_float(raw: str) -> Any:
    if not _PLAIN_NUMBER.fullmatch(raw):
        return _SLOW
    return float(raw.replace(",", "."))


def _quick_int(raw: str) -> Any:
    value = _quick_float(raw)
    if value is _SLOW or not value.is_integer():
        return _SLOW
    return int(value)


def _quick_date(raw: str) -> Any:
    if not _PLAIN_DATE.fullmatch(raw):
        return _SLOW
    try:
        return dt.date(int(raw[6:]), int(raw[3:5]), int(raw[:2]))
    except ValueError:
        return _SLOW


def _quick_none(raw: str) -> Any:
    return _SLOW


#: The short way for an ASCII text cell, by column type (booleans are words with diacritics).
_QUICK = {
    "str": _quick_text,
    "level": _quick_level,
    "float": _quick_float,
    "int": _quick_int,
    "date": _quick_date,
    "bool": _quick_none,
}


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
