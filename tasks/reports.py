"""Rendering tasks: the dossiers (cadres', then collectives') in batches across processes,
then the board's summary. Everything is a draft until the standing board approves the cycle."""

from __future__ import annotations

from collections.abc import Callable

from prefect import task
from prefect.logging import get_run_logger

from danhgia.approval import is_locked
from danhgia.dossiers import cadre_contexts, mark_drafts, summary_context
from danhgia.publish import render_cadre_dossiers, render_summary, render_unit_dossiers
from danhgia.unit_dossiers import unit_contexts
from danhgia.warehouse import open_warehouse
from tasks.common import RENDER_TIMEOUT, settings_and_config


def _render_set(cycle: int | None, contexts_of: Callable, render: Callable, what: str) -> dict:
    settings, config = settings_and_config(cycle)
    with open_warehouse(settings.warehouse_path) as con:
        contexts = mark_drafts(contexts_of(con, config), not is_locked(con, config.cycle))
    result = render(
        contexts,
        settings.dossier_dir(config.cycle),
        settings.templates_dir,
        settings.render_workers,
        config.cycle,
    )
    get_run_logger().info(
        "%s: %d in all, %d rendered, %d unchanged",
        what,
        result["dossiers"],
        result["rendered"],
        result["kept"],
    )
    return result


@task(name="dung-ho-so-ca-nhan", retries=1, retry_delay_seconds=5, timeout_seconds=RENDER_TIMEOUT)
def render_dossiers(cycle: int | None = None) -> dict:
    return _render_set(cycle, cadre_contexts, render_cadre_dossiers, "Cadre dossiers")


@task(name="dung-ho-so-tap-the", retries=1, retry_delay_seconds=5, timeout_seconds=RENDER_TIMEOUT)
def render_collective_dossiers(cycle: int | None = None) -> dict:
    return _render_set(cycle, unit_contexts, render_unit_dossiers, "Unit dossiers")


@task(
    name="dung-bao-cao-tong-hop", retries=1, retry_delay_seconds=5, timeout_seconds=RENDER_TIMEOUT
)
def render_board_summary(cycle: int | None = None) -> str:
    settings, config = settings_and_config(cycle)
    with open_warehouse(settings.warehouse_path) as con:
        (context,) = mark_drafts([summary_context(con, config)], not is_locked(con, config.cycle))
    return str(render_summary(context, settings.dossier_dir(config.cycle), settings.templates_dir))
