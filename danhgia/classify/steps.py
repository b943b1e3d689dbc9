"""Steps 1–5 of a cadre's classification, each vectorised over the whole frame.

Each step takes the current levels (integers, see ``_trail``), returns the new ones and records
one explanation row for every cadre whose level it changed. The frame ``w`` is the prepared,
sorted input (``cadres._prepare``); ``points`` is the total compared at 6 decimal places.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd

from danhgia.classify._format import fmt_int, fmt_percent, fmt_plain, fmt_points, fmt_series
from danhgia.classify._trail import NOT_CLASSIFIED, Trail, level_index, to_codes
from danhgia.cycle_config import CycleConfig, TopLevelCondition
from danhgia.kinds import LEVEL_NAMES, LEVELS

RULE_POINTS = "QĐ 366-QĐ/TW"
RULE_TOP = "QĐ 366-QĐ/TW"
RULE_TRIGGERS = "QĐ 124-QĐ/TW, QĐ 366-QĐ/TW"
RULE_TIME = "NĐ 90/2020/NĐ-CP"
RULE_UNIT_CAP = "QĐ 124-QĐ/TW, HD 21-HD/BTCTW"


def _names(idx: np.ndarray) -> pd.Series:
    return pd.Series(to_codes(idx), dtype=object).map(LEVEL_NAMES)


def _join(columns: list[np.ndarray]) -> list[str]:
    """Per row, the non-empty phrases joined by "; " (only over the rows that changed)."""
    return ["; ".join(p for p in row if p) for row in zip(*columns, strict=True)]


# --- step 1: points ---------------------------------------------------------------------------


def points_level(points: np.ndarray, config: CycleConfig, trail: Trail) -> np.ndarray:
    """Total -> level by ``config.thresholds`` (QĐ 366: 100-point scale); below the HTNV
    threshold -> KHTNV. Always writes the first row of every cadre's trail."""
    t = config.thresholds
    lv = np.select(
        [points >= t["HTXSNV"], points >= t["HTTNV"], points >= t["HTNV"]],
        [level_index("HTXSNV"), level_index("HTTNV"), level_index("HTNV")],
        default=level_index("KHTNV"),
    ).astype(np.int64)
    shown = fmt_series(pd.Series(points), fmt_points)
    reasons = "Tổng điểm " + shown + " → " + _names(lv)
    trail.add(np.ones(len(lv), dtype=bool), 10, "points", None, lv, reasons, RULE_POINTS)
    return lv


# --- step 2: conditions of the top levels -----------------------------------------------------


PhraseMaker = Callable[[pd.DataFrame], list[str]]


def _condition_failures(
    w: pd.DataFrame, cond: TopLevelCondition
) -> list[tuple[np.ndarray, PhraseMaker]]:
    """(failed mask, phrase maker) for each condition the level sets in the config."""
    total = w["tasks_total"].to_numpy()
    on_time = w["tasks_on_time"].to_numpy()
    exceeded = w["tasks_exceeded"].to_numpy()
    out: list[tuple[np.ndarray, PhraseMaker]] = []
    if cond.all_tasks_on_time:

        def late(sub: pd.DataFrame) -> list[str]:
            return [
                f"chỉ {fmt_int(o)}/{fmt_int(n)} nhiệm vụ hoàn thành đúng hạn (yêu cầu 100%)"
                for o, n in zip(sub["tasks_on_time"], sub["tasks_total"], strict=True)
            ]

        out.append((on_time < total, late))
    if cond.min_exceeded_share > 0:
        need = fmt_percent(cond.min_exceeded_share)
        # no task at all: the share is taken as 0, so the condition is not met
        share = np.divide(exceeded, total, out=np.zeros(len(w)), where=total > 0)

        def few(sub: pd.DataFrame) -> list[str]:
            return [
                f"chỉ {fmt_percent(e / n)} nhiệm vụ vượt mức (yêu cầu ≥ {need})"
                if n > 0
                else f"không có nhiệm vụ nào để tính tỷ lệ vượt mức (yêu cầu ≥ {need})"
                for e, n in zip(sub["tasks_exceeded"], sub["tasks_total"], strict=True)
            ]

        out.append((share < cond.min_exceeded_share, few))
    if cond.no_disciplined_leader_in_unit:

        def disciplined(sub: pd.DataFrame) -> list[str]:
            return ["đơn vị có cán bộ lãnh đạo bị kỷ luật trong năm"] * len(sub)

        out.append((w["unit_leader_disciplined"].to_numpy(), disciplined))
    return out


