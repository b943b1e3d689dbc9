"""``danhgia serve``: every deployment of the cycle served from one process, with no extra
infrastructure. Unless ``PREFECT_API_URL`` points at a Prefect server already, a local one
is started on the loopback address (SQLite under PREFECT_HOME), so its scheduler creates the
runs and the board can answer approvals in its UI; it is stopped with the process."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from danhgia.cycle_config import CycleConfig
from danhgia.schedules import PlannedDeployment, next_run, planned_deployments

SERVER_START_SECONDS = 120


def next_runs(config: CycleConfig, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Each deployment's next run after ``now`` (None when its schedules are all past)."""
    now = now or dt.datetime.now(dt.UTC)
    out = []
    for d in planned_deployments(config):
        times = [next_run(s, config.calendar.timezone, now) for s in d.schedules]
        upcoming = [t for t in times if t is not None]
        out.append(
            {
                "name": d.name,
                "description": d.description,
                "next_run": min(upcoming) if upcoming else None,
            }
        )
    return out


def describe(config: CycleConfig, now: dt.datetime | None = None) -> list[str]:
    lines = [
        f"Các tác vụ theo lịch của kỳ đánh giá năm {config.cycle} (giờ {config.calendar.timezone}):"
    ]
    for r in next_runs(config, now):
        when = r["next_run"].strftime("%H:%M ngày %d/%m/%Y") if r["next_run"] else "hết lịch"
        lines.append(f"  - {r['name']}: lần chạy tới {when} — {r['description']}")
    return lines


def _deployment(d: PlannedDeployment, tz: str) -> Any:
    from prefect.schedules import RRule

    flow = getattr(importlib.import_module(d.flow_module), d.flow_name)
    return flow.to_deployment(
        name=d.name,
        description=d.description,
        parameters=d.parameters,
        schedules=[
            RRule(s.rrule, timezone=tz, parameters=s.parameters or None, slug=s.slug)
            for s in d.schedules
        ],
    )


def _healthy(url: str) -> bool:
    import httpx

    try:
        return httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def local_server(port: int) -> Iterator[str]:
    """A Prefect server on 127.0.0.1 for as long as the block runs; its API URL."""
    url = f"http://127.0.0.1:{port}/api"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PREFECT_UI_API_URL": url},
    )
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not _healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Không khởi động được máy chủ Prefect cục bộ tại cổng {port}.")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _stop_on_sigterm() -> None:
    """A service manager stops with SIGTERM: treat it like Ctrl+C so Prefect shuts down."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def _serve(config: CycleConfig, echo: Callable[[str], None]) -> None:
    from prefect import serve

    deployments = [_deployment(d, config.calendar.timezone) for d in planned_deployments(config)]
    echo("Đang phục vụ theo lịch; nhấn Ctrl+C để dừng.")
    # Ctrl+C, or Prefect's own graceful shutdown on SIGTERM, ends serving
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        serve(*deployments, print_starting_message=False)


def serve_cycle(config: CycleConfig, port: int, echo: Callable[[str], None] = print) -> None:
    for line in describe(config):
        echo(line)
    _stop_on_sigterm()
    try:
        if os.environ.get("PREFECT_API_URL"):
            _serve(config, echo)
        else:
            from prefect.settings import PREFECT_API_URL, temporary_settings

            with local_server(port) as url:
                echo(f"Giao diện Prefect: {url.removesuffix('/api')}")
                with temporary_settings({PREFECT_API_URL: url}):
                    _serve(config, echo)
    except KeyboardInterrupt:
        pass
    echo("Đã dừng.")
