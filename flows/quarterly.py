"""The quarterly review, after each quarter's deadline: collect, score, provisional levels."""

from __future__ import annotations

from prefect import flow

from flows.collect import collect_submissions
from tasks.quarterly import quarterly_report
from tasks.scoring import score_and_classify


@flow(name="soat-xet-hang-quy", log_prints=True)
def quarterly_review(quarter: str, cycle: int | None = None) -> dict:
    collect_submissions(cycle)
    score_and_classify(cycle)
    return quarterly_report(quarter, cycle)


if __name__ == "__main__":
    quarterly_review("Q1")
