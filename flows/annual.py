"""The annual cycle: collect, score and classify, render the drafts; then, when approval is
required, wait for the standing board: approve makes every dossier final and locks the
cycle, send back keeps it open with the board's notes."""

from __future__ import annotations

import datetime as dt

from prefect import flow, pause_flow_run
from prefect.runtime import flow_run

from danhgia.settings import get_settings
from flows.collect import collect_submissions
from tasks.approval import BoardDecision, record_board_decision, request_approval
from tasks.reports import render_cycle
from tasks.runners import api_for_workers, render_task_runner
from tasks.scoring import score_and_classify

APPROVAL_TIMEOUT = dt.timedelta(days=30)


def _render(cycle: int | None) -> dict:
    """Every dossier and the summary, on the task runner the settings name."""
    runner = render_task_runner(get_settings())
    with api_for_workers():
        return render_cycle.with_options(task_runner=runner)(cycle)


@flow(name="chu-ky-danh-gia-nam", log_prints=True)
def annual_cycle(cycle: int | None = None, require_approval: bool = False) -> dict:
    intake = collect_submissions(cycle)
    counts = score_and_classify(cycle)
    result = {"intake": intake, "scores": counts, **_render(cycle), "decision": None}
    if not require_approval:
        return result
    request_approval(cycle)
    answer = pause_flow_run(
        wait_for_input=BoardDecision,
        timeout=int(APPROVAL_TIMEOUT.total_seconds()),
        key=f"phe-duyet-{cycle}",
    )
    result["decision"] = record_board_decision(
        answer.decision, answer.notes, answer.decided_by, flow_run.get_id(), cycle
    )
    if answer.decision == "approve":
        result.update(_render(cycle))  # the same dossiers, now final
    return result


if __name__ == "__main__":
    annual_cycle()
