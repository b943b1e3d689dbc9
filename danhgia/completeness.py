"""Who has sent what: expected submissions against what arrived, by kind, unit and period.

Kept in the warehouse (``expected_submissions``, ``submission_status``) after every
collection, so the summary report, the reminders and the Prefect artifact read the same
numbers.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from danhgia.cycle_config import CycleConfig
from danhgia.kinds import KINDS
from danhgia.scoring import config_frames, score_params
from danhgia.warehouse import query_df, replace_table, run_sql

COMPLETENESS_MODELS = ("evaluated_cadres", "expected_submissions", "submission_status")


def build_completeness(con: duckdb.DuckDBPyConnection, config: CycleConfig) -> None:
    """Rebuild who owes what and what arrived, in one transaction."""
    params = score_params(config)
    con.execute("begin transaction")
    try:
        for name, frame in config_frames(config).items():
            replace_table(con, name, frame)
        for model in COMPLETENESS_MODELS:
            run_sql(con, f"marts/{model}", params)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def completeness_by_kind(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pd.DataFrame:
    frame = query_df(con, "reports/completeness_by_kind", {"as_of": as_of})
    frame.insert(1, "kind_title", frame["kind"].map(lambda k: KINDS[k].title))
    return frame


def missing_submissions(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, horizon_days: int
) -> pd.DataFrame:
    return query_df(
        con, "reports/missing_submissions", {"as_of": as_of, "horizon_days": horizon_days}
    )
