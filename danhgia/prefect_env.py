"""Embedded defaults for Prefect: a project-local home with its SQLite database, the local
API started on demand, no telemetry. Called before Prefect is imported; an environment that
already sets a variable (a real Prefect server, say) wins."""

from __future__ import annotations

import os
from pathlib import Path

from danhgia.settings import PROJECT_ROOT

DEFAULTS = {
    "PREFECT_HOME": str(PROJECT_ROOT / "var" / "prefect"),
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}


def apply_defaults() -> None:
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    # Prefect creates its home but not the folders above it.
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)
