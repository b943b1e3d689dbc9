"""Process defaults, applied before Prefect is imported: a project-local Prefect home with
its SQLite database, the local API started on demand, no telemetry (an environment that
already sets a variable, a real Prefect server say, wins); and a file-creation mask so that
everything the project writes is readable by its owner (and, if configured, the group) only.
"""

from __future__ import annotations

import os
from pathlib import Path

from danhgia.settings import PROJECT_ROOT, get_settings

DEFAULTS = {
    "PREFECT_HOME": str(PROJECT_ROOT / "var" / "prefect"),
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}


def private_umask(share_with_group: bool) -> int:
    """Others never read what the project writes; the group may read, if configured."""
    return 0o027 if share_with_group else 0o077


def apply_defaults() -> None:
    os.umask(private_umask(get_settings().share_with_group))
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    # Prefect creates its home but not the folders above it.
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)
