"""Remind late units: a reminder in each unit's outbox for what it still owes."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from tasks.completeness import send_reminders


@flow(name="nhac-nho-don-vi", log_prints=True)
def remind_late_units(cycle: int | None = None, as_of: dt.date | None = None) -> dict:
    return send_reminders(cycle, as_of)


if __name__ == "__main__":
    remind_late_units()
