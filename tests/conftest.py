"""Shared fixtures. Prefect runs against a temporary home (its SQLite database and cached
results), never the developer's; the warehouse and folders live in a temporary data dir."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pytest

if TYPE_CHECKING:
    import duckdb

_PREFECT_HOME = Path(tempfile.mkdtemp(prefix="danhgia-prefect-"))
os.environ["PREFECT_HOME"] = str(_PREFECT_HOME)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "90"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from danhgia.cycle_config import CycleConfig, load_cycle_config  # noqa: E402
from danhgia.settings import PROJECT_ROOT  # noqa: E402

CYCLE_FILE = PROJECT_ROOT / "cycles" / "2025.yaml"


def load_config() -> CycleConfig:
    return load_cycle_config(CYCLE_FILE)


@pytest.fixture(scope="session")
def config() -> CycleConfig:
    return load_config()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect API for the whole session (it takes seconds to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


class DataDir:
    """Points the project's settings at a folder for as long as it is in use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._old = os.environ.get("DANHGIA_DATA_DIR")

    def __enter__(self) -> Path:
        os.environ["DANHGIA_DATA_DIR"] = str(self.root)
        return self.root

    def __exit__(self, *exc: object) -> None:
        if self._old is None:
            os.environ.pop("DANHGIA_DATA_DIR", None)
        else:
            os.environ["DANHGIA_DATA_DIR"] = self._old


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    with DataDir(tmp_path / "data") as root:
        yield root


@pytest.fixture(scope="session")
def small_inbox(tmp_path_factory: pytest.TempPathFactory, config: CycleConfig) -> Path:
    """A generated small province's data folder (inbox only), to copy into each test."""
    from danhgia.sample.generator import generate_province

    root = tmp_path_factory.mktemp("small") / "data"
    generate_province(root, config, size="small", seed=2025)
    return root


def copy_province(source: Path, target: Path) -> Path:
    """Copy a generated province keeping file times (they are the receipt times)."""
    shutil.copytree(source, target, copy_function=shutil.copy2, dirs_exist_ok=True)
    return target


def write_zip_bomb(path: Path, megabytes: int = 210) -> Path:
    """A small file that unpacks to ``megabytes`` of zeros, dressed as a workbook's sheet."""
    import zipfile

    block = b"\0" * (1 << 20)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z,
        z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh,
    ):
        for _ in range(megabytes):
            fh.write(block)
    return path


def collective_rows(unit: str, **changes: object) -> list[dict]:
    """One valid row of a unit's collective classification, with the given changes."""
    return [
        {
            "unit_code": unit,
            "planned_tasks": 5,
            "completed_tasks": 5,
            "subordinate_units": 0,
            "subordinate_khtnv": 0,
            "leader_disciplined": False,
            "proposed_level": "HTTNV",
            **changes,
        }
    ]


# --- who may see what (issue #8): nothing personal in Prefect's logs and artifacts ------------

#: Free text this long is a unit's own words; shorter, it may be a stock phrase ("Đúng tiến độ").
FREE_TEXT_MIN_CHARS = 16
#: The largest page the Prefect API serves (PREFECT_SERVER_API_DEFAULT_LIMIT).
API_PAGE = 200
#: The loggers of flow and task runs: what they log goes to the Prefect API.
RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")
T = TypeVar("T")


def personal_data(con: duckdb.DuckDBPyConnection) -> set[str]:
    """What must never reach a log or an artifact, NFC: every full name in the reference data
    (cadres, council members) and every free text typed into a file (task contents, notes,
    evidence, obstacles, proposals, comments, reasons, findings) longer than 15 characters.

    The reference data has birth years only, no dates of birth; a year is not looked for, as
    logs carry years anyway (the cycle's)."""
    from danhgia.kinds import KINDS
    from danhgia.warehouse import raw_table

    found: set[str] = set()
    for kind in KINDS.values():
        for column in kind.columns:
            is_name = column.name == "full_name"
            if not (is_name or column.free_text):
                continue
            rows = con.execute(
                f'select distinct "{column.name}" from {raw_table(kind)} '
                f'where "{column.name}" is not null'
            ).fetchall()
            for (value,) in rows:
                text = unicodedata.normalize("NFC", str(value)).strip()
                if (is_name and len(text.split()) >= 2) or len(text) >= FREE_TEXT_MIN_CHARS:
                    found.add(text)
    return found