def top_conditions(
    w: pd.DataFrame, points: np.ndarray, lv: np.ndarray, config: CycleConfig, trail: Trail
) -> np.ndarray:
    """Points are not enough for the top levels (QĐ 366): a cadre at a level whose condition
    (``config.top_levels``) is not met drops one level, and the next level's condition is then
    checked in turn. So a 92-point cadre with a late task fails HTXSNV (-> HTTNV) and then
    HTTNV's "all tasks on time" (-> HTNV): he ends at the highest level whose threshold his
    points reach *and* whose condition he meets, and never above a cadre with fewer points
    and the same record. Each drop writes its own row naming the failed conditions."""
    for sub_step, code in enumerate(LEVELS):
        cond = config.top_levels.get(code)
        if cond is None:
            continue
        i = level_index(code)
        at = lv == i
        failures = _condition_failures(w, cond)
        failed = at & np.logical_or.reduce([m for m, _ in failures] + [np.zeros_like(at)])
        if not failed.any():
            continue
        sub = w.loc[failed]
        phrases = [
            np.where(m[failed], np.asarray(make(sub), dtype=object), "") for m, make in failures
        ]
        shown = [fmt_points(p) for p in points[failed]]
        reasons = [
            f"Đạt {s} điểm nhưng {why}, chưa đủ điều kiện xếp loại {LEVEL_NAMES[code]}"
            for s, why in zip(shown, _join(phrases), strict=True)
        ]
        new = np.where(failed, i + 1, lv)
        trail.add(failed, 20 + sub_step, "top_condition", lv, new, reasons, RULE_TOP)
        lv = new
    return lv


# --- step 3: not completed regardless of points ------------------------------------------------


def _shown(text: object) -> str:
    return unicodedata.normalize("NFC", str(text)).strip()


def _normal(text: object) -> str:
    return _shown(text).casefold()


def _pct(share: float) -> str:
    """A share as a percentage; blank when unknown (the phrase is then not used)."""
    return "" if np.isnan(share) else fmt_percent(share)


#: The excusal code (danhgia.kinds.EXCUSABLE) of each not-completed trigger, in order.
TRIGGER_EXCUSALS = ("KY_LUAT", "DON_VI_HOAN_THANH", "DON_VI_TRUC_THUOC", "TIN_NHIEM")


def _excuse(
    w: pd.DataFrame, fired: list[np.ndarray], lv: np.ndarray, trail: Trail
) -> list[np.ndarray]:
    """Drop the triggers the board excused for a confirmed objective cause (QĐ 124/366: the
    board may excuse, with a reason, recorded); each excusal that mattered writes a row."""
    codes = w["excused_triggers"].fillna("").astype(str).str.split(",")
    excused = [codes.map(lambda c, k=k: k in c).to_numpy(dtype=bool) for k in TRIGGER_EXCUSALS]
    used = np.logical_or.reduce([f & e for f, e in zip(fired, excused, strict=True)])
    if used.any():
        reasons = [
            f"Ban Thường vụ chấp nhận nguyên nhân khách quan, không áp dụng quy định "
            f"không hoàn thành nhiệm vụ: {_shown(r)}"
            for r in w["excusal_reason"][used]
        ]
        trail.add(used, 29, "excused", lv, lv, reasons, RULE_TRIGGERS)
    return [f & ~e for f, e in zip(fired, excused, strict=True)]


