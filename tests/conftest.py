"""Shared fixtures. Prefect runs against a temporary home (its SQLite database and cached
results), never the developer's; the warehouse and folders live in a temporary data dir."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

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
