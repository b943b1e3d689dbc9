"""Writing submission workbooks the way a unit's file looks: a title, the Vietnamese headers,
the rows, and a hidden metadata sheet that names the unit, kind, cycle, period and template.

The workbooks built here, the templates (``danhgia.intake.templates``) and the returned
workbooks (``danhgia.intake.feedback``) write every cell with ``write_cell``: see there for why
text is never a formula, and how the project's own formulas are told apart.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from danhgia.formula_safety import FORMULA_TRIGGERS
from danhgia.kinds import DATA_SHEET, META_KEYS, META_SHEET, NO, TEMPLATE_VERSION, YES, Kind

TITLE_ROW = 1
HEADER_ROW = 3
FIRST_DATA_ROW = HEADER_ROW + 1


@dataclass(frozen=True)
class Formula:
    """A formula the project builds itself (a template's look-up column): the only value
    ``write_cell`` writes as a formula. Text copied from data is a plain ``str``, never this."""

    text: str  # as typed in Excel, starting with "="

    def __post_init__(self) -> None:
        if not self.text.startswith("="):
            raise ValueError(f"a formula starts with '=': {self.text!r}")


def write_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one value into a cell the way every .xlsx of the project is written (issue #8,
    "Exports are safe").

    A ``Formula`` becomes a formula. Any ``str`` is stored as a string cell holding exactly the
    text, whatever it starts with: openpyxl would otherwise make any text starting with "="
    a formula (and "#N/A" an error), so a unit or cadre name such as
    ``=HYPERLINK("http://…","x")`` copied from the warehouse would run when the file is opened.
    Excel and LibreOffice never evaluate a string cell, and the value reads back unchanged
    through ``danhgia.intake.reader`` — unlike CSV, where a ``'`` is prepended
    (``danhgia.formula_safety.neutralise_cell``) because CSV has no cell types, and where
    the prefix would here change the codes and names a unit sends back. Text starting with a
    formula trigger also gets Excel's quote-prefix style (what Excel itself stores when one
    types ``'=1+1``): the value is unchanged, and the cell stays text if the user edits it and
    presses Enter. Numbers, dates, booleans and None are written as they are.
    """
    cell = ws.cell(row, column)
    if isinstance(value, Formula):
        cell.value = value.text
        return cell
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    return cell


def cell_value(value: Any, column_type: str) -> Any:
    """A Python value as a unit would type it into the cell."""
    if value is None:
        return None
    if column_type == "bool" and isinstance(value, bool):
        return YES if value else NO
    if column_type == "date" and isinstance(value, dt.datetime):
        return value.date()
    return value


def build_workbook(
    kind: Kind,
    *,
    unit_code: str,
    cycle: int,
    scope: str,
    rows: Iterable[Mapping[str, Any]],
    unit_name: str = "",
    template_version: str = TEMPLATE_VERSION,
) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    title = f"{kind.title.upper()} — NĂM {cycle}"
    if unit_name:
        title += f" — {unit_name}"
    write_cell(ws, TITLE_ROW, 1, title).font = Font(bold=True)
    for j, col in enumerate(kind.columns, start=1):
        c = write_cell(ws, HEADER_ROW, j, col.header)
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[c.column_letter].width = 40 if col.free_text else 16
    for i, row in enumerate(rows, start=FIRST_DATA_ROW):
        for j, col in enumerate(kind.columns, start=1):
            v = cell_value(row.get(col.name), col.type)
            cell = write_cell(ws, i, j, v)
            if col.type == "date" and v is not None:
                cell.number_format = "DD/MM/YYYY"
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)
    meta = wb.create_sheet(META_SHEET)
    for i, (key, value) in enumerate(
        [
            (META_KEYS["unit_code"], unit_code),
            (META_KEYS["kind"], kind.code),
            (META_KEYS["cycle"], cycle),
            (META_KEYS["scope"], scope),
            (META_KEYS["template_version"], template_version),
        ],
        start=1,
    ):
        write_cell(meta, i, 1, key)
        write_cell(meta, i, 2, value)
    meta.sheet_state = "hidden"
    return wb


def save_atomically(wb: Workbook, path: Path) -> None:
    """Write to a temporary name in the same folder, then rename, so no reader sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    os.replace(tmp, path)


def write_submission(path: Path, kind: Kind, **kwargs: Any) -> Path:
    save_atomically(build_workbook(kind, **kwargs), path)
    return path


# --- the same submission as CSV or JSON (README, "Intake") ---------------------------------
def _meta_items(
    kind: Kind, unit_code: str, cycle: int, scope: str, template_version: str
) -> list[tuple[str, Any]]:
    return [
        (META_KEYS["unit_code"], unit_code),
        (META_KEYS["kind"], kind.code),
        (META_KEYS["cycle"], cycle),
        (META_KEYS["scope"], scope),
        (META_KEYS["template_version"], template_version),
    ]


def text_value(value: Any, column_type: str) -> str:
    """A value as a unit types it in a CSV cell: decimal comma, d/m/y dates, Có/Không."""
    value = cell_value(value, column_type)
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def submission_csv(
    kind: Kind,
    *,
    unit_code: str,
    cycle: int,
    scope: str,
    rows: Iterable[Mapping[str, Any]],
    template_version: str = TEMPLATE_VERSION,
    delimiter: str = ";",
) -> str:
    """A submission as CSV: one ``#key=value`` line per metadata key, the Vietnamese header
    line, then the rows. ``;`` is the default separator: it is what Excel writes where the
    decimal separator is a comma, as in Vietnamese."""
    buf = io.StringIO()
    for key, value in _meta_items(kind, unit_code, cycle, scope, template_version):
        buf.write(f"#{key}={value}\n")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow([c.header for c in kind.columns])
    for row in rows:
        writer.writerow([text_value(row.get(c.name), c.type) for c in kind.columns])
    return buf.getvalue()


def submission_json(
    kind: Kind,
    *,
    unit_code: str,
    cycle: int,
    scope: str,
    rows: Iterable[Mapping[str, Any]],
    template_version: str = TEMPLATE_VERSION,
) -> str:
    """A submission as JSON: ``{"meta": {...}, "rows": [{header: value}, ...]}``, numbers as
    numbers, true/false for Có/Không, dates as "dd/mm/yyyy"."""

    def plain(value: Any, column_type: str) -> Any:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        return value

    doc = {
        "meta": dict(_meta_items(kind, unit_code, cycle, scope, template_version)),
        "rows": [{c.header: plain(row.get(c.name), c.type) for c in kind.columns} for row in rows],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
