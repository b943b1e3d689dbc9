"""The board approves before anything is final: the annual flow pauses, the board answers
through the Prefect API, and only an approval makes the dossiers final and locks the cycle."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from danhgia.approval import decisions, is_locked, record_decision
from danhgia.board_api import NoPausedRun, answer, paused_annual_run
from danhgia.warehouse import open_warehouse
from tests.conftest import (
    DataDir,
    RunLogCapture,
    copy_province,
    find_leaks,
    personal_data,
    prefect_api_texts,
)

pytestmark = pytest.mark.slow
DRAFT = "DỰ THẢO"


def first_page(path: Path) -> str:
    return " ".join(PdfReader(path).pages[0].extract_text().split())


def start_paused_cycle(root: Path) -> tuple[threading.Thread, dict, object]:
    """Run the annual flow in a thread until it waits for the board; its run id."""
    from flows.annual import annual_cycle

    box: dict = {}

    def target() -> None:
        try:
            box["result"] = annual_cycle(2025, require_approval=True)
        except BaseException as exc:  # surfaced by the test
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if "error" in box:
            raise box["error"]
        try:
            return thread, box, paused_annual_run(2025)
        except NoPausedRun:
            time.sleep(1)
    raise AssertionError("the annual flow never paused for the board")


@pytest.fixture
def province(prefect_harness, small_inbox, tmp_path):
    root = copy_province(small_inbox, tmp_path / "data")
    with DataDir(root):
        yield root


def test_approval_makes_dossiers_final_and_locks_the_cycle(province: Path) -> None:
    root = province
    dossier = next((root / "output" / "2025" / "ho-so-ca-nhan").glob("*.pdf"), None)
    assert dossier is None
    with RunLogCapture() as logs:
        thread, box, run_id = start_paused_cycle(root)
        approve_and_check(root, thread, box, run_id)
    # the pause, the answer and the final rendering log codes and counts only
    with open_warehouse(root / "warehouse.duckdb") as con:
        personal = personal_data(con)
    assert len(personal) > 10
    texts = prefect_api_texts(logs.since) + logs.records
    assert any("approve" in str(t) for _, t in texts)
    assert find_leaks(texts, personal) == []


def approve_and_check(root: Path, thread: threading.Thread, box: dict, run_id: object) -> None:
    # while the board has not answered: drafts only, cycle open
    folder = root / "output" / "2025" / "ho-so-ca-nhan"
    dossier = sorted(folder.glob("*.pdf"))[0]
    assert DRAFT in first_page(dossier)
    assert DRAFT in first_page(root / "output" / "2025" / "bao-cao-tong-hop.pdf")
    with open_warehouse(root / "warehouse.duckdb") as con:
        assert not is_locked(con, 2025)
        assert decisions(con, 2025).empty

    answer(run_id, "approve", "Đồng ý kết quả xếp loại", "Thường trực Tỉnh ủy")
    thread.join(timeout=300)
    assert "error" not in box, box.get("error")
    assert box["result"]["decision"]["locked"] is True

    assert DRAFT not in first_page(dossier)
    assert DRAFT not in first_page(root / "output" / "2025" / "bao-cao-tong-hop.pdf")
    with open_warehouse(root / "warehouse.duckdb") as con:
        assert is_locked(con, 2025)
        row = decisions(con, 2025).iloc[-1]
    assert (row["decision"], row["notes"], row["decided_by"]) == (
        "approve",
        "Đồng ý kết quả xếp loại",
        "Thường trực Tỉnh ủy",
    )
    assert row["flow_run_id"] == str(run_id)

    # a file arriving after the lock is kept but refused as "cycle closed" ...
    from danhgia.intake.collect import collect
    from danhgia.intake.storage import LocalStore
    from tests.conftest import load_config

    config = load_config()
    late = root / "inbox" / "H01" / "TuDanhGia_bo_sung.xlsx"
    source = next((root / "inbox" / "H01").glob("TuDanhGia_*.xlsx"))
    shutil.copyfile(source, late)
    with late.open("ab") as fh:
        fh.write(b"\0")  # different content: a new file, not a duplicate
    with open_warehouse(root / "warehouse.duckdb") as con:
        (outcome,) = collect(con, root / "inbox", LocalStore(root / "store"), config)
        assert outcome.status == "quarantined"
        assert "cycle_closed" in {f.rule for f in outcome.findings}
        # ... until the board reopens the cycle, which is logged with its reason
        record_decision(
            con,
            2025,
            "reopen",
            notes="Bổ sung hồ sơ theo kết luận kiểm tra",
            decided_by="Ban Thường vụ",
        )
        assert not is_locked(con, 2025)
        assert list(decisions(con, 2025)["decision"]) == ["approve", "reopen"]


def test_sending_back_keeps_the_cycle_open(province: Path) -> None:
    root = province
    thread, box, run_id = start_paused_cycle(root)
    answer(run_id, "send_back", "Rà soát lại điểm khối đoàn thể", "Ban Thường vụ")
    thread.join(timeout=300)
    assert "error" not in box, box.get("error")
    assert box["result"]["decision"]["locked"] is False
    with open_warehouse(root / "warehouse.duckdb") as con:
        assert not is_locked(con, 2025)
        assert list(decisions(con, 2025)["decision"]) == ["send_back"]
    dossier = sorted((root / "output" / "2025" / "ho-so-ca-nhan").glob("*.pdf"))[0]
    assert DRAFT in first_page(dossier)


def test_approve_command_says_when_nothing_waits(province: Path) -> None:
    from typer.testing import CliRunner

    from danhgia.cli import app

    result = CliRunner().invoke(app, ["approve", "--cycle", "2025"])
    assert result.exit_code == 1
    assert "Không có chu kỳ đánh giá năm 2025 nào đang chờ phê duyệt" in result.output
