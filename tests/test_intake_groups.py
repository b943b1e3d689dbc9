"""Files of one kind and period are checked together (one schema validation, one pass of each
cross-reference rule) and loaded in one transaction: each file must still get exactly the
findings, in the same order, that it gets when it is the only file taken in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from danhgia.intake.reader import columns_frame, rows_to_columns, rows_to_frame
from danhgia.intake.schema_check import (
    check_schema,
    check_schema_files,
    group_frame,
    typed_frame,
)
from danhgia.kinds import ANNUAL, KINDS
from tests.intake_support import Desk, desk_fixture, province_fixture  # noqa: F401

Rows = list[dict[str, Any]]


def _dup_task(rows: Rows) -> None:
    rows[1]["task_code"] = rows[0]["task_code"]


def _many_failures(rows: Rows) -> None:
    """More than sixteen failures in one file: pandera orders them with an unstable sort."""
    for i, r in enumerate(rows):
        r["proposed_level"] = ("HTXSNV", "HTTNV", "HTNV")[i % 3]
        r["achieved"] = -1.0


def _first_cadre(other: str) -> Callable[[Rows], None]:
    def mutate(rows: Rows) -> None:
        rows[0]["cadre_code"] = other

    return mutate


def _no_date(rows: Rows) -> None:
    rows[0].update(completed=True, completed_on=None)


def _two_scores(rows: Rows) -> None:
    rows[1] = dict(rows[0])
    rows[2]["score"] = 99.0


def _other_parent(rows: Rows) -> None:
    rows[3]["parent_code"] = "ZZ"
    rows[4]["unit_code"] = rows[5]["unit_code"]


#: (kind, period, [(folder, format, mutation)]): every file of a case is one group.
CASES = {
    "self-assessments": (
        "self_assessment",
        ANNUAL,
        [
            ("H01", "xlsx", None),
            ("H01", "csv", None),  # the same codes as the first file, in another file
            ("H01", "xlsx", _dup_task),
            ("H01", "json", _many_failures),
            ("H02", "csv", None),  # another unit sending H01's cadres
            ("H01", "csv", _first_cadre("CB9999")),
            ("H01", "xlsx", _no_date),
            ("H01", "csv", lambda rows: rows.clear()),  # headers only
        ],
    ),
    "council sheets": (
        "council_scores",
        "TV02",
        [
            ("TU", "xlsx", None),
            ("TU", "csv", _two_scores),
            ("TU", "json", _first_cadre("CB9999")),
        ],
    ),
    "unit lists": (
        "units",
        ANNUAL,
        [("TU", "xlsx", None), ("TU", "csv", _other_parent)],
    ),
}


def _rows(desk: Desk, kind: str, scope: str) -> Rows:
    folder = "TU" if KINDS[kind].reference or kind == "council_scores" else "H01"
    return [dict(r) for r in desk.rows(kind, folder, scope)]


def _write(desk: Desk, kind: str, scope: str, i: int, folder: str, fmt: str, mutate) -> str:
    rows = _rows(desk, kind, scope)
    if mutate is not None:
        mutate(rows)
    name = f"tep{i:02d}.{fmt}"
    when = desk.on_time(kind, scope) + dt.timedelta(minutes=i)
    desk.write(kind, rows, folder=folder, scope=scope, fmt=fmt, name=name, received=when)
    return f"{folder}/{name}"


def _said(outcome) -> list[tuple]:
    return [tuple(f.as_dict().values()) for f in outcome.findings]


@pytest.mark.parametrize("case", list(CASES))
def test_a_file_checked_with_others_gets_what_it_gets_alone(
    province: Path, tmp_path: Path, case: str
) -> None:
    kind, scope, files = CASES[case]
    together = Desk(province, tmp_path / "together")
    try:
        names = [_write(together, kind, scope, i, *spec) for i, spec in enumerate(files, start=1)]
        got = {f"{o.sender}/{o.file_name}": o for o in together.collect()}
    finally:
        together.close()
    assert sorted(got) == sorted(names)
    assert any(o.status == "loaded" for o in got.values())
    assert any(o.status == "quarantined" for o in got.values())
    for i, spec in enumerate(files, start=1):
        alone = Desk(province, tmp_path / f"alone{i}")
        try:
            name = _write(alone, kind, scope, i, *spec)
            (outcome,) = alone.collect()
        finally:
            alone.close()
        assert outcome.status == got[name].status, name
        assert _said(outcome) == _said(got[name]), name


def test_codes_repeated_across_files_are_not_duplicates() -> None:
    kind = KINDS["collective"]
    header = [c.header for c in kind.columns]
    row = ["H01", 5, 5, 0, 0, "Không", "HTTNV"]
    frames = [rows_to_frame(kind, [header, row])[0], rows_to_frame(kind, [header, row, row])[0]]
    per_file = check_schema_files(kind, group_frame(kind, frames), [set(), set()])
    assert per_file[0] == []
    assert [(f.rule, f.row) for f in per_file[1]] == [
        ("field_uniqueness", 2),
        ("field_uniqueness", 3),
    ]
    assert per_file[1] == check_schema(kind, frames[1], set())


def test_a_group_frame_tags_each_row_with_its_file() -> None:
    kind = KINDS["collective"]
    header = [c.header for c in kind.columns]
    columns = [
        rows_to_columns(kind, [header] + [[f"H0{i}", 5, 5, 0, 0, "Không", "HTTNV"]] * n)[0]
        for i, n in ((1, 1), (2, 0), (3, 2))
    ]
    group = group_frame(kind, columns)
    assert list(group["_file"]) == [0, 2, 2]
    assert list(group["unit_code"]) == ["H01", "H03", "H03"]
    assert list(group["_row"]) == [2, 2, 3]
    frames = group_frame(kind, [columns_frame(kind, c) for c in columns])
    names = kind.column_names
    assert typed_frame(kind, group)[names].equals(typed_frame(kind, frames)[names])
