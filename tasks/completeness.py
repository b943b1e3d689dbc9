"""Completeness, timeliness and reminders as Prefect tasks."""

from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.artifacts import create_table_artifact
from prefect.logging import get_run_logger

from danhgia.completeness import build_completeness, completeness_by_kind, missing_submissions
from danhgia.reminders import notification_payload, notify, write_reminders
from danhgia.vnformat import format_percent
from danhgia.warehouse import open_warehouse
from tasks.common import FILE_TIMEOUT, settings_and_config


@task(name="ty-le-nop-ho-so", retries=2, retry_delay_seconds=5)
def update_completeness(cycle: int | None = None, as_of: dt.date | None = None) -> list[dict]:
    """Rebuild expected/received submissions and publish the rates as a table artifact."""
    settings, config = settings_and_config(cycle)
    as_of = as_of or dt.date.today()
    with open_warehouse(settings.warehouse_path) as con:
        build_completeness(con, config)
        table = completeness_by_kind(con, as_of)
    rows = [
        {
            "Loại hồ sơ": r["kind_title"],
            "Phải nộp": int(r["expected"]),
            "Đã nhận": int(r["received"]),
            "Đúng hạn": int(r["on_time"]),
            "Tỷ lệ nộp": format_percent(r["reporting_rate"]),
            "Tỷ lệ đúng hạn": format_percent(r["on_time_rate"]),
        }
        for r in table.to_dict("records")
    ]
    create_table_artifact(
        key=f"ty-le-nop-ho-so-{config.cycle}",
        table=rows or [{"Loại hồ sơ": "chưa có hồ sơ nào đến hạn"}],
        description=f"Tỷ lệ nộp và nộp đúng hạn tính đến ngày {as_of:%d/%m/%Y}",
    )
    return table.to_dict("records")


@task(name="nhac-nho-don-vi", retries=2, retry_delay_seconds=5, timeout_seconds=FILE_TIMEOUT)
def send_reminders(cycle: int | None = None, as_of: dt.date | None = None) -> dict:
    """A reminder in each late unit's outbox, then the board's notification if configured."""
    logger = get_run_logger()
    settings, config = settings_and_config(cycle)
    as_of = as_of or dt.date.today()
    horizon = max(config.calendar.reminder_days_before, default=0)
    with open_warehouse(settings.warehouse_path) as con:
        build_completeness(con, config)
        missing = missing_submissions(con, as_of, horizon)
    written = write_reminders(missing, settings.outbox_dir, config, as_of)
    payload = notification_payload(missing, config.cycle, as_of)
    if settings.notify_webhook_url:
        status = notify(settings.notify_webhook_url, payload)
        logger.info("Notified the board's webhook: HTTP %d", status)
    logger.info("Reminders written: %d (units: %d)", len(written), len(payload["units"]))
    return {"reminders": len(written), **payload}
