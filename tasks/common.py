"""What every task needs: the settings and the cycle's configuration."""

from __future__ import annotations

from danhgia.cycle_config import CycleConfig, load_cycle_config
from danhgia.settings import Settings, get_settings


def settings_and_config(cycle: int | None) -> tuple[Settings, CycleConfig]:
    settings = get_settings()
    return settings, load_cycle_config(settings.cycle_config_path(cycle))
