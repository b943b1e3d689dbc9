"""What every task needs: the settings and the cycle's configuration."""

from __future__ import annotations

from danhgia.cycle_config import CycleConfig, load_cycle_config
from danhgia.settings import Settings, get_settings

#: Time limits of the tasks that read or write files (settings, read when the flows load).
FILE_TIMEOUT = get_settings().file_task_timeout_seconds
RENDER_TIMEOUT = get_settings().render_task_timeout_seconds


def settings_and_config(cycle: int | None) -> tuple[Settings, CycleConfig]:
    settings = get_settings()
    return settings, load_cycle_config(settings.cycle_config_path(cycle))
