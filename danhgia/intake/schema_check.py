"""Running a kind's pandera schema lazily and saying every failure in Vietnamese."""

from __future__ import annotations

import re

import pandas as pd
import pandera.errors

from danhgia.intake.findings import Finding, error
from danhgia.intake.reader import ROW_COLUMN
from danhgia.kinds import DATA_SHEET, LEVELS, Kind
from schemas import SCHEMAS

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
    if check.startswith("str_matches"):
        return "Mã chỉ gồm chữ cái không dấu, chữ số, dấu gạch; không có khoảng trắng."
    if check.startswith("str_length"):
        return "Nội dung quá ngắn."
    if check.startswith("dtype") or check.startswith("coerce"):
        return "Kiểu dữ liệu không đúng."
    return f"Vi phạm quy tắc '{check}'."


def check_schema(kind: Kind, frame: pd.DataFrame, already: set[tuple[int, str]]) -> list[Finding]:
    """Every schema failure of the file at once (lazy validation).

    ``already`` holds (row, column) cells the reader has reported, so a cell that could not
    be read as a number is not reported a second time as empty.
    """
    schema = SCHEMAS[kind.code]
    typed = typed_frame(kind, frame)
    try:
        schema.validate(typed, lazy=True)
        return []
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    headers = {c.name: c.header for c in kind.columns}
    findings: list[Finding] = []
    seen: set[tuple] = set()
    for case in cases.itertuples(index=False):
        check = str(case.check)
        column = case.column if isinstance(case.column, str) and case.column in headers else None
        index = case.index
        has_index = index is not None and not (isinstance(index, float) and pd.isna(index))
        row = int(frame.loc[int(index), ROW_COLUMN]) if has_index else None
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
