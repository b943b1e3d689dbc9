"""One settings object for the whole project.

Every path and switch has a default that runs with no setup; each can be overridden by an
environment variable prefixed ``DANHGIA_`` (for example ``DANHGIA_DATA_DIR=/srv/danhgia``).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DANHGIA_", env_file=".env", extra="ignore")

    data_dir: Path = PROJECT_ROOT / "data"
    cycles_dir: Path = PROJECT_ROOT / "cycles"
    templates_dir: Path = PROJECT_ROOT / "report_templates"
    sql_dir: Path = PROJECT_ROOT / "sql"
    cycle: int = 2025
    board_unit_code: str = "TU"
    render_workers: int = 2
    # While a batch of dossiers renders, Python's cyclic collector runs after this many new
    # objects instead of 700 (danhgia.collector.lean_cyclic_gc); 0 leaves it as it is.
    render_gc_young_threshold: int = 50_000
    # Where rendering runs (tasks/runners.py): "processes" on this machine, or "dask" on the
    # cluster at dask_address (a local cluster of render_workers processes when unset).
    task_runner: Literal["processes", "dask"] = "processes"
    dask_address: str | None = None
    sample_seed: int = 2025
    # Files and folders the project writes are readable by their owner only; True lets the
    # owner's group read them too (e.g. the board's staff group on a shared server).
    share_with_group: bool = False
    # Task time limits: a task that touches files gives up after this long (Prefect timeout).
    file_task_timeout_seconds: float = 3600
    render_task_timeout_seconds: float = 4 * 3600
    # How long a run waits for another run to release the warehouse before giving up.
    lock_wait_seconds: float = 600
    # "pdf/a-3b" renders every PDF as PDF/A for archiving; empty renders plain PDF.
    pdf_variant: str | None = None
    # Optional: a webhook that receives the board's notifications (codes and counts only).
    notify_webhook_url: str | None = None

    @cached_property
    def inbox_dir(self) -> Path:
        return self.data_dir / "inbox"

    @cached_property
    def store_dir(self) -> Path:
        """Every file ever received, addressed by its SHA-256."""
        return self.data_dir / "store"

    @cached_property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @cached_property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @cached_property
    def output_dir(self) -> Path:
        return self.data_dir / "output"

    @cached_property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    def cycle_config_path(self, cycle: int | None = None) -> Path:
        return self.cycles_dir / f"{cycle or self.cycle}.yaml"

    def dossier_dir(self, cycle: int | None = None) -> Path:
        return self.output_dir / str(cycle or self.cycle)


def get_settings() -> Settings:
    """A fresh settings object, so tests that change the environment see their change."""
    return Settings()
