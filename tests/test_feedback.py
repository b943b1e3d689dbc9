"""What a unit gets back: its refused workbook with the bad cells marked and commented, a
one-page summary, or a receipt; always in its own outbox and nobody else's."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from danhgia.intake.collect import Outcome
from danhgia.intake.feedback import (
    ERROR_FILL,
    FEEDBACK_FOLDER,
    RESULTS_SHEET,
    send_feedback,
    submission_facts,
)
from danhgia.intake.templates import TEMPLATE_FOLDER, write_templates
from danhgia.kinds import ANNUAL, DATA_SHEET
from tests.conftest import DataDir, copy_province
from tests.intake_support import Desk, desk_fixture, province_fixture, stamp  # noqa: F401


def send(desk: Desk, outcome: Outcome) -> list[Path]:
    facts = submission_facts(desk.con, [outcome.file_hash]).get(outcome.file_hash)
    return send_feedback(
        outcome, desk.store.path_of(outcome.stored), desk.root / "outbox", desk.config, facts
    )


def outbox_units(desk: Desk) -> set[str]:
    return {p.name for p in (desk.root / "outbox").iterdir()}


def bad_council_sheet(desk: Desk) -> Outcome:
    rows = desk.rows("council_scores", "TU", "TV02")
    rows[0]["score"] = 7.5  # above the criterion's 5 points
    rows[1]["score"] = -1.0
    desk.write("council_scores", rows, folder="TU", scope="TV02", name="PhieuChamDiem_TV02.xlsx")
    outcome = desk.take()
    assert outcome.status == "quarantined"
    return outcome


def test_a_refused_workbook_comes_back_with_each_bad_cell_marked(desk: Desk) -> None:
    outcome = bad_council_sheet(desk)
    written = send(desk, outcome)
    tag = outcome.file_hash[:12]
    assert {p.name for p in written} == {
        f"tu-choi-{tag}.txt",
        f"tu-choi-{tag}-PhieuChamDiem_TV02.xlsx",
    }
    assert outbox_units(desk) == {"TU"}
    wb = load_workbook(next(p for p in written if p.suffix == ".xlsx"))
    assert wb.sheetnames[0] == RESULTS_SHEET
    ws = wb[DATA_SHEET]
    commented = {c.coordinate: c for row in ws.iter_rows() for c in row if c.comment}
    assert set(commented) == {"D4", "D5"}  # the score column, rows 4 and 5
    for cell in commented.values():
        assert cell.fill.start_color.rgb == ERROR_FILL.start_color.rgb
        assert cell.comment.text.startswith("[Lỗi] ")
    assert "score_within_criterion_points" in commented["D4"].comment.text
    assert "5 điểm" in commented["D4"].comment.text
    assert "greater_than_or_equal_to" in commented["D5"].comment.text
    results = wb[RESULTS_SHEET]
    links = {c.hyperlink.location for c in results["C"] if c.hyperlink}
    assert links == {"'Dữ liệu'!D4", "'Dữ liệu'!D5"}


def test_the_summary_says_what_is_wrong_how_to_fix_it_and_by_when(desk: Desk) -> None:
    outcome = bad_council_sheet(desk)
    summary = next(p for p in send(desk, outcome) if p.suffix == ".txt").read_text("utf-8")
    assert "TỆP CHƯA ĐƯỢC TIẾP NHẬN" in summary
    assert "PhieuChamDiem_TV02.xlsx" in summary
    assert "Hạn gửi: ngày 25 tháng 12 năm 2025" in summary
    assert "dòng 4, cột 'Điểm', giá trị '7,5'" in summary
    assert "Cách sửa: Điểm không vượt điểm tối đa" in summary
    assert "inbox/TU/" in summary and f"outbox/TU/{TEMPLATE_FOLDER}/" in summary
    assert len(summary.splitlines()) < 60  # one page


def test_a_clean_file_gets_a_receipt(desk: Desk) -> None:
    rows = desk.rows("collective", "H01", ANNUAL)
    desk.write("collective", rows, folder="H01", scope=ANNUAL, name="tap-the.xlsx",
               received=dt.datetime(2025, 12, 13, 9, 0))  # fmt: skip
    outcome = desk.take()
    assert outcome.status == "loaded"
    (receipt,) = send(desk, outcome)
    assert receipt.name == f"bien-nhan-{outcome.file_hash[:12]}.txt"
    assert receipt.parent == desk.root / "outbox" / "H01" / FEEDBACK_FOLDER
    text = receipt.read_text("utf-8")
    for part in (
        "BIÊN NHẬN",
        "Tệp: tap-the.xlsx",
        "Loại biểu mẫu: Tự đánh giá, xếp loại tập thể",
        "Kỳ báo cáo: cả năm 2025",
        "Số dòng dữ liệu: 1",
        "Thời điểm nhận: 09:00, ngày 13 tháng 12 năm 2025",
        "đúng hạn",
        "Không có cảnh báo.",
        outcome.file_hash,
    ):
        assert part in text, part


def test_a_receipt_lists_the_warnings(desk: Desk) -> None:
    rows = desk.rows("quarterly_progress", "H01", "Q2")
    desk.write("quarterly_progress", rows, folder="H01", scope="Q2",
               received=dt.datetime(2025, 7, 13, 9, 0))  # fmt: skip
    outcome = desk.take()
    text = send(desk, outcome)[0].read_text("utf-8")
    assert "Kỳ báo cáo: quý 2 năm 2025" in text
    assert "nộp muộn 3 ngày" in text
    assert "CẢNH BÁO (1)" in text and "submitted_on_time" in text


def test_a_refused_csv_gets_the_summary_only(desk: Desk) -> None:
    rows = desk.rows("council_scores", "TU", "TV02")
    rows[1]["score"] = -1.0
    desk.write("council_scores", rows, folder="TU", scope="TV02", fmt="csv")
    written = send(desk, desk.take())
    assert [p.suffix for p in written] == [".txt"]
    assert "dòng 8, cột 'Điểm', giá trị '-1'" in written[0].read_text("utf-8")


def test_an_unreadable_workbook_gets_the_summary_only(desk: Desk) -> None:
    desk.write_bytes("S01", "hong.xlsx", b"PK\x03\x04 broken", dt.datetime(2025, 12, 1))
    written = send(desk, desk.take())
    assert [p.name.endswith(".txt") for p in written] == [True]
    assert "file_readable" in written[0].read_text("utf-8")


def test_feedback_goes_to_the_sender_never_to_the_unit_it_names(desk: Desk) -> None:
    rows = desk.rows("collective", "H02", ANNUAL)
    desk.write("collective", rows, folder="H01", scope=ANNUAL, unit_code="H02")
    outcome = desk.take()
    send(desk, outcome)
    assert outbox_units(desk) == {"H01"}
    text = next((desk.root / "outbox" / "H01" / FEEDBACK_FOLDER).glob("*.txt")).read_text("utf-8")
    assert "sender_matches_folder" in text


def test_a_returned_template_can_be_fixed_in_place_and_sent_again(desk: Desk) -> None:
    written = write_templates(desk.con, desk.config, desk.root / "outbox")
    (path,) = [p for p in written.files if p.name == "XepLoaiTapThe_H01_2025.xlsx"]
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    values = [12, 13, 3, 0, "Không", "HTTNV"]  # 13 done out of 12 planned
    for j, v in enumerate(values, start=2):
        ws.cell(4, j, v)
    sent = desk.inbox / "H01" / "tap-the.xlsx"
    sent.parent.mkdir(parents=True)
    wb.save(sent)
    stamp(sent, desk.on_time("collective", ANNUAL))
    outcome = desk.take()
    assert [f.rule for f in outcome.findings] == ["completed_within_planned"]
    returned = next(p for p in send(desk, outcome) if p.suffix == ".xlsx")
    wb = load_workbook(returned)
    ws = wb[DATA_SHEET]
    assert ws.protection.sheet  # still the unit's protected template
    assert ws["A4"].comment is not None and "hoàn thành lớn hơn" in ws["A4"].comment.text
    assert ws["C4"].fill.start_color.rgb == ERROR_FILL.start_color.rgb  # the whole row
    ws["C4"] = 11
    again = desk.inbox / "H01" / "tap-the-sua.xlsx"
    wb.save(again)
    stamp(again, desk.on_time("collective", ANNUAL) + dt.timedelta(hours=1))
    outcome = desk.take()
    assert outcome.status == "loaded" and outcome.findings == []


@pytest.mark.slow
def test_the_collection_task_sends_every_unit_its_feedback(
    prefect_harness, small_inbox: Path, tmp_path: Path
) -> None:
    from prefect import flow

    from tasks.intake import collect_inbox

    @flow
    def just_collect() -> list[dict]:
        return collect_inbox(2025)

    root = copy_province(small_inbox, tmp_path / "data")
    with DataDir(root):
        rows = just_collect()
    outbox = root / "outbox"
    senders = {r["unit"] for r in rows}
    assert {p.name for p in outbox.iterdir()} == senders
    for unit_dir in outbox.iterdir():
        files = list((unit_dir / FEEDBACK_FOLDER).iterdir())
        assert files
        for f in files:
            if f.suffix == ".txt":
                assert f"Đơn vị gửi: {unit_dir.name}" in f.read_text("utf-8")
    refused = [r for r in rows if r["status"] == "quarantined"]
    for r in refused:
        marked = list(
            (outbox / r["unit"] / FEEDBACK_FOLDER).glob(f"tu-choi-{r['file_hash'][:12]}*")
        )
        assert len(marked) == 2, marked
    shutil.rmtree(root)
