"""Step 6: the excellent quota within each group of comparable posts (QĐ 124, HD 21, NĐ 335).

Interpretation of the base (DOMAIN: "HTXSNV may not exceed 20% of those rated HTTNV within a
group"; the cycle file: "of those rated HTTNV or above"): within each ``group_code``,

    base          = classified cadres whose level after steps 1–5 is HTTNV or HTXSNV
    max_excellent = floor(rate × base + 1e-9)      (1e-9: 20% of 10 is exactly 2, not 1.999…)

The base is taken after every individual rule (conditions, triggers, time in post, the unit
cap) and before the quota. It does not change when the quota applies, because the quota only
moves HTXSNV to HTTNV: both are in the base. Cadres not classified (time in post) are outside it.

If a group has more HTXSNV than max_excellent, candidates are ranked by total (descending,
compared at 6 decimals) and the first max_excellent keep HTXSNV; the rest move to HTTNV. When
equal totals straddle the cut, ``tie_rule`` decides:

* ``all_tied_move_down``: every cadre with the boundary total moves down, so the quota is never
  exceeded (it may then be under-used);
* ``code_order``: the lower ``cadre_code`` keeps the place (a stated, deterministic order).

The rank in the reason is the competition rank by total ("1, 2, 2, 4") under
``all_tied_move_down`` and the position in the (total, code) order under ``code_order``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from danhgia.classify._format import fmt_int, fmt_plain, fmt_points
from danhgia.classify._trail import Trail, level_index
from danhgia.cycle_config import CycleConfig
from danhgia.kinds import LEVEL_NAMES

RULE_QUOTA = "QĐ 124-QĐ/TW, HD 21-HD/BTCTW, NĐ 335/2025/NĐ-CP"


def _group_label(config: CycleConfig) -> dict[str, str]:
    return {g.code: f"{g.name} ({g.code})" for g in config.groups}


def _over_quota(
    w: pd.DataFrame, lv: np.ndarray, rate: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per cadre: is HTXSNV in a group over its quota; the group's base and max_excellent."""
    top, good = level_index("HTXSNV"), level_index("HTTNV")
    _, group = np.unique(w["group_code"].to_numpy(dtype=object), return_inverse=True)
    is_top = lv == top
    base = np.bincount(group, weights=is_top | (lv == good)).astype(np.int64)
    allowed = np.floor(rate * base + 1e-9).astype(np.int64)
    excellent = np.bincount(group, weights=is_top, minlength=len(base)).astype(np.int64)
    over = is_top & (excellent > allowed)[group]
    return over, base[group], allowed[group]


def _ranked_candidates(
    w: pd.DataFrame, points: np.ndarray, lv: np.ndarray, rate: float
) -> pd.DataFrame:
    """The HTXSNV cadres of the groups over their quota, ordered within their group by total
    (descending) then code, with the group's base and quota."""
    over, base, allowed = _over_quota(w, lv, rate)
    cand = pd.DataFrame(
        {
            "group": w["group_code"].to_numpy(dtype=object)[over],
            "code": w["cadre_code"].to_numpy(dtype=object)[over],
            "points": points[over],
            "row": np.flatnonzero(over),
            "base": base[over],
            "max": allowed[over],
        }
    ).sort_values(["group", "points", "code"], ascending=[True, False, True], kind="stable")
    by_group = cand.groupby("group", sort=False)
    cand["order"] = by_group.cumcount()
    cand["count"] = by_group["points"].transform("size")
    cand["min_rank"] = by_group["points"].rank(method="min", ascending=False).astype(np.int64)
    return cand


def _moved(cand: pd.DataFrame, tie_rule: str) -> tuple[pd.Series, pd.Series]:
    """(moved, tied at the boundary) for each candidate (all in groups over their quota)."""
    first_out = cand.loc[cand["order"] == cand["max"]].set_index("group")["points"]
    last_in = cand.loc[cand["order"] == cand["max"] - 1].set_index("group")["points"]
    boundary = cand["group"].map(first_out)
    straddles = cand["group"].map(last_in).eq(boundary)
    tied = straddles & cand["points"].eq(boundary)
    if tie_rule == "all_tied_move_down":
        moved = cand["points"].le(boundary)
    else:  # code_order: the position in (total desc, code asc) decides
        moved = cand["order"] >= cand["max"]
    return moved, tied


def _reasons(cand: pd.DataFrame, config: CycleConfig) -> list[str]:
    q = config.excellent_quota
    labels = _group_label(config)
    rate = fmt_plain(q.rate * 100)
    if q.tie_rule == "all_tied_move_down":
        tie_text = (
            "; đồng điểm tại ranh giới chỉ tiêu: theo quy tắc, mọi người đồng điểm đều chuyển xuống"
        )
        ranks = cand["min_rank"]
    else:
        tie_text = "; đồng điểm tại ranh giới chỉ tiêu: ưu tiên người có mã cán bộ nhỏ hơn"
        ranks = cand["order"] + 1
    return [
        f"Vượt chỉ tiêu xuất sắc của nhóm {labels.get(g, g)}: {rate}% của {fmt_int(b)} người "
        f"= {fmt_int(m)}; đạt {fmt_points(p)} điểm, xếp thứ {fmt_int(r)} trong {fmt_int(n)} "
        f"người đạt mức xuất sắc{tie_text if t else ''} → {LEVEL_NAMES['HTTNV']}"
        for g, b, m, p, r, n, t in zip(
            cand["group"],
            cand["base"],
            cand["max"],
            cand["points"],
            ranks,
            cand["count"],
            cand["tied"],
            strict=True,
        )
    ]


def excellent_quota(
    w: pd.DataFrame, points: np.ndarray, lv: np.ndarray, config: CycleConfig, trail: Trail
) -> tuple[np.ndarray, np.ndarray]:
    """Apply the quota (see the module docstring); returns (levels, moved_by_quota)."""
    q = config.excellent_quota
    cand = _ranked_candidates(w, points, lv, q.rate)
    if cand.empty:  # every group within its quota
        return lv, np.zeros(len(lv), dtype=bool)
    moved_mask, tied = _moved(cand, q.tie_rule)
    cand["tied"] = tied
    moved_rows = cand.loc[moved_mask].sort_values("row")
    moved = np.zeros(len(lv), dtype=bool)
    moved[moved_rows["row"].to_numpy()] = True
    new = np.where(moved, level_index("HTTNV"), lv)
    trail.add(moved, 60, "quota", lv, new, _reasons(moved_rows, config), RULE_QUOTA)
    return new, moved
