"""Classification of cadres: points, then the rules, then the quota (see ``classify_cadres``)."""

from __future__ import annotations

import pandas as pd

from danhgia.classify import steps
from danhgia.classify._inputs import as_bool, as_float, refuse, require_columns, sorted_unique
from danhgia.classify._trail import NOT_CLASSIFIED, Trail, level_series, to_index
from danhgia.classify.quota import excellent_quota
from danhgia.cycle_config import CycleConfig

CADRE_COLUMNS = (
    "cadre_code",
    "group_code",
    "is_head",
    "total",
    "tasks_total",
    "tasks_on_time",
    "tasks_exceeded",
    "discipline_measure",
    "unit_level",
    "unit_completion_rate",
    "subordinate_units",
    "subordinate_khtnv",
    "unit_leader_disciplined",
    "low_confidence_share",
    "months_worked",
    "months_off",
)
WHAT = "Xếp loại cán bộ"


def _prepare(cadres: pd.DataFrame) -> pd.DataFrame:
    """Validate, sort by cadre_code and normalise the input.

    Missing values that have a natural meaning are filled: a flag -> False, subordinate
    counts and months off -> 0 (none reported), completion rate and low-confidence share stay
    NaN (no trigger can fire on them). A missing total, group or months worked is an error:
    the engine will not classify a cadre on a guess.
    """
    require_columns(cadres, CADRE_COLUMNS, WHAT)
    optional = [c for c in OPTIONAL_COLUMNS if c in cadres.columns]
    w = sorted_unique(cadres[[*CADRE_COLUMNS, *optional]], "cadre_code", WHAT)
    for col in OPTIONAL_COLUMNS:
        if col not in w.columns:
            w[col] = None
    for col in ("is_head", "unit_leader_disciplined"):
        w[col] = as_bool(w[col])
    for col in ("total", "unit_completion_rate", "low_confidence_share", "months_worked"):
        w[col] = as_float(w[col])
    for col in ("tasks_total", "tasks_on_time", "tasks_exceeded"):
        w[col] = as_float(w[col]).fillna(0)
    for col in ("subordinate_units", "subordinate_khtnv", "months_off"):
        w[col] = as_float(w[col]).fillna(0)
    refuse(w, w["total"].isna(), "cadre_code", WHAT, "thiếu tổng điểm")
    refuse(w, w["group_code"].isna(), "cadre_code", WHAT, "thiếu nhóm (group_code)")
    refuse(w, w["months_worked"].isna(), "cadre_code", WHAT, "thiếu số tháng công tác")
    bad_tasks = ~(
        (w["tasks_total"] >= 0)
        & w["tasks_on_time"].between(0, w["tasks_total"])
        & w["tasks_exceeded"].between(0, w["tasks_total"])
    )
    refuse(w, bad_tasks, "cadre_code", WHAT, "số nhiệm vụ đúng hạn / vượt mức vượt quá tổng số")
    bad_subs = ~(
        (w["subordinate_units"] >= 0) & w["subordinate_khtnv"].between(0, w["subordinate_units"])
    )
    refuse(w, bad_subs, "cadre_code", WHAT, "số đơn vị trực thuộc không hoàn thành không hợp lệ")
    return w


#: Optional inputs: the triggers the board excused for an objective cause (comma-separated
#: codes of danhgia.kinds.EXCUSABLE) and the board's reasons, recorded in the trail.
OPTIONAL_COLUMNS = ("excused_triggers", "excusal_reason")


def classify_cadres(cadres: pd.DataFrame, config: CycleConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Classify every cadre: points -> level, then the rules in order, then the quota.

    Steps (the ``step`` code of the explanation rows in brackets):

    1. [points] total -> level by ``config.thresholds`` (always one row);
    2. [top_condition] the conditions of HTXSNV and HTTNV, checked in turn, one level per
       failed condition set (QĐ 366);
    3. [not_completed] KHTNV regardless of points (QĐ 124/366);
    4. [time_in_post] not classified / capped by months worked and off (NĐ 90/2020);
    5. [unit_cap] a head never above his or her unit (QĐ 124 art. 11, HD 21);
    6. [quota] the excellent quota within each group (QĐ 124, HD 21, NĐ 335).

    Interpretations (each documented where it is applied): the top-level conditions cascade,
    so a cadre ends at the highest level whose threshold and condition he meets (``steps.
    top_conditions``); with no task at all the exceeded share is 0; a trigger writes a row only
    when it changes the level; the quota's base is the group's classified HTTNV + HTXSNV after
    steps 1–5 (``quota``).

    Totals are compared at 6 decimal places, so that float noise from the weighted sum in SQL
    (89.99999999999999) neither misses a threshold nor breaks a tie. The result depends only on
    the set of rows, not their order: the frame is sorted by cadre_code first and every tie is
    broken explicitly. Returns ``(levels, explanations)`` sorted by cadre_code and by
    (subject_code, step_order).
    """
    w = _prepare(cadres)
    points = w["total"].round(6).to_numpy()
    unit_idx = to_index(w["unit_level"], WHAT + " (unit_level)")
    trail = Trail(w["cadre_code"].to_numpy(dtype=object))

    lv = steps.points_level(points, config, trail)
    points_lv = lv
    lv = steps.top_conditions(w, points, lv, config, trail)
    lv = steps.not_completed(w, lv, config, trail)
    lv = steps.time_in_post(w, lv, config, trail)
    lv = steps.unit_cap(w, lv, unit_idx, trail)
    lv, moved = excellent_quota(w, points, lv, config, trail)

    levels = pd.DataFrame(
        {
            "cadre_code": w["cadre_code"],
            "group_code": w["group_code"],
            "total": w["total"],
            "points_level": level_series(points_lv),
            "final_level": level_series(lv),
            "classified": lv != NOT_CLASSIFIED,
            "moved_by_quota": moved,
        }
    )
    return levels, trail.frame()
