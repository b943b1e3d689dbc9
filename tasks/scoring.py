"""Scoring task: the whole cycle's scores and levels, rebuilt in one transaction."""

from __future__ import annotations

from prefect import task
from prefect.artifacts import create_table_artifact
from prefect.logging import get_run_logger

from danhgia.scoring import build_scores
from danhgia.warehouse import open_warehouse
from tasks.common import settings_and_config


@task(name="tinh-diem-va-xep-loai")
def score_and_classify(cycle: int | None = None) -> dict[str, int]:
    logger = get_run_logger()
    settings, config = settings_and_config(cycle)
    with open_warehouse(settings.warehouse_path) as con:
        counts = build_scores(con, config)
        levels = con.execute(
            "select coalesce(final_level, 'Không xếp loại') as level, count(*) as n "
            "from cadre_levels group by all order by level"
        ).df()
    logger.info("Scored %d cadres", counts["cadre_levels"])
    create_table_artifact(
        key=f"xep-loai-{config.cycle}",
        table=levels.to_dict("records"),
        description=f"Phân bố mức xếp loại năm {config.cycle} (số người)",
    )
    return counts
