"""Collect submissions: take in the inbox, quarantine what fails, report to the board."""

from __future__ import annotations

from prefect import flow

from tasks.completeness import update_completeness
from tasks.intake import collect_inbox, publish_intake_artifacts


@flow(name="thu-nhan-ho-so", log_prints=True)
def collect_submissions(cycle: int | None = None) -> list[dict]:
    rows = collect_inbox(cycle)
    publish_intake_artifacts(rows, cycle)
    update_completeness(cycle)
    return rows


if __name__ == "__main__":
    collect_submissions()
