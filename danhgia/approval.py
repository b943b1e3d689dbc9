"""The board's approval of a cycle: nothing is final until the standing board says so.

Decisions are appended, never changed: the cycle's state is read from the last of them.
An approved cycle is locked (files arriving later are refused as "cycle closed") until the
board reopens it, and that decision is logged too.
"""

from __future__ import annotations

import datetime as dt
import getpass
from typing import Literal

import duckdb
import pandas as pd

from danhgia.warehouse import insert_frame, query_df

Decision = Literal["approve", "send_back", "reopen"]
DECISION_VI = {
    "approve": "Phê duyệt",
    "send_back": "Trả lại để hoàn chỉnh",
    "reopen": "Mở lại kỳ đánh giá",
}


def decisions(con: duckdb.DuckDBPyConnection, cycle: int) -> pd.DataFrame:
    return query_df(con, "reports/cycle_decisions", {"cycle": cycle})


def is_locked(con: duckdb.DuckDBPyConnection, cycle: int) -> bool:
    """Approved and not reopened since."""
    rows = decisions(con, cycle)
    state = rows[rows["decision"].isin(["approve", "reopen"])]
    return bool(len(state)) and state["decision"].iloc[-1] == "approve"


def record_decision(
    con: duckdb.DuckDBPyConnection,
    cycle: int,
    decision: Decision,
    *,
    notes: str = "",
    decided_by: str | None = None,
    flow_run_id: str | None = None,
    at: dt.datetime | None = None,
) -> int:
    """Append one decision; returns its sequence number."""
    if decision not in DECISION_VI:
        raise ValueError(f"unknown decision {decision!r}")
    if decision == "reopen" and not notes.strip():
        raise ValueError("Mở lại kỳ đánh giá phải ghi lý do.")
    seq = int(
        con.execute(
            "select coalesce(max(seq), 0) + 1 from cycle_decisions where cycle = ?", [cycle]
        ).fetchall()[0][0]
    )
    insert_frame(
        con,
        "cycle_decisions",
        pd.DataFrame(
            [
                {
                    "cycle": cycle,
                    "seq": seq,
                    "decision": decision,
                    "notes": notes.strip(),
                    "decided_by": decided_by or getpass.getuser(),
                    "decided_at": (at or dt.datetime.now()).replace(microsecond=0),
                    "flow_run_id": flow_run_id,
                }
            ]
        ),
    )
    return seq
