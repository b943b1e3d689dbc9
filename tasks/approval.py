"""The board's approval step: ask (an artifact with the draft result), then record the answer."""

from __future__ import annotations

from typing import Literal

from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.input import RunInput

from danhgia.approval import DECISION_VI, is_locked, record_decision
from danhgia.kinds import LEVELS
from danhgia.vnformat import level_name
from danhgia.warehouse import open_warehouse
from tasks.common import settings_and_config


class BoardDecision(RunInput):
    """What the standing board answers, in the Prefect UI or with `danhgia approve`."""

    decision: Literal["approve", "send_back"]
    notes: str = ""
    decided_by: str = "Ban Thường vụ"


@task(name="de-nghi-phe-duyet")
def request_approval(cycle: int | None = None) -> str:
    """Publish the draft distribution for the board (codes and counts only)."""
    settings, config = settings_and_config(cycle)
    with open_warehouse(settings.warehouse_path) as con:
        rows = con.execute(
            "select group_code, final_level, count(*) from cadre_levels group by all order by 1, 2"
        ).fetchall()
    groups = sorted({g for g, _, _ in rows})
    counts = {(g, lv): n for g, lv, n in rows}
    header = "| Nhóm | " + " | ".join(level_name(lv) for lv in [*LEVELS, None]) + " |"
    lines = [header, "|---" * (len(LEVELS) + 2) + "|"]
    for g in groups:
        cells = " | ".join(str(counts.get((g, lv), 0)) for lv in [*LEVELS, None])
        lines.append(f"| {g} | {cells} |")
    markdown = (
        f"### Đề nghị phê duyệt kết quả xếp loại năm {config.cycle}\n\n"
        + "\n".join(lines)
        + "\n\nBáo cáo tổng hợp (dự thảo): `output/"
        + f"{config.cycle}/bao-cao-tong-hop.pdf`.\n\n"
        "Ban Thường vụ trả lời ngay trong giao diện Prefect (Resume) hoặc bằng lệnh "
        f'`danhgia approve --cycle {config.cycle}` (hoặc `--send-back --notes "..."`).\n'
    )
    key = f"de-nghi-phe-duyet-{config.cycle}"
    create_markdown_artifact(
        key=key, markdown=markdown, description="Kết quả dự thảo chờ Ban Thường vụ phê duyệt"
    )
    return key


@task(name="ghi-quyet-dinh-phe-duyet", retries=2, retry_delay_seconds=5)
def record_board_decision(
    decision: str,
    notes: str,
    decided_by: str,
    flow_run_id: str | None,
    cycle: int | None = None,
) -> dict:
    settings, config = settings_and_config(cycle)
    with open_warehouse(settings.warehouse_path) as con:
        seq = record_decision(
            con, config.cycle, decision, notes=notes, decided_by=decided_by, flow_run_id=flow_run_id
        )
        locked = is_locked(con, config.cycle)
    return {"seq": seq, "decision": DECISION_VI[decision], "locked": locked}
