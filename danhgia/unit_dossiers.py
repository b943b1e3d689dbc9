"""The data of each collective's dossier (hồ sơ đánh giá tập thể), read from the warehouse.

A collective is classified before its head (QĐ 124-QĐ/TW art. 11): its dossier states what the
unit reported of itself, how its level was reached, who leads it and with what result, and
the tasks it registered. One dossier per unit that has evaluated cadres or sent its own
collective classification; communes and the board itself get none.

Contexts are plain dicts of Python values, like the cadres' (``danhgia.dossiers``), so the
same context renders the same PDF and its digest tells whether the dossier changed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import duckdb

from danhgia.cycle_config import CycleConfig
from danhgia.dossiers import document_block, records, task_summary
from danhgia.kinds import UNIT_KINDS
from danhgia.warehouse import query_df

#: How each step of a collective's classification is named (``classify_collectives`` codes).
UNIT_STEP_LABELS = {
    "proposed": "Đơn vị tự xếp loại",
    "completion": "Tỉ lệ hoàn thành nhiệm vụ kế hoạch",
}

COLLECTIVE_FIELDS = (
    "planned_tasks",
    "completed_tasks",
    "subordinate_units",
    "subordinate_khtnv",
    "leader_disciplined",
    "proposed_level",
)


def _by_unit(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row.pop("unit_code")].append(row)
    return grouped


def _ordered_tasks(tasks: list[dict[str, Any]], cadres: list[dict[str, Any]]) -> list[dict]:
    """The unit's tasks grouped by cadre, heads first as in the list of cadres, then any cadre
    who has left the unit; each cadre's tasks in registration order."""
    rank = {c["code"]: i for i, c in enumerate(cadres)}
    return sorted(
        tasks, key=lambda t: (rank.get(t["cadre_code"], len(rank)), t["cadre_code"], t["task_code"])
    )


def unit_contexts(con: duckdb.DuckDBPyConnection, config: CycleConfig) -> list[dict[str, Any]]:
    """One context per collective, in unit-code order."""
    p = {"cycle": config.cycle, "board": config.province.board_unit_code}
    cadres = _by_unit(records(query_df(con, "reports/unit_cadres", p)))
    tasks = _by_unit(records(query_df(con, "reports/unit_tasks", p)))
    explanations = _by_unit(records(query_df(con, "reports/unit_explanations", p)))
    board = config.province.board_unit_code
    contexts = []
    for head in records(query_df(con, "reports/unit_header", p)):
        code = head["code"]
        unit_cadres = cadres.get(code, [])
        unit_tasks = _ordered_tasks(tasks.get(code, []), unit_cadres)
        contexts.append(
            {
                "doc": document_block(
                    config,
                    f"{head['seq']}-{config.documents.unit_dossier_symbol}/{board}",
                    f"HỒ SƠ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG TẬP THỂ NĂM {config.cycle}",
                    f"Tập thể {head['unit_name']}",
                ),
                "cycle": config.cycle,
                "unit": {
                    "code": code,
                    "name": head["unit_name"],
                    "kind_name": UNIT_KINDS.get(head["unit_kind"] or "", None),
                    "parent_name": head["parent_name"],
                },
                "collective": (
                    {k: head[k] for k in COLLECTIVE_FIELDS} if head["reported"] else None
                ),
                "submission": {
                    "received": bool(head["received"]),
                    "accepted": bool(head["accepted"]),
                    "on_time": bool(head["on_time"]),
                    "due_date": head["due_date"],
                },
                "completion_rate": head["completion_rate"],
                "final_level": head["final_level"],
                "explanations": [
                    {**e, "step": UNIT_STEP_LABELS.get(e["step"], e["step"])}
                    for e in explanations.get(code, [])
                ],
                "cadres": unit_cadres,
                "tasks": unit_tasks,
                "task_summary": task_summary(unit_tasks),
            }
        )
    return contexts