def strings_in(value: object) -> Iterator[str]:
    """Every string in a value, JSON text opened up: a table artifact's data is JSON with its
    letters escaped (``"\\u0110"`` for ``"Đ"``), where a name would not show as itself."""
    if isinstance(value, str):
        yield value
        if value.strip()[:1] in ("[", "{", '"'):
            try:
                parsed = json.loads(value)
            except ValueError:
                return
            if parsed != value:
                yield from strings_in(parsed)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from strings_in(item)
    elif value is not None:
        yield str(value)


def find_leaks(
    texts: Iterable[tuple[str, object]], personal: Iterable[str]
) -> list[tuple[str, str]]:
    """``(where, what)`` for each piece of personal data found in the texts (compared NFC)."""
    wanted = sorted({unicodedata.normalize("NFC", p) for p in personal})
    leaks = []
    for where, value in texts:
        for text in strings_in(value):
            text = unicodedata.normalize("NFC", text)
            leaks += [(where, p) for p in wanted if p in text]
    return leaks


def _pages(read: Callable[[int], list[T]]) -> list[T]:
    items: list[T] = []
    while page := read(len(items)):
        items += page
        if len(page) < API_PAGE:
            break
    return items


def prefect_api_texts(since: dt.datetime) -> list[tuple[str, object]]:
    """What a reader of the Prefect UI sees of the runs started from ``since`` on: every log
    message; every artifact's key, description, data and metadata; flow and task runs' names,
    parameters and state messages. The logs still queued in this process are sent first."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterStartTime,
        LogFilter,
        LogFilterTimestamp,
        TaskRunFilter,
        TaskRunFilterStartTime,
    )
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=60, at_exit=False)
    logs = LogFilter(timestamp=LogFilterTimestamp(after_=since))
    flow_runs = FlowRunFilter(start_time=FlowRunFilterStartTime(after_=since))
    task_runs = TaskRunFilter(start_time=TaskRunFilterStartTime(after_=since))
    texts: list[tuple[str, object]] = []
    with get_client(sync_client=True) as client:
        for log in _pages(lambda n: client.read_logs(logs, limit=API_PAGE, offset=n)):
            texts.append((f"log {log.name} {log.timestamp}", log.message))
        for a in _pages(lambda n: client.read_artifacts(limit=API_PAGE, offset=n)):
            if a.created is not None and a.created >= since:
                texts.append((f"artifact {a.key}", [a.key, a.description, a.data, a.metadata_]))
        for r in _pages(
            lambda n: client.read_flow_runs(flow_run_filter=flow_runs, limit=API_PAGE, offset=n)
        ):
            texts.append(
                (f"flow run {r.name}", [r.name, r.parameters, r.state and r.state.message])
            )
        for t in _pages(
            lambda n: client.read_task_runs(task_run_filter=task_runs, limit=API_PAGE, offset=n)
        ):
            texts.append((f"task run {t.name}", [t.name, t.state and t.state.message]))
    return texts


class RunLogCapture(logging.Handler):
    """While active: flow and task runs log at INFO, as in production (this suite's
    PREFECT_LOGGING_LEVEL=WARNING would keep their INFO lines from the API, too), in this
    process and in the worker processes it starts; and every record that reaches the root
    logger here is kept, formatted as a console would show it, traceback included."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.since = dt.datetime.now(dt.UTC)
        self.records: list[tuple[str, str]] = []
        self._levels: dict[str, int] = {}
        self._env = pytest.MonkeyPatch()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((f"local log {record.name}", self.format(record)))

    def __enter__(self) -> RunLogCapture:
        import prefect.main  # noqa: F401 (configures logging on first import: not after this)

        self.since = dt.datetime.now(dt.UTC)
        self._env.setenv("PREFECT_LOGGING_LEVEL", "INFO")
        for name in RUN_LOGGERS:
            self._levels[name] = logging.getLogger(name).level
            logging.getLogger(name).setLevel(logging.INFO)
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger().removeHandler(self)
        for name, level in self._levels.items():
            logging.getLogger(name).setLevel(level)
        self._env.undo()
