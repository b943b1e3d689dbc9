"""The annual cycle: collect, score and classify, then render every dossier and the summary."""

from __future__ import annotations

from prefect import flow

from flows.collect import collect_submissions
from tasks.reports import render_board_summary, render_collective_dossiers, render_dossiers
from tasks.scoring import score_and_classify


@flow(name="chu-ky-danh-gia-nam", log_prints=True)
def annual_cycle(cycle: int | None = None) -> dict:
    intake = collect_submissions(cycle)
    counts = score_and_classify(cycle)
    dossiers = render_dossiers(cycle)
    unit_dossiers = render_collective_dossiers(cycle)
    summary = render_board_summary(cycle)
    return {
        "intake": intake,
        "scores": counts,
        "dossiers": dossiers,
        "unit_dossiers": unit_dossiers,
        "summary": summary,
    }


if __name__ == "__main__":
    annual_cycle()
