"""The data of each dossier and of the board's summary, read from the warehouse.

Contexts are plain dicts of Python values (no NaN, no numpy types), so the same context
renders the same PDF and can be hashed to tell whether a dossier changed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import duckdb
import pandas as pd

from danhgia.cycle_config import CycleConfig
from danhgia.kinds import KINDS, LEVELS
from danhgia.warehouse import query_df

#: How each classification step is named in the dossiers (``danhgia.classify`` step codes).
STEP_LABELS = {
    "points": "Xếp loại theo điểm",
    "top_condition": "Điều kiện của mức cao",
    "not_completed": "Không hoàn thành nhiệm vụ bất kể điểm",
    "excused": "Miễn trừ do nguyên nhân khách quan",
    "time_in_post": "Thời gian công tác trong năm",
    "unit_cap": "Không cao hơn mức của tập thể",
    "quota": "Tỷ lệ hoàn thành xuất sắc nhiệm vụ",
}


def plain(value: Any) -> Any:
    """A warehouse value as a plain Python value: NaN/NaT -> None, numpy -> Python."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, list | tuple) or getattr(value, "ndim", 0) == 1:
        return [plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return plain(value.item())
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def by_cadre(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in records(frame):
        grouped[row.pop("cadre_code")].append(row)
    return grouped


def document_block(config: CycleConfig, number: str, title: str, subtitle: str) -> dict:
    p = config.province
    return {
        "issuing_body": p.issuing_body,
        # issued by the standing board itself: only the party committee's name and "*"
        # stand top left (HD 36-HD/VPTW)
        "department": "",
        "number": number,
        "place": p.place,
        "date": config.documents.date,
        "title": title,
        "subtitle": subtitle,
        "confidentiality": p.confidentiality,
        "signer_title": p.signer_title,
        "signer_role": p.signer_role,
        "signer_name": "",
    }


def task_summary(tasks: list[dict]) -> dict[str, Any]:
    count = len(tasks)
    exceeded = sum(bool(t["exceeded"]) for t in tasks)
    return {
        "count": count,
        "completed": sum(bool(t["completed"]) for t in tasks),
        "on_time": sum(bool(t["on_time"]) for t in tasks),
        "exceeded": exceeded,
        "exceeded_share": exceeded / count if count else 0.0,
    }


def written(text: str | None) -> bool:
    """Whether a free-text cell says something (a blank or spaces-only cell says nothing)."""
    return text is not None and text.strip() != ""


def task_remarks(tasks: list[dict]) -> list[dict[str, Any]]:
    """The tasks beside which the cadre wrote an obstacle or a proposal in the year-end
    self-assessment, numbered as in the dossier's task table: what the board is asked to
    answer, so the dossier lists them together rather than leave them in the table."""
    return [
        {
            "no": no,
            "task_code": t["task_code"],
            "obstacles": t["obstacles"] if written(t["obstacles"]) else None,
            "proposals": t["proposals"] if written(t["proposals"]) else None,
        }
        for no, t in enumerate(tasks, start=1)
        if written(t["obstacles"]) or written(t["proposals"])
    ]


def cadre_contexts(con: duckdb.DuckDBPyConnection, config: CycleConfig) -> list[dict[str, Any]]:
    """One context per evaluated cadre, in cadre-code order."""
    p = {"cycle": config.cycle}
    posts = by_cadre(query_df(con, "reports/cadre_posts", p))
    tasks = by_cadre(query_df(con, "reports/cadre_tasks", p))
    quarterly = by_cadre(query_df(con, "reports/cadre_quarterly", p))
    criteria = by_cadre(query_df(con, "reports/cadre_criteria", p))
    forms = by_cadre(query_df(con, "reports/cadre_commune_forms", p))
    explanations = by_cadre(query_df(con, "reports/level_explanations", p))
    self_levels = {
        r["cadre_code"]: r["self_proposed_level"]
        for r in records(query_df(con, "reports/cadre_self_levels", p))
    }
    board = config.province.board_unit_code
    contexts = []
    for head in records(query_df(con, "reports/cadre_header", p)):
        code = head["code"]
        cadre_tasks = tasks.get(code, [])
        contexts.append(
            {
                "doc": document_block(
                    config,
                    f"{head['seq']}-{config.documents.dossier_symbol}/{board}",
                    f"HỒ SƠ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM {config.cycle}",
                    f"Đồng chí {head['full_name']} — {head['position_title']}, {head['unit_name']}",
                ),
                "cycle": config.cycle,
                "cadre": {
                    k: head[k]
                    for k in (
                        "code",
                        "full_name",
                        "gender",
                        "birth_year",
                        "group_name",
                        "unit_name",
                        "position_title",
                    )
                },
                "posts": posts.get(code, []),
                "tasks": cadre_tasks,
                "task_summary": task_summary(cadre_tasks),
                "task_remarks": task_remarks(cadre_tasks),
                "quarterly": quarterly.get(code, []),
                "criteria": criteria.get(code, []),
                "commune_forms": forms.get(code, []),
                "self_proposed_level": self_levels.get(code),
                "total": head["total"],
                "points_level": head["points_level"],
                "final_level": head["final_level"],
                "explanations": [
                    {**e, "step": STEP_LABELS.get(e["step"], e["step"])}
                    for e in explanations.get(code, [])
                    if e["step"] != "points"
                ],
            }
        )
    return contexts


def _counts(rows: list[dict], group: str | None = None) -> dict[Any, int]:
    counts: dict[Any, int] = {lv: 0 for lv in LEVELS}
    counts[None] = 0
    for r in rows:
        if group is None or r["group_code"] == group:
            counts[r["level"]] = counts.get(r["level"], 0) + int(r["n"])
    return counts


def _first_errors(messages: list[str], total: int, shown: int = 3) -> list[str]:
    """The first few errors of a refused file; the unit's own report has them all."""
    head = messages[:shown]
    if total > shown:
        head.append(f"… và {total - shown} lỗi khác")
    return head


def summary_context(con: duckdb.DuckDBPyConnection, config: CycleConfig) -> dict[str, Any]:
    p = {"cycle": config.cycle}
    levels = records(query_df(con, "reports/summary_levels", p))
    previous = records(query_df(con, "reports/summary_previous_levels", p))
    by_group = []
    for g in config.groups:
        counts = _counts(levels, g.code)
        by_group.append(
            {
                "group_code": g.code,
                "group_name": g.name,
                "total": sum(counts.values()),
                "counts": counts,
                "previous": _counts(previous, g.code),
            }
        )
    totals = _counts(levels)
    completeness = [
        {**r, "kind_title": KINDS[r["kind"]].title}
        for r in records(query_df(con, "reports/summary_completeness", p))
    ]
    missing = [
        {**r, "kind_title": KINDS[r["kind"]].title}
        for r in records(query_df(con, "reports/summary_missing", p))
    ]
    refused = [
        {
            **r,
            "kind_title": KINDS[r["kind"]].title if r["kind"] in KINDS else "không xác định",
            "errors": _first_errors(list(r["messages"] or []), r["n_errors"]),
        }
        for r in records(query_df(con, "reports/summary_refused", p))
    ]
    return {
        "doc": document_block(
            config,
            config.documents.summary_number,
            f"BÁO CÁO TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI NĂM {config.cycle}",
            "Cán bộ diện Ban Thường vụ Tỉnh ủy quản lý",
        ),
        "cycle": config.cycle,
        "previous_cycle": config.cycle - 1,
        "by_group": by_group,
        "totals": {
            "counts": totals,
            "previous": _counts(previous),
            "total": sum(totals.values()),
        },
        "cadres": records(query_df(con, "reports/summary_cadres", p)),
        "moved": [
            {**r, "step": STEP_LABELS.get(r["step"], r["step"])}
            for r in records(query_df(con, "reports/summary_moved", p))
        ],
        "completeness": completeness,
        "missing": missing,
        "quarantined": refused,
        "coverage": {
            "communes_without_monitor": [
                r["unit_name"]
                for r in records(query_df(con, "reports/coverage_communes_without_monitor", p))
            ],
            "cadres_with_two_communes": [
                r["label"] for r in records(query_df(con, "reports/coverage_two_communes", p))
            ],
            "cadres_left": [
                r["full_name"] for r in records(query_df(con, "reports/coverage_cadres_left", p))
            ],
        },
    }


def mark_drafts(contexts: list[dict[str, Any]], draft: bool) -> list[dict[str, Any]]:
    """Dossiers are drafts until the standing board approves the cycle; the mark is part of
    the context, so approving re-renders every dossier once, without the mark."""
    for ctx in contexts:
        ctx["doc"]["draft"] = draft
    return contexts
