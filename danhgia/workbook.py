"""Writing submission workbooks the way a unit's file looks: a title, the Vietnamese headers,
the rows, and a hidden metadata sheet that names the unit, kind, cycle, period and template.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from danhgia.kinds import DATA_SHEET, META_KEYS, META_SHEET, NO, TEMPLATE_VERSION, YES, Kind

TITLE_ROW = 1
HEADER_ROW = 3
FIRST_DATA_ROW = HEADER_ROW + 1


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
    ws.cell(TITLE_ROW, 1, title).font = Font(bold=True)
    for j, col in enumerate(kind.columns, start=1):
        c = ws.cell(HEADER_ROW, j, col.header)
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[c.column_letter].width = 40 if col.free_text else 16
    for i, row in enumerate(rows, start=FIRST_DATA_ROW):
        for j, col in enumerate(kind.columns, start=1):
            v = cell_value(row.get(col.name), col.type)
            cell = ws.cell(i, j, v)
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
        meta.cell(i, 1, key)
        meta.cell(i, 2, value)
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
