"""What a cycle's rendering must do, read from the warehouse: every dossier's context (drafts
until the board approves the cycle) and the jobs for those whose input changed.

Kept apart from ``danhgia.publish`` on purpose: rendering workers import ``publish`` and need
none of the warehouse's libraries (pandas, DuckDB), which cost each worker seconds to load.
"""

from __future__ import annotations

from danhgia.approval import is_locked
from danhgia.cycle_config import CycleConfig
from danhgia.dossiers import cadre_contexts, mark_drafts, summary_context
from danhgia.publish import CyclePlan, plan_cycle
from danhgia.settings import Settings
from danhgia.unit_dossiers import unit_contexts
from danhgia.warehouse import open_warehouse


def plan_from_warehouse(settings: Settings, config: CycleConfig) -> CyclePlan:
    with open_warehouse(settings.warehouse_path) as con:
        draft = not is_locked(con, config.cycle)
        cadres = mark_drafts(cadre_contexts(con, config), draft)
        units = mark_drafts(unit_contexts(con, config), draft)
        (summary,) = mark_drafts([summary_context(con, config)], draft)
    return plan_cycle(
        cadres, units, summary, settings.dossier_dir(config.cycle), settings.templates_dir
    )
