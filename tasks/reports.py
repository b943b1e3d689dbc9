"""Rendering tasks: the dossiers (cadres', then collectives') in batches across processes,
then the board's summary."""

from __future__ import annotations

from prefect import task
from prefect.logging import get_run_logger

from danhgia.approval import is_locked
from danhgia.dossiers import cadre_contexts, mark_drafts, summary_context
from danhgia.publish import render_cadre_dossiers, render_summary, render_unit_dossiers
from danhgia.unit_dossiers import unit_contexts
from danhgia.warehouse import open_warehouse
from tasks.common import settings_and_config


@task(name="dung-ho-so-ca-nhan", retries=1, retry_delay_seconds=5)
def render_dossiers(cycle: int | None = None) -> dict:
    logger = get_run_logger()
    settings, config = settings_and_config(cycle)
    with open_warehouse(settings.warehouse_path) as con:
        contexts = mark_drafts(cadre_contexts(con, config), not is_locked(con, config.cycle))
    result = render_cadre_dossiers(
        contexts,
        settings.dossier_dir(config.cycle),
        settings.templates_dir,
        settings.render_workers,
        config.cycle,
    )
    logger.info("Dossiers: %(dossiers)d in all, %(rendered)d rendered, %(kept)d unchanged", result)
    return result


@task(name="dung-ho-so-tap-the", retries=1, retry_delay_seconds=5)
def render_collective_dossiers(cycle: int | None = None) -> dict:
    logger = get_run_logger()
    settings, config = settings_and_config(cycle)
    with open_warehouse(settings.warehouse_path) as con:
        contexts = mark_drafts(unit_contexts(con, config), not is_locked(con, config.cycle))
    result = render_unit_dossiers(
        contexts,
        settings.dossier_dir(config.cycle),
        settings.templates_dir,
        settings.render_workers,
        config.cycle,
    )
    logger.info(
        "Unit dossiers: %(dossiers)d in all, %(rendered)d rendered, %(kept)d unchanged", result
    )
    return result


@task(name="dung-bao-cao-tong-hop", retries=1, retry_delay_seconds=5)
def render_board_summary(cycle: int | None = None) -> str:
    settings, config = settings_and_config(cycle)
    with open_warehouse(settings.warehouse_path) as con:
        (context,) = mark_drafts([summary_context(con, config)], not is_locked(con, config.cycle))
    return str(render_summary(context, settings.dossier_dir(config.cycle), settings.templates_dir))
