"""Running a kind's pandera schema lazily and saying every failure in Vietnamese."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pandera.errors
import pandera.pandas as pa

from danhgia.intake.findings import Finding, error
from danhgia.intake.reader import ROW_COLUMN, columns_frame
from danhgia.kinds import DATA_SHEET, LEVELS, Kind
from schemas import SCHEMAS
from schemas.base import FILE_COLUMN

#: Messages for the dataframe-level checks, by check name (the rule in domain words).
RULE_MESSAGES = {
    "parent_is_a_listed_unit": "Mã đơn vị cấp trên không có trong danh mục đơn vị.",
    "post_ends_after_it_starts": "Ngày kết thúc chức vụ trước ngày bắt đầu.",
    "low_votes_within_total": "Số phiếu tín nhiệm thấp lớn hơn tổng số phiếu.",
    "long_term_task_has_milestone": "Nhiệm vụ dài hạn phải ghi mốc phải đạt trong năm.",
    "completed_task_has_completion_date": "Nhiệm vụ đã hoàn thành phải ghi ngày hoàn thành.",
    "one_proposed_level_per_cadre": "Mỗi cán bộ chỉ được tự xếp một mức trên mọi dòng.",
    "one_score_per_cadre_and_criterion": "Một tiêu chí của một cán bộ bị chấm nhiều lần.",
    "late_task_excusal_names_the_task": "Miễn trừ trễ hạn phải ghi mã nhiệm vụ.",
    "completed_within_planned": "Số nhiệm vụ hoàn thành lớn hơn số nhiệm vụ kế hoạch.",
    "failing_subordinates_within_subordinates": (
        "Số đơn vị trực thuộc không hoàn thành nhiệm vụ lớn hơn số đơn vị trực thuộc."
    ),
}


def typed_frame(kind: Kind, frame: pd.DataFrame) -> pd.DataFrame:
    """Give each column the dtype its schema expects, keeping missing values missing."""
    out = frame.copy()
    for col in kind.columns:
        s = out[col.name]
        if col.type == "date":
            out[col.name] = pd.to_datetime(s, errors="coerce")
        elif col.type == "bool":
            out[col.name] = s.astype("boolean")
        elif col.type == "int":
            out[col.name] = pd.to_numeric(s, errors="coerce").astype("Int64")
        elif col.type == "float":
            out[col.name] = pd.to_numeric(s, errors="coerce").astype("float64")
        else:
            out[col.name] = s.astype(object).where(s.notna(), None)
    return out


def _message(check: str, column: str | None) -> str:
    if check in RULE_MESSAGES:
        return RULE_MESSAGES[check]
    if check == "not_nullable":
        return "Ô bắt buộc nhưng đang để trống."
    if check == "field_uniqueness":
        return "Giá trị bị trùng với một dòng khác; mỗi mã chỉ được xuất hiện một lần."
    if check.startswith("isin"):
        if column in ("level", "proposed_level"):
            return "Mức xếp loại phải là một trong: " + ", ".join(LEVELS) + "."
        allowed = check[len("isin(") : -1]
        return f"Giá trị không thuộc danh sách cho phép: {allowed}."
    if m := re.match(r"greater_than_or_equal_to\((.*)\)", check):
        return f"Giá trị phải lớn hơn hoặc bằng {m[1]}."
    if m := re.match(r"greater_than\((.*)\)", check):
        return f"Giá trị phải lớn hơn {m[1]}."
    if m := re.match(r"less_than_or_equal_to\((.*)\)", check):
        return f"Giá trị phải nhỏ hơn hoặc bằng {m[1]}."
    if check.startswith("plain_code"):
        return "Mã chỉ gồm chữ cái không dấu, chữ số, dấu gạch; không có khoảng trắng."
    if check.startswith("str_length"):
        return "Nội dung quá ngắn."
    if check.startswith("dtype") or check.startswith("coerce"):
        return "Kiểu dữ liệu không đúng."
    return f"Vi phạm quy tắc '{check}'."


def check_schema(kind: Kind, frame: pd.DataFrame, already: set[tuple[int, str]]) -> list[Finding]:
    """Every schema failure of one file at once (lazy validation).

    ``already`` holds (row, column) cells the reader has reported, so a cell that could not
    be read as a number is not reported a second time as empty.
    """
    return check_schema_files(kind, group_frame(kind, [frame]), [already])[0]


def group_frame(
    kind: Kind, parts: Sequence[pd.DataFrame | Mapping[str, Sequence[Any]]]
) -> pd.DataFrame:
    """Several files' rows of one kind in one frame, each row tagged with the position of its
    file in ``parts`` (``FILE_COLUMN``), so one pandera call checks them all. A part is a
    file's frame or its columns (``ParsedFile.columns``): joined as lists, thousands of files
    make one frame without a frame each. (A column's values are of one type whichever file
    they come from, whole numbers included: the reader reads them through a float, so one
    frame holds each exactly as the file's own frame would.)"""
    sizes = [len(p[ROW_COLUMN]) for p in parts]
    files = np.repeat(np.arange(len(parts)), sizes)
    if all(isinstance(p, pd.DataFrame) for p in parts):
        frames = [p for p in parts if isinstance(p, pd.DataFrame)]
        out = frames[0].reset_index(drop=True) if len(frames) == 1 else pd.concat(frames)
        return out.reset_index(drop=True).assign(**{FILE_COLUMN: files})
    names = [ROW_COLUMN, *kind.column_names]
    data: dict[str, Any] = {
        n: list(itertools.chain.from_iterable(p[n] for p in parts)) for n in names
    }
    if not sum(sizes):
        return columns_frame(kind, data).assign(**{FILE_COLUMN: files})
    for col in kind.columns:
        if col.type in TEXT_TYPES:  # left as the objects they are: typed_frame wants them so,
            data[col.name] = _objects(data[col.name])  # and inferring pandas' str costs more
    out = pd.DataFrame(data, columns=names)
    return out.assign(**{FILE_COLUMN: files})


#: Column types read as text (what ``typed_frame`` leaves as Python strings).
TEXT_TYPES = frozenset({"str", "level"})


def _objects(values: list[Any]) -> pd.Series:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return pd.Series(out, dtype=object, copy=False)


def check_schema_files(
    kind: Kind,
    frame: pd.DataFrame,
    already: list[set[tuple[int, str]]],
    typed: pd.DataFrame | None = None,
) -> list[list[Finding]]:
    """Every schema failure of every file of a ``group_frame`` (``already`` is per file): one
    pandera call for the group, the failures then told file by file, each exactly as if its
    file had been validated alone (same findings, same order).

    Two things differ when files share a frame, and are put back: a column unique within a
    file may hold the same code in two files (such failures are dropped), and a value pandera
    cannot coerce, or a failure not tied to a row, would concern the whole column of every
    file (the group is then validated file by file: only a hostile file causes it).
    ``typed`` is ``typed_frame(kind, frame)`` when the caller has it already.
    """
    findings: list[list[Finding]] = [[] for _ in already]
    typed = typed_frame(kind, frame) if typed is None else typed
    if typed.empty:
        return findings
    try:
        _schema(kind).validate(typed, lazy=True)
        return findings
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    files = typed[FILE_COLUMN].to_numpy()
    if len(already) > 1 and _whole_column(cases):
        return [
            check_schema_files(kind, _alone(frame[files == i]), [cells])[0]
            for i, cells in enumerate(already)
        ]
    rows = typed[ROW_COLUMN].to_numpy()
    shared = _shared_across_files(kind, typed)
    owner = []  # each failure's file; -1: not a failure of the file alone
    for check, column, index in zip(cases["check"], cases["column"], cases["index"], strict=True):
        if column == FILE_COLUMN:  # a rule across columns lists each column of a failing row
            owner.append(-1)
        elif not _has_index(index):
            owner.append(0)
        elif str(check) == "field_uniqueness" and int(index) in shared.get(column, ()):
            owner.append(-1)  # a code repeated only in another file
        else:
            owner.append(int(files[int(index)]))
    where = np.asarray(owner, dtype=int)
    for file in np.unique(where[where >= 0]):
        # pandera orders failures by their schema context with an unstable sort, after
        # listing them check by check: the same sort of this file's failures alone, in the
        # order they were listed (the index), gives the order validating it alone gives
        mine = cases[where == file].sort_index().reset_index(drop=True)
        mine = mine.sort_values("schema_context", ascending=False)
        findings[file] = _findings(kind, mine, rows, already[file])
    return findings


def _findings(
    kind: Kind, cases: pd.DataFrame, rows: np.ndarray, already: set[tuple[int, str]]
) -> list[Finding]:
    """One file's failures in Vietnamese; ``rows`` maps the frame's index to the row the unit
    sees."""
    headers = {c.name: c.header for c in kind.columns}
    findings: list[Finding] = []
    seen: set[tuple] = set()
    for case in cases.itertuples(index=False):
        check = str(case.check)
        column = case.column if isinstance(case.column, str) and case.column in headers else None
        row = int(rows[int(case.index)]) if _has_index(case.index) else None
        if row is not None and column and (row, headers[column]) in already:
            continue
        if check in RULE_MESSAGES:  # a rule across columns: one finding per row
            column, value = None, None
        else:
            value = None if pd.isna(case.failure_case) else case.failure_case
        key = (row, column, check)
        if key in seen:
            continue
        seen.add(key)
        findings.append(
            error(
                check.split("(")[0],
                _message(check, column),
                sheet=DATA_SHEET,
                row=row,
                column=headers.get(column) if column else None,
                value=value,
            )
        )
    return findings


def _alone(rows: pd.DataFrame) -> pd.DataFrame:
    """One file's rows of a group frame, as the frame of that file alone."""
    return rows.reset_index(drop=True).assign(**{FILE_COLUMN: 0})


@cache
def _schema(kind: Kind) -> pa.DataFrameSchema:
    return SCHEMAS[kind.code].to_schema()


def _has_index(index: object) -> bool:
    return index is not None and not (isinstance(index, float) and pd.isna(index))


def _whole_column(cases: pd.DataFrame) -> bool:
    """Failures that are about a column's type, or not tied to a row."""
    checks = cases["check"].astype(str)
    untied = ~cases["index"].map(_has_index).astype(bool)
    return bool(checks.str.startswith(("coerce", "dtype")).any() or untied.any())


def _shared_across_files(kind: Kind, typed: pd.DataFrame) -> dict[str, set[int]]:
    """For each column unique within a file, the rows whose value repeats only in other files:
    pandera, seeing one frame, calls them duplicates."""
    out: dict[str, set[int]] = {}
    if typed[FILE_COLUMN].nunique() < 2:
        return out
    for name, column in _schema(kind).columns.items():
        if not column.unique:
            continue
        anywhere = typed.duplicated([name], keep=False)
        within = typed.duplicated([FILE_COLUMN, name], keep=False)
        out[name] = set(np.flatnonzero((anywhere & ~within).to_numpy()))
    return out
