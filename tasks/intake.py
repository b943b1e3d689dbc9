"""Intake tasks: take in the inbox, quarantine what fails, publish what happened."""

from __future__ import annotations

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.logging import get_run_logger

from danhgia.intake.collect import Outcome, collect
from danhgia.intake.feedback import send_feedback, submission_facts
from danhgia.intake.quarantine import quarantine
from danhgia.intake.storage import LocalStore
from danhgia.warehouse import open_warehouse
from tasks.common import FILE_TIMEOUT, settings_and_config


@task(name="thu-nhan-tep", retries=2, retry_delay_seconds=5, timeout_seconds=FILE_TIMEOUT)
def collect_inbox(cycle: int | None = None) -> list[dict]:
    """Take in every new file; quarantine the refused ones with their report; send each unit
    its receipt or its marked-up file (outbox/<unit>/phan-hoi/)."""
    logger = get_run_logger()
    settings, config = settings_and_config(cycle)
    store = LocalStore(settings.store_dir)
    with open_warehouse(settings.warehouse_path) as con:
        outcomes = collect(con, settings.inbox_dir, store, config)
        facts = submission_facts(con, [o.file_hash for o in outcomes])
    rows = []
    for o in outcomes:
        if o.status == "quarantined":
            quarantine(o, store.path_of(o.stored), settings.quarantine_dir, config.cycle)
        try:  # the files are recorded: a feedback failure must not make the task retry
            send_feedback(
                o, store.path_of(o.stored), settings.outbox_dir, config, facts.get(o.file_hash)
            )
        except Exception:
            logger.exception("Feedback for %s could not be written", o.file_hash[:12])
        rows.append(_row(o))
    loaded = sum(o.status == "loaded" for o in outcomes)
    logger.info(
        "Collected %d new files: %d loaded, %d quarantined",
        len(outcomes),
        loaded,
        len(outcomes) - loaded,
    )
    return rows


def _row(o: Outcome) -> dict:
    return {
        "file_hash": o.file_hash,
        "unit": o.sender,
        "file": o.file_name,
        "kind": o.kind,
        "scope": o.scope,
        "status": o.status,
        "late": o.late,
        "errors": o.errors,
        "warnings": o.warnings,
    }


@task(name="cong-bo-ket-qua-thu-nhan")
def publish_intake_artifacts(rows: list[dict], cycle: int | None = None) -> None:
    """The board reviews each run in the Prefect UI: a table of files, a note per refusal.

    Artifacts carry codes and counts only, never names or free text from the files.
    """
    settings, config = settings_and_config(cycle)
    table = [
        {k: r[k] for k in ("unit", "kind", "scope", "status", "errors", "warnings")} for r in rows
    ]
    create_table_artifact(
        key=f"thu-nhan-{config.cycle}",
        table=table
        or [
            {
                "unit": "",
                "kind": "",
                "scope": "",
                "status": "không có tệp mới",
                "errors": 0,
                "warnings": 0,
            }
        ],
        description=f"Kết quả thu nhận tệp của kỳ đánh giá năm {config.cycle}",
    )
    for r in rows:
        if r["status"] != "quarantined":
            continue
        create_markdown_artifact(
            key=f"tu-choi-{r['file_hash'][:12]}",
            markdown=(
                f"### Tệp bị từ chối\n\n- Đơn vị: `{r['unit']}`\n- Loại: `{r['kind']}`\n"
                f"- Kỳ: `{r['scope']}`\n- Số lỗi: {r['errors']}, cảnh báo: {r['warnings']}\n"
                f"- Báo cáo: `quarantine/{r['unit']}/{r['file_hash'][:12]}/bao-cao-loi.txt`\n"
            ),
            description="Tệp bị từ chối, chờ đơn vị gửi lại",
        )
