"""Scores and levels of one cycle, built in the warehouse in the order the rules require:
collectives before their heads, per-criterion scores, totals, then each cadre's level.

The SQL in ``sql/marts`` computes scores set-wise; the level rules (``danhgia.classify``) are
plain functions over the resulting frames. Everything is rebuilt in one transaction, so a
crash leaves the previous tables whole and a re-run gives identical tables.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from danhgia.classify import classify_cadres, classify_collectives
from danhgia.cycle_config import CycleConfig
from danhgia.kinds import DISCIPLINE_MEASURES
from danhgia.warehouse import query_df, replace_table, run_sql

#: Tables this module rebuilds, in the order they are built.
MART_TABLES = [
    "evaluated_cadres",
    "task_scores",
    "council_criterion_scores",
    "commune_form_scores",
    "unit_levels",
    "unit_explanations",
    "criterion_scores",
    "cadre_levels",
    "level_explanations",
    "quarterly_levels",
    "level_distribution",
    "expected_submissions",
    "submission_status",
]


def config_frames(config: CycleConfig) -> dict[str, pd.DataFrame]:
    """The cycle's configuration as small tables the SQL joins against."""
    groups = pd.DataFrame(
        [
            {
                "position_code": p,
                "group_code": g.code,
                "group_name": g.name,
                "framework": g.framework,
            }
            for g in config.groups
            for p in g.positions
        ]
    )
    shares = pd.DataFrame(
        [
            {"scale": scale, "level": level, "share": share}
            for scale, table in (
                ("commune_forms", config.commune_forms.level_share),
                ("unit_result", config.unit_result.level_share),
            )
            for level, share in table.items()
        ]
    )
    discipline = pd.DataFrame(
        {"measure": list(DISCIPLINE_MEASURES), "severity": range(1, len(DISCIPLINE_MEASURES) + 1)}
    )
    deadlines = pd.DataFrame(
        [
            {"kind": kind, "scope": scope, "due_date": due}
            for kind, value in config.deadlines.model_dump().items()
            for scope, due in (value.items() if isinstance(value, dict) else [("CN", value)])
        ]
        + [
            {
                "kind": "council_scores",
                "scope": "member",
                "due_date": config.deadlines.council_scores,
            }
        ]
    )
    quarters = pd.DataFrame(
        [{"quarter": q, "expected_share": v} for q, v in config.quarterly.expected_share.items()]
    )
    return {
        "cfg_quarters": quarters,
        "cfg_deadlines": deadlines,
        "cfg_groups": groups,
        "cfg_criteria": pd.DataFrame(config.criteria_rows()),
        "cfg_level_shares": shares,
        "cfg_discipline": discipline,
    }


def score_params(config: CycleConfig) -> dict[str, object]:
    return {
        "cycle": config.cycle,
        "board": config.province.board_unit_code,
        "quantity_cap": config.task_scoring.quantity_cap,
        "exceeded_ratio": config.task_scoring.exceeded_ratio,
        "late_penalty": config.task_scoring.late_penalty,
        "error_penalty": config.task_scoring.error_penalty,
        "trim_from_members": config.council.trim_from_members,
        "spread_flag_share": config.council.spread_flag_share,
        "subordinate_khtnv_factor": config.unit_result.subordinate_khtnv_factor,
        "progress_cap": config.quarterly.progress_cap,
        **{f"threshold_{lv.lower()}": v for lv, v in config.thresholds.items()},
    }


LEVEL_COLUMNS = ("points_level", "final_level", "from_level", "to_level")


def _levels_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Level columns typed as text even when every value is missing (nobody classified)."""
    return frame.astype({c: "string" for c in LEVEL_COLUMNS if c in frame.columns})


def build_scores(con: duckdb.DuckDBPyConnection, config: CycleConfig) -> dict[str, int]:
    """Rebuild every score and level table of the cycle; return row counts per table."""
    params = score_params(config)
    con.execute("begin transaction")
    try:
        for name, frame in config_frames(config).items():
            replace_table(con, name, frame)
        for model in (
            "evaluated_cadres",
            "task_scores",
            "council_criterion_scores",
            "commune_form_scores",
        ):
            run_sql(con, f"marts/{model}", params)
        units, unit_expl = classify_collectives(
            query_df(con, "marts/collective_inputs", params), config
        )
        replace_table(con, "unit_levels", _levels_as_text(units))
        replace_table(con, "unit_explanations", _levels_as_text(unit_expl))
        run_sql(con, "marts/criterion_scores", params)
        levels, explanations = classify_cadres(query_df(con, "marts/cadre_facts", params), config)
        replace_table(con, "cadre_levels", _levels_as_text(levels))
        replace_table(con, "level_explanations", _levels_as_text(explanations))
        run_sql(con, "marts/quarterly_levels", params)
        run_sql(con, "marts/level_distribution", params)
        run_sql(con, "marts/expected_submissions", params)
        run_sql(con, "marts/submission_status", params)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in MART_TABLES}
