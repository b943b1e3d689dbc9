"""Helpers shared by the intake tests: a small province collected once, and a desk that
takes one more file into a copy of its warehouse, so each case runs in a fraction of a second.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from danhgia.cycle_config import CycleConfig, load_cycle_config
from danhgia.intake.collect import LOCAL_TZ, Outcome, collect
from danhgia.intake.storage import LocalStore
from danhgia.kinds import KINDS
from danhgia.warehouse import connect
from danhgia.workbook import submission_csv, submission_json, write_submission
from tests.conftest import CYCLE_FILE, copy_province

WAREHOUSE = "warehouse.duckdb"


def collect_province(source: Path, target: Path, config: CycleConfig) -> Path:
    """Copy a generated province and take in its whole inbox; the warehouse is closed."""
    root = copy_province(source, target)
    con = connect(root / WAREHOUSE)
    try:
        collect(con, root / "inbox", LocalStore(root / "store"), config)
    finally:
        con.close()
    return root


@pytest.fixture(scope="module", name="province")
def province_fixture(tmp_path_factory: pytest.TempPathFactory, small_inbox: Path) -> Path:
    """The small province, collected once per test module (read-only: copy it to change)."""
    config = load_cycle_config(CYCLE_FILE)
    return collect_province(small_inbox, tmp_path_factory.mktemp("province") / "data", config)


def stamp(path: Path, when: dt.datetime) -> Path:
    """Set a file's receipt time (its modification time); a naive time is the province's."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=LOCAL_TZ)
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def plain(value: Any) -> Any:
    """A warehouse value as a Python value a unit would type."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):
        return value.item()
    return value


class Desk:
    """A copy of the collected province's warehouse with an empty inbox: write a file, take
    it in, look at the outcome."""

    def __init__(self, province: Path, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        shutil.copy2(province / WAREHOUSE, root / WAREHOUSE)
        self.inbox = root / "inbox"
        self.inbox.mkdir()
        self.store = LocalStore(root / "store")
        self.config = load_cycle_config(CYCLE_FILE)
        self.con: duckdb.DuckDBPyConnection = connect(root / WAREHOUSE)

    def close(self) -> None:
        self.con.close()

    def collect(self) -> list[Outcome]:
        return collect(self.con, self.inbox, self.store, self.config)

    def take(self) -> Outcome:
        (outcome,) = self.collect()
        return outcome

    def rows(self, kind: str, sender: str, scope: str) -> list[dict[str, Any]]:
        """The current rows of one submission, in the kind's English columns."""
        cols = KINDS[kind].column_names
        frame = self.con.execute(
            f"select {', '.join(cols)} from cur_{kind} "
            "where sender_code = $s and scope = $scope order by row_no",
            {"s": sender, "scope": scope},
        ).df()
        return [{k: plain(v) for k, v in r.items()} for r in frame.to_dict("records")]

    def due(self, kind: str, scope: str) -> dt.datetime:
        try:
            day = self.config.deadlines.due(kind, scope)
        except KeyError:  # a period with no deadline (a case testing a wrong period)
            day = dt.date(self.config.cycle, 12, 1)
        return dt.datetime.combine(day, dt.time(9, 0))

    def on_time(self, kind: str, scope: str) -> dt.datetime:
        return self.due(kind, scope) - dt.timedelta(days=2)

    def write(
        self,
        kind: str,
        rows: list[dict[str, Any]],
        *,
        folder: str,
        scope: str,
        fmt: str = "xlsx",
        name: str | None = None,
        unit_code: str | None = None,
        cycle: int | None = None,
        template_version: str = "1",
        received: dt.datetime | None = None,
    ) -> Path:
        name = name or f"{kind}_{folder}_{scope}.{fmt}"
        path = self.inbox / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        args: dict[str, Any] = {
            "unit_code": unit_code or folder,
            "cycle": cycle or self.config.cycle,
            "scope": scope,
            "rows": rows,
            "template_version": template_version,
        }
        if fmt == "xlsx":
            write_submission(path, KINDS[kind], **args)
        elif fmt == "csv":
            path.write_text(submission_csv(KINDS[kind], **args), encoding="utf-8")
        else:
            path.write_text(submission_json(KINDS[kind], **args), encoding="utf-8")
        return stamp(path, received or self.on_time(kind, scope))

    def write_bytes(self, folder: str, name: str, data: bytes, when: dt.datetime) -> Path:
        path = self.inbox / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return stamp(path, when)


@pytest.fixture(name="desk")
def desk_fixture(province: Path, tmp_path: Path) -> Iterator[Desk]:
    d = Desk(province, tmp_path / "desk")
    yield d
    d.close()