def not_completed(w: pd.DataFrame, lv: np.ndarray, config: CycleConfig, trail: Trail) -> np.ndarray:
    """KHTNV regardless of points (QĐ 124/366, ``config.not_completed_triggers``): a listed
    disciplinary measure in the year; a head whose unit completed less than the set share of its
    planned tasks; more than the set share of subordinate units KHTNV; more than the set share
    of low-confidence votes. One row lists every trigger that fired (only when the level changes:
    a cadre already at KHTNV by points gets no extra row). Measures are compared after NFC
    normalisation and case folding, so a decomposed "Khiển trách" still matches."""
    rule = config.not_completed_triggers
    measures = {_normal(m) for m in rule.discipline_measures}
    measure = w["discipline_measure"]
    listed = measure.map({m: _normal(m) in measures for m in pd.unique(measure.dropna())}).eq(True)
    unit_rate = w["unit_completion_rate"].to_numpy()
    subs = w["subordinate_units"].to_numpy()
    subs_k = w["subordinate_khtnv"].to_numpy()
    sub_share = np.divide(subs_k, subs, out=np.zeros(len(w)), where=subs > 0)
    low = w["low_confidence_share"].to_numpy()

    fired = [
        listed.to_numpy(),
        w["is_head"].to_numpy() & (unit_rate < rule.unit_completion_below),
        (subs > 0) & (sub_share > rule.subordinate_khtnv_share_above),
        low > rule.low_confidence_share_above,
    ]
    khtnv = level_index("KHTNV")
    fired = _excuse(w, fired, lv, trail)
    changed = (lv != khtnv) & np.logical_or.reduce(fired)
    if not changed.any():
        return lv
    m = changed
    below = fmt_percent(rule.unit_completion_below)
    subs_above = fmt_percent(rule.subordinate_khtnv_share_above)
    low_above = fmt_percent(rule.low_confidence_share_above)
    texts = [
        [f"bị kỷ luật hình thức {_shown(x)} trong năm" for x in measure[m]],
        [
            f"đơn vị do đồng chí lãnh đạo chỉ hoàn thành {_pct(r)} nhiệm vụ kế hoạch (dưới {below})"
            for r in unit_rate[m]
        ],
        [
            f"{fmt_int(k)}/{fmt_int(n)} đơn vị thuộc phạm vi phụ trách ({_pct(s)}) không hoàn "
            f"thành nhiệm vụ (trên {subs_above})"
            for k, n, s in zip(subs_k[m], subs[m], sub_share[m], strict=True)
        ],
        [f"{_pct(x)} phiếu tín nhiệm thấp (trên {low_above})" for x in low[m]],
    ]
    phrases = [
        np.where(f[m], np.asarray(t, dtype=object), "") for f, t in zip(fired, texts, strict=True)
    ]
    reasons = ["Không hoàn thành nhiệm vụ bất kể điểm số: " + r for r in _join(phrases)]
    new = np.where(changed, khtnv, lv)
    trail.add(changed, 30, "not_completed", lv, new, reasons, RULE_TRIGGERS)
    return new


# --- step 4: time in post ---------------------------------------------------------------------


def time_in_post(w: pd.DataFrame, lv: np.ndarray, config: CycleConfig, trail: Trail) -> np.ndarray:
    """NĐ 90/2020 (``config.time_in_post``): under the minimum months worked -> not classified
    (NOT_CLASSIFIED); otherwise months off at or above the cap -> at most the cap level."""
    rule = config.time_in_post
    worked = w["months_worked"].to_numpy()
    off = w["months_off"].to_numpy()

    short = worked < rule.min_months_worked
    new = np.where(short, NOT_CLASSIFIED, lv)
    reasons = [
        f"Chỉ công tác {fmt_plain(x)} tháng trong năm (dưới {fmt_plain(rule.min_months_worked)} "
        "tháng): không xếp loại"
        for x in worked[short]
    ]
    trail.add(short, 40, "time_in_post", lv, None, reasons, RULE_TIME)
    lv = new

    cap = level_index(rule.months_off_cap_level)
    capped = (lv != NOT_CLASSIFIED) & (off >= rule.months_off_cap_from) & (lv < cap)
    new = np.where(capped, cap, lv)
    reasons = [
        f"Nghỉ công tác {fmt_plain(x)} tháng trong năm (từ {fmt_plain(rule.months_off_cap_from)} "
        f"tháng trở lên): xếp loại tối đa {LEVEL_NAMES[rule.months_off_cap_level]}"
        for x in off[capped]
    ]
    trail.add(capped, 41, "time_in_post", lv, new, reasons, RULE_TIME)
    return new


# --- step 5: the head is never above the unit --------------------------------------------------


def unit_cap(w: pd.DataFrame, lv: np.ndarray, unit_idx: np.ndarray, trail: Trail) -> np.ndarray:
    """A head's level may not be higher than that of the collective he or she leads (QĐ 124
    art. 11, HD 21; seed 002). Deputies and heads whose unit level is unknown are not capped."""
    capped = (
        w["is_head"].to_numpy()
        & (unit_idx != NOT_CLASSIFIED)
        & (lv != NOT_CLASSIFIED)
        & (lv < unit_idx)
    )
    new = np.where(capped, unit_idx, lv)
    reasons = [
        f"Tập thể do đồng chí lãnh đạo xếp loại {u}; người đứng đầu không được xếp loại cao "
        "hơn tập thể"
        for u in to_codes(unit_idx[capped])
    ]
    trail.add(capped, 50, "unit_cap", lv, new, reasons, RULE_UNIT_CAP)
    return new
