"""Completeness and reminders: a unit that sent nothing shows in the reporting rates and
finds a reminder in its own outbox; the board's webhook gets codes and counts only."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.conftest import DataDir, copy_province

pytestmark = pytest.mark.slow


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hook.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook(monkeypatch):
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Hook.received.clear()
    monkeypatch.setenv("DANHGIA_NOTIFY_WEBHOOK_URL", f"http://127.0.0.1:{server.server_port}/")
    yield _Hook.received
    server.shutdown()


def test_missing_unit_gets_a_reminder_and_shows_in_the_rates(
    prefect_harness, small_inbox, tmp_path, webhook
):
    from prefect.client.orchestration import get_client

    from danhgia.completeness import completeness_by_kind
    from danhgia.warehouse import open_warehouse
    from flows.collect import collect_submissions
    from flows.reminders import remind_late_units

    root = copy_province(small_inbox, tmp_path / "data")
    missing_unit = json.loads((root / "sample_manifest.json").read_text("utf-8"))["specials"][
        "missing_unit"
    ]
    as_of = dt.date(2025, 12, 16)  # after the year-end deadline of the self-assessment
    with DataDir(root):
        collect_submissions(2025)
        result = remind_late_units(2025, as_of)
        with open_warehouse(root / "warehouse.duckdb") as con:
            rates = completeness_by_kind(con, as_of).set_index("kind")
            expected = con.execute(
                "select count(*) from expected_submissions where kind = 'self_assessment'"
            ).fetchall()[0][0]
    row = rates.loc["self_assessment"]
    assert row["expected"] == expected and row["received"] == expected - 1
    assert row["reporting_rate"] == pytest.approx((expected - 1) / expected, abs=1e-4)

    reminders = sorted((root / "outbox" / missing_unit / "nhac-nho").glob("*.txt"))
    kinds = {p.name.split("-")[3] for p in reminders}
    assert {"task_register", "quarterly_progress", "self_assessment", "collective"} <= kinds
    text = next(p for p in reminders if "self_assessment" in p.name).read_text("utf-8")
    assert "Báo cáo tự đánh giá cuối năm".lower() in text
    assert "ngày 15 tháng 12 năm 2025" in text and "đã quá hạn 1 ngày" in text
    # a unit's outbox holds only its own reminders
    names = {
        u["code"]: u["name"]
        for u in json.loads((root / "sample_manifest.json").read_text("utf-8"))["units"]
    }
    for path in (root / "outbox").rglob("nhac-nho/*.txt"):
        unit = path.parent.parent.name
        assert f"Kính gửi: {names[unit]}\n" in path.read_text("utf-8"), path

    assert result["reminders"] == len(list((root / "outbox").rglob("nhac-nho/*.txt")))
    assert webhook and webhook[-1]["missing_submissions"] == result["missing_submissions"]
    assert missing_unit in webhook[-1]["units"]
    assert set(webhook[-1]) == {"cycle", "as_of", "missing_submissions", "overdue", "units"}

    with get_client(sync_client=True) as client:
        keys = {a.key for a in client.read_artifacts()}
    assert "ty-le-nop-ho-so-2025" in keys
