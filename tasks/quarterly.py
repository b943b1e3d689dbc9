"""The quarterly review: provisional levels from the progress reports, a short report."""

from __future__ import annotations

import csv
import io
import os

from prefect import task
from prefect.artifacts import create_markdown_artifact

from danhgia.formula_safety import neutralise_cell
from danhgia.kinds import LEVELS
from danhgia.vnformat import format_number, level_name
from danhgia.warehouse import open_warehouse, query_df
from tasks.common import FILE_TIMEOUT, settings_and_config


@task(name="bao-cao-hang-quy", retries=1, retry_delay_seconds=5, timeout_seconds=FILE_TIMEOUT)
def quarterly_report(quarter: str, cycle: int | None = None) -> dict:
    """Write ``output/<cycle>/quy/<quarter>.csv`` and publish the distribution (counts only)."""
    settings, config = settings_and_config(cycle)
    with open_warehouse(settings.warehouse_path) as con:
        rows = query_df(con, "reports/quarterly_report", {"quarter": quarter}).to_dict("records")
    folder = settings.dossier_dir(config.cycle) / "quy"
    folder.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(
        [
            "Mã cán bộ",
            "Họ và tên",
            "Đơn vị",
            "Nhóm",
            "Số nhiệm vụ báo cáo",
            "Điểm tiến độ",
            "Xếp loại tạm thời",
        ]
    )
    for r in rows:
        writer.writerow(
            [
                neutralise_cell(v)
                for v in (
                    r["cadre_code"],
                    r["full_name"],
                    r["unit_name"],
                    r["group_name"],
                    r["tasks_reported"],
                    format_number(r["progress_score"], 2),
                    level_name(r["provisional_level"]),
                )
            ]
        )
    path = folder / f"{quarter}.csv"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8-sig")
    os.replace(tmp, path)
    counts = {lv: sum(r["provisional_level"] == lv for r in rows) for lv in LEVELS}
    table = "\n".join(f"| {level_name(lv)} | {n} |" for lv, n in counts.items())
    create_markdown_artifact(
        key=f"quy-{quarter.lower()}-{config.cycle}",
        markdown=(
            f"### Xếp loại tạm thời {quarter} năm {config.cycle}\n\n"
            f"| Mức | Số cán bộ |\n|---|---|\n{table}\n\n"
            f"Số cán bộ có báo cáo tiến độ: {len(rows)}.\n"
        ),
        description="Xếp loại tạm thời hằng quý (KL 198-KL/TW, HD 43-HD/BTCTW)",
    )
    return {"quarter": quarter, "cadres": len(rows), "levels": counts, "file": str(path)}
