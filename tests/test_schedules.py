"""The calendar runs itself: deployments, schedules in Vietnam's time zone, and serving."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from dateutil.rrule import rrulestr
from prefect.schedules import RRule

from danhgia.cycle_config import load_cycle_config
from danhgia.schedules import next_run, planned_deployments, prefect_yaml
from danhgia.serving import describe
from danhgia.settings import PROJECT_ROOT

PREFECT_YAML = PROJECT_ROOT / "prefect.yaml"
DOC = yaml.safe_load(PREFECT_YAML.read_text(encoding="utf-8"))
CYCLE = DOC["deployments"][0]["parameters"]["cycle"]
CONFIG = load_cycle_config(PROJECT_ROOT / "cycles" / f"{CYCLE}.yaml")


def test_prefect_yaml_is_generated_from_the_cycle_configuration() -> None:
    assert PREFECT_YAML.read_text(encoding="utf-8") == prefect_yaml(CONFIG)


@pytest.mark.parametrize("deployment", DOC["deployments"], ids=lambda d: d["name"])
def test_every_deployment_schedule_loads_in_vietnam_time(deployment: dict) -> None:
    assert deployment["parameters"]["cycle"] == CYCLE
    assert deployment["schedules"], deployment["name"]
    for s in deployment["schedules"]:
        assert s["timezone"] == "Asia/Ho_Chi_Minh"
        schedule = RRule(
            s["rrule"], timezone=s["timezone"], parameters=s.get("parameters"), slug=s["slug"]
        )
        assert schedule.timezone == "Asia/Ho_Chi_Minh"
        assert list(rrulestr(s["rrule"]))  # fires at least once


def test_schedules_follow_the_deadlines() -> None:
    by_name = {d.name: d for d in planned_deployments(CONFIG)}
    tz = CONFIG.calendar.timezone
    d = CONFIG.deadlines
    # the quarterly review runs the day after each quarter's deadline, with that quarter
    for q, s in zip(("Q1", "Q2", "Q3"), by_name["soat-xet-hang-quy"].schedules, strict=True):
        fired = next_run(s, tz, dt.datetime(CYCLE, 1, 1, tzinfo=dt.UTC))
        assert fired.date() == d.quarterly_progress[q] + dt.timedelta(days=1)
        assert s.parameters == {"quarter": q}
    # the annual cycle runs after the last year-end deadline and waits for the board
    annual = by_name["chu-ky-danh-gia-nam"]
    fired = next_run(annual.schedules[0], tz, dt.datetime(CYCLE, 1, 1, tzinfo=dt.UTC))
    assert fired.date() == d.council_scores + dt.timedelta(days=1)
    assert annual.parameters["require_approval"] is True
    # reminders: weekly, plus 7 and 2 days before the self-assessment deadline
    slugs = {s.slug for s in by_name["nhac-nho-don-vi"].schedules}
    for n in (7, 2):
        assert f"truoc-han-{d.self_assessment - dt.timedelta(days=n):%Y%m%d}" in slugs
    # collection: every day of the window, at the configured time, local time
    daily = by_name["thu-nhan-hang-ngay"].schedules[0]
    first = next_run(daily, tz, dt.datetime(CYCLE - 1, 12, 1, tzinfo=dt.UTC))
    assert first.date() == CONFIG.calendar.collection_window["start"]
    assert first.utcoffset() == dt.timedelta(hours=7)


def test_describe_lists_every_deployment_with_its_next_run() -> None:
    lines = describe(CONFIG, dt.datetime(CYCLE, 6, 1, tzinfo=dt.UTC))
    text = "\n".join(lines)
    for d in planned_deployments(CONFIG):
        assert d.name in text
    assert "lần chạy tới 07:00 ngày 02/06" in text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_starts_lists_and_stops_cleanly(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "DANHGIA_DATA_DIR": str(tmp_path / "data"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "danhgia.cli",
            "serve",
            "--cycle",
            str(CYCLE),
            "--port",
            str(_free_port()),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 150
    try:
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Đang phục vụ theo lịch" in line:
                break
        time.sleep(3)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = "".join(lines) + out
    assert proc.returncode == 0, text[-2000:]
    for d in planned_deployments(CONFIG):
        assert d.name in text
    assert "Đang phục vụ theo lịch" in text and "Đã dừng." in text
