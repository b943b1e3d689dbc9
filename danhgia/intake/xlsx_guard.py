"""Looking inside an .xlsx before reading it: a workbook is a zip of XML parts, and some of
what units do to them must be caught before any cell is read — a zip bomb (tiny file, huge
sheet), formulas where values belong, merged cells, sheets the template does not have."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from danhgia.intake.findings import Finding, error, warning
from danhgia.kinds import DATA_SHEET, META_SHEET

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: Sheets a template may carry besides the data and metadata (instructions, drop-down lists,
#: the results sheet of a returned workbook).
KNOWN_SHEETS = {DATA_SHEET, META_SHEET, "Hướng dẫn", "Danh mục", "Kết quả kiểm tra"}
SHOWN_CELLS = 10

_SHEET = re.compile(rb"<sheet\b[^>]*>")
_ATTR = re.compile(rb'\b([\w:]+)="([^"]*)"')
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>")
# a cell element that is not self-closing ("/>") and holds an <f> before its "</c>"
_FORMULA_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>/]*>(?:(?!</c>).)*?<f\b', re.S)
_MERGE = re.compile(rb'<mergeCell\b[^>]*\bref="([A-Z0-9:]+)"')


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return (
        text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
    )


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding it (through the workbook's relationships)."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for tag in _RELATIONSHIP.findall(rels):
        attrs = dict(_ATTR.findall(tag))
        target = attrs.get(b"Target", b"").decode().lstrip("/")
        targets[attrs.get(b"Id", b"")] = target if target.startswith("xl/") else f"xl/{target}"
    parts = {}
    for tag in _SHEET.findall(workbook):
        attrs = dict(_ATTR.findall(tag))
        name = _unescape(attrs.get(b"name", b""))
        parts[name] = targets.get(attrs.get(b"r:id", b""), "")
    return parts


def inspect_xlsx(path: Path) -> tuple[list[Finding], list[str]]:
    """Findings about the workbook's structure (an empty list for a plain filled template),
    and the cells of the data sheet that hold a formula (the reader decides which matter:
    the template's grey reference columns may compute).

    A file that is not a zip at all is left to the reader, which reports it as unreadable.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return [], []
    with archive:
        members = archive.infolist()
        if sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
            return [
                error(
                    "file_size",
                    f"Nội dung tệp khi giải nén vượt {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB "
                    "(tệp nén bất thường); tệp không được mở.",
                )
            ], []
        findings: list[Finding] = []
        sheets = _sheet_parts(archive)
        extra = [name for name in sheets if name not in KNOWN_SHEETS]
        if extra:
            findings.append(
                warning(
                    "extra_sheets",
                    "Tệp có thêm trang ngoài biểu mẫu ("
                    + ", ".join(f"'{name}'" for name in extra)
                    + "); các trang này không được đọc.",
                )
            )
        formulas: list[str] = []
        merged: list[str] = []
        part = sheets.get(DATA_SHEET)
        if part and part in {m.filename for m in members}:
            # only the data sheet is read; a returned workbook's own sheets may link cells
            xml = archive.read(part)
            formulas = [ref.decode() for ref in _FORMULA_CELL.findall(xml)]
            merged = [ref.decode() for ref in _MERGE.findall(xml)]
    if merged:
        findings.append(
            error(
                "no_merged_cells",
                "Bảng có ô gộp (" + ", ".join(merged[:SHOWN_CELLS]) + "); hãy bỏ gộp ô và ghi "
                "đủ giá trị trên từng dòng.",
            )
        )
    return findings, formulas


def formula_finding(refs: list[str]) -> Finding:
    shown = ", ".join(refs[:SHOWN_CELLS]) + (" …" if len(refs) > SHOWN_CELLS else "")
    return error(
        "no_formulas",
        f"{len(refs)} ô chứa công thức ({shown}); số liệu phải được nhập trực tiếp. "
        "Hãy sao chép và dán dạng giá trị (Paste Special → Values) rồi gửi lại.",
    )


def cell_position(ref: str) -> tuple[int, int]:
    """'J12' -> (row 12, column index 9)."""
    letters = re.match(r"[A-Z]+", ref)[0]
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(ref[len(letters) :]), col - 1
