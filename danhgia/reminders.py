"""Reminders to units that have not sent a submission: in Vietnamese, in the unit's own
outbox, with the deadline and the template to fill in."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from danhgia.cycle_config import CycleConfig
from danhgia.dossiers import records
from danhgia.kinds import KINDS
from danhgia.vnformat import format_date_long

SCOPE_NAMES = {"CN": "cả năm", "Q1": "quý I", "Q2": "quý II", "Q3": "quý III"}


def _template_for(outbox: Path, unit: str, kind: str, scope: str) -> Path | None:
    """The unit's template for this kind, if the board has generated it (danhgia templates)."""
    folder = outbox / unit / "mau"
    if not folder.exists():
        return None
    matches = sorted(p for p in folder.glob("*.xlsx") if kind in p.name and scope in p.name)
    matches = matches or sorted(p for p in folder.glob("*.xlsx") if kind in p.name)
    return matches[0] if matches else None


def reminder_text(
    row: dict[str, Any], config: CycleConfig, as_of: dt.date, template: Path | None
) -> str:
    kind = KINDS[row["kind"]]
    due = row["due_date"]
    days = (as_of - due).days
    when = (
        f"đã quá hạn {days} ngày"
        if days > 0
        else "hạn nộp là hôm nay"
        if days == 0
        else f"còn {-days} ngày đến hạn"
    )
    scope = SCOPE_NAMES.get(row["scope"], row["scope"])
    lines = [
        f"{config.province.issuing_body}",
        f"{config.province.department}",
        "",
        f"Kính gửi: {row['unit_name']}",
        "",
        f"Ban Tổ chức Tỉnh ủy chưa nhận được {kind.title.lower()} ({scope}) năm {config.cycle} "
        f"của đơn vị. Hạn nộp: {format_date_long(due)} ({when}).",
    ]
    if row.get("received"):
        lines.append(
            "Đơn vị đã gửi tệp nhưng tệp bị từ chối; xem báo cáo lỗi trong thư mục phản hồi, "
            "sửa và gửi lại."
        )
    if template is not None:
        lines.append(f"Biểu mẫu để điền kèm theo: {template.name}")
    else:
        lines.append("Đơn vị dùng biểu mẫu đã được Ban Tổ chức gửi.")
    lines += [
        "Đề nghị đơn vị hoàn thành và gửi vào thư mục hồ sơ của đơn vị.",
        "",
        f"{config.province.place}, {format_date_long(as_of)}",
    ]
    return "\n".join(lines) + "\n"


def write_reminders(
    missing: pd.DataFrame, outbox: Path, config: CycleConfig, as_of: dt.date
) -> list[Path]:
    """One reminder per missing submission, in that unit's outbox only; same day, same file."""
    written = []
    for row in records(missing):
        folder = outbox / row["unit_code"] / "nhac-nho"
        folder.mkdir(parents=True, exist_ok=True)
        template = _template_for(outbox, row["unit_code"], row["kind"], row["scope"])
        if template is not None:
            shutil.copyfile(template, folder / template.name)
        path = folder / f"nhac-nho-{as_of:%Y%m%d}-{row['kind']}-{row['scope']}.txt"
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(reminder_text(row, config, as_of, template), encoding="utf-8")
        os.replace(tmp, path)
        written.append(path)
    return written


def notification_payload(missing: pd.DataFrame, cycle: int, as_of: dt.date) -> dict[str, Any]:
    """What the board's notification carries: codes and counts, never names or contents."""
    return {
        "cycle": cycle,
        "as_of": as_of.isoformat(),
        "missing_submissions": int(len(missing)),
        "overdue": int(missing["overdue"].sum()) if len(missing) else 0,
        "units": sorted(missing["unit_code"].unique().tolist()) if len(missing) else [],
    }


def notify(url: str, payload: dict[str, Any], timeout: float = 10.0) -> int:
    """POST the payload as JSON to the board's webhook; returns the HTTP status."""
    import httpx

    response = httpx.post(
        url,
        content=json.dumps(payload),
        timeout=timeout,
        headers={"Content-Type": "application/json"},
    )
    return response.status_code
