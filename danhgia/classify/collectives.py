"""Classification of collectives (units), done before their heads (QĐ 124-QĐ/TW art. 11).

The unit's own proposed level is the starting point; the completion of its planned tasks can
only lower it (``config.collective``):

* completion rate below ``not_completed_below`` -> KHTNV;
* otherwise below 100% -> at most ``max_level_below_full_completion``.

A unit with no planned tasks has no completion rate (NaN) and keeps its proposed level: there
is nothing to measure, and inventing a rate would either punish or reward it arbitrarily.
``subordinate_units``, ``subordinate_khtnv`` and ``leader_disciplined`` are accepted (they
belong to the collective's record) but the current rule set does not use them for the
collective itself; they matter for the head (``classify_cadres``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from danhgia.classify._format import fmt_int, fmt_percent
from danhgia.classify._inputs import as_float, refuse, require_columns, sorted_unique
from danhgia.classify._trail import NOT_CLASSIFIED, Trail, level_index, level_series, to_index
from danhgia.cycle_config import CycleConfig
from danhgia.kinds import LEVEL_NAMES

UNIT_COLUMNS = (
    "unit_code",
    "proposed_level",
    "planned_tasks",
    "completed_tasks",
    "subordinate_units",
    "subordinate_khtnv",
    "leader_disciplined",
)
RULE_COLLECTIVE = "QĐ 124-QĐ/TW, HD 21-HD/BTCTW"
WHAT = "Xếp loại tập thể"


def _prepare(units: pd.DataFrame) -> pd.DataFrame:
    require_columns(units, UNIT_COLUMNS, WHAT)
    w = sorted_unique(units[list(UNIT_COLUMNS)], "unit_code", WHAT)
    w["planned_tasks"] = as_float(w["planned_tasks"])
    w["completed_tasks"] = as_float(w["completed_tasks"])
    refuse(w, w["proposed_level"].isna(), "unit_code", WHAT, "thiếu mức tự xếp loại")
    refuse(
        w,
        ~((w["planned_tasks"] >= 0) & (w["completed_tasks"] >= 0)),
        "unit_code",
        WHAT,
        "số nhiệm vụ kế hoạch / hoàn thành phải là số không âm",
    )
    return w


def _completion_reasons(w: pd.DataFrame, mask: np.ndarray, tail: str) -> list[str]:
    sub = w.loc[mask]
    return [
        f"Hoàn thành {fmt_int(c)}/{fmt_int(p)} nhiệm vụ kế hoạch ({fmt_percent(c / p)}), {tail}"
        for c, p in zip(sub["completed_tasks"], sub["planned_tasks"], strict=True)
    ]


def classify_collectives(
    units: pd.DataFrame, config: CycleConfig
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Classify each unit from its proposed level and the completion of its planned tasks.

    Returns ``(levels, explanations)``: levels has unit_code, completion_rate (completed /
    planned, NaN when nothing was planned) and final_level; explanations has one row "proposed"
    per unit and one row "completion" when the completion rule lowered the level.
    """
    w = _prepare(units)
    rule = config.collective
    codes = w["unit_code"].to_numpy(dtype=object)
    trail = Trail(codes)

    planned = w["planned_tasks"].to_numpy()
    completed = w["completed_tasks"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(planned > 0, completed / np.where(planned > 0, planned, 1), np.nan)

    lv = to_index(w["proposed_level"], WHAT)
    names = w["proposed_level"].map(LEVEL_NAMES)
    all_rows = np.ones(len(w), dtype=bool)
    trail.add(all_rows, 10, "proposed", None, lv, "Đơn vị tự xếp loại " + names, RULE_COLLECTIVE)

    khtnv = level_index("KHTNV")
    below = (rate < rule.not_completed_below) & (lv != khtnv)  # NaN compares False
    tail = f"dưới {fmt_percent(rule.not_completed_below)}: không hoàn thành nhiệm vụ"
    new = np.where(below, khtnv, lv)
    trail.add(
        below, 20, "completion", lv, new, _completion_reasons(w, below, tail), RULE_COLLECTIVE
    )
    lv = new

    cap = level_index(rule.max_level_below_full_completion)
    partial = (rate >= rule.not_completed_below) & (rate < 1.0) & (lv < cap)
    tail = f"chưa đạt 100%: xếp loại tối đa {LEVEL_NAMES[rule.max_level_below_full_completion]}"
    new = np.where(partial, cap, lv)
    trail.add(
        partial, 21, "completion", lv, new, _completion_reasons(w, partial, tail), RULE_COLLECTIVE
    )
    lv = new

    assert not (lv == NOT_CLASSIFIED).any()  # every unit has a proposed level
    levels = pd.DataFrame(
        {
            "unit_code": w["unit_code"],
            "completion_rate": rate,
            "final_level": level_series(lv),
        }
    )
    return levels, trail.frame()
