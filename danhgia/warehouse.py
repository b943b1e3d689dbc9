"""The DuckDB warehouse: one file, its tables, and the SQL files that build them.

SQL lives in ``sql/``; this module only finds a file, binds its parameters and runs it.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from danhgia.kinds import KINDS, Kind
from danhgia.settings import PROJECT_ROOT, get_settings

SQL_DIR = PROJECT_ROOT / "sql"
DUCKDB_TYPES = {
    "str": "varchar",
    "level": "varchar",
    "int": "bigint",
    "float": "double",
    "bool": "boolean",
    "date": "date",
}


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    ensure_schema(con)
    return con


class WarehouseBusy(RuntimeError):
    """Another run has held the warehouse for longer than we are willing to wait."""


@contextmanager
def exclusive(path: Path, wait_seconds: float | None = None) -> Iterator[None]:
    """One run at a time writes the warehouse: a second run started meanwhile waits for the
    first (an OS file lock, released even if the holder is killed), then gives up with a
    clear message."""
    if wait_seconds is None:
        wait_seconds = get_settings().lock_wait_seconds
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "a+") as fh:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"Kho dữ liệu {path} đang được một lần chạy khác sử dụng; đã chờ "
                        f"{wait_seconds:.0f} giây. Hãy chạy lại sau khi lần chạy kia kết thúc."
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def open_warehouse(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse, held by this run alone until the block ends."""
    with exclusive(path):
        con = connect(path)
        try:
            yield con
        finally:
            con.close()


@cache
def sql_text(name: str) -> str:
    """The text of ``sql/<name>.sql``."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _bound(text: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (params or {}).items() if f"${k}" in text}


def run_sql(
    con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None
) -> None:
    """Run one statement from ``sql/<name>.sql`` with bound parameters (never formatted in)."""
    text = sql_text(name)
    con.execute(text, _bound(text, params)).fetchall()


def query_df(
    con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """The rows of the query in ``sql/<name>.sql``."""
    text = sql_text(name)
    return con.execute(text, _bound(text, params)).df()


def raw_table(kind: Kind) -> str:
    return f"raw_{kind.code}"


def raw_table_ddl(kind: Kind) -> str:
    """The raw table of one kind: every loaded row, tagged with its file and Excel row."""
    cols = ",\n    ".join(f"{c.name} {DUCKDB_TYPES[c.type]}" for c in kind.columns)
    return (
        f"create table if not exists {raw_table(kind)} (\n"
        f"    file_hash varchar not null,\n    row_no integer not null,\n    {cols}\n)"
    )


def current_view_ddl(kind: Kind) -> str:
    """The rows of the current version of each submission of one kind."""
    cols = ", ".join(f"r.{c.name}" for c in kind.columns)
    return (
        f"create or replace view cur_{kind.code} as\n"
        f"select c.cycle, c.unit_code as sender_code, c.scope, r.file_hash, r.row_no, {cols}\n"
        f"from {raw_table(kind)} r join current_submissions c using (file_hash)"
    )


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(sql_text("warehouse/schema"))
    con.execute(sql_text("warehouse/cycle_decisions"))
    run_sql(con, "warehouse/current_submissions")
    for kind in KINDS.values():
        con.execute(raw_table_ddl(kind))
        con.execute(current_view_ddl(kind))
    run_sql(con, "warehouse/task_assessments")


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Append a frame to a table by column name."""
    if frame.empty:
        return
    con.register("_incoming", frame)
    try:
        cols = ", ".join(frame.columns)
        con.execute(f"insert into {table} ({cols}) select {cols} from _incoming")
    finally:
        con.unregister("_incoming")


def replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Replace a derived table with a frame computed in Python (classification results)."""
    con.register("_incoming", frame)
    try:
        con.execute(f"create or replace table {table} as select * from _incoming")
    finally:
        con.unregister("_incoming")


def table_checksums(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, str]:
    """An order-independent fingerprint of each table, to compare two runs."""
    out = {}
    for t in tables:
        row = con.execute(f"select count(*), coalesce(bit_xor(hash(t)), 0) from {t} t").fetchall()[
            0
        ]
        out[t] = f"{row[0]}:{row[1]}"
    return out
