"""The board's review queue: warnings wait for a decision, a rejection stops a version from
counting, a file with errors cannot be accepted, and no decision is ever changed."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest
from typer.testing import CliRunner

from danhgia import review
from danhgia.kinds import ANNUAL
from danhgia.review_notice import send_decision_notice
from danhgia.settings import PROJECT_ROOT
from danhgia.vnformat import format_date_long
from tests.intake_support import Desk, desk_fixture, province_fixture  # noqa: F401


def current(desk: Desk, unit: str, kind: str, scope: str = ANNUAL) -> str | None:
    row = desk.con.execute(
        "select file_hash from current_submissions "
        "where unit_code = $u and kind = $k and scope = $s",
        {"u": unit, "k": kind, "s": scope},
    ).fetchone()
    return row[0] if row else None


def item_of(desk: Desk, unit: str, kind: str, status: str | None = None) -> review.Item:
    items = [
        i
        for i in review.queue(desk.con, 2025, everything=True)
        if i.unit_code == unit and i.kind == kind and (status is None or i.status == status)
    ]
    return items[-1]


def test_files_with_only_warnings_wait_for_the_board(desk: Desk) -> None:
    pending = review.queue(desk.con, 2025)
    assert {(i.unit_code, i.kind) for i in pending} == {
        ("H02", "self_assessment"),  # sent late
        ("X003", "commune_forms"),  # decomposed Unicode
    }
    assert all(i.state == "chờ xem xét" and i.n_warnings and not i.n_errors for i in pending)
    everything = review.queue(desk.con, 2025, everything=True)
    refused = [i for i in everything if i.status == "quarantined"]
    assert refused and all(i.state == "có lỗi, không được nạp" for i in refused)
    assert not set(refused) & set(pending)


def test_accepting_marks_a_file_reviewed_and_it_keeps_counting(desk: Desk) -> None:
    item = item_of(desk, "H02", "self_assessment")
    made = review.accept(desk.con, item.id, "Đã giải trình lý do nộp muộn", decided_by="Trần B")
    assert (made.seq, made.decision, made.decided_by) == (1, "accept", "Trần B")
    assert item.file_hash not in {i.file_hash for i in review.queue(desk.con, 2025)}
    assert item_of(desk, "H02", "self_assessment").state == "đã chấp nhận"
    assert current(desk, "H02", "self_assessment") == item.file_hash


def test_rejecting_a_version_stops_it_counting_and_the_previous_one_counts_again(
    desk: Desk,
) -> None:
    first = current(desk, "H01", "collective")
    rows = desk.rows("collective", "H01", ANNUAL)
    rows[0]["planned_tasks"] += 5
    desk.write("collective", rows, folder="H01", scope=ANNUAL,
               received=dt.datetime(2025, 12, 14, 9, 0))  # fmt: skip
    second = desk.take().file_hash
    assert current(desk, "H01", "collective") == second

    review.reject(desk.con, second[:12], "Số nhiệm vụ kế hoạch không khớp bản đăng ký")
    assert current(desk, "H01", "collective") == first
    (planned,) = desk.con.execute(
        "select planned_tasks from cur_collective where sender_code = 'H01'"
    ).fetchone()
    assert planned == rows[0]["planned_tasks"] - 5
    assert item_of(desk, "H01", "collective").state == "đã bác bỏ, không được dùng"

    # a later decision is a new row, and the latest one is in force
    review.accept(desk.con, second[:12], "Đơn vị đã giải trình")
    assert current(desk, "H01", "collective") == second
    history = review.detail(desk.con, second[:12]).decisions
    assert [(d.seq, d.decision) for d in history] == [(1, "reject"), (2, "accept")]


def test_rejecting_the_only_version_leaves_nothing_counting(desk: Desk) -> None:
    item = item_of(desk, "X003", "commune_forms")
    review.reject(desk.con, item.id, "Phiếu không có chữ ký")
    assert current(desk, "X003", "commune_forms") is None
    (n,) = desk.con.execute(
        "select count(*) from cur_commune_forms where sender_code = 'X003'"
    ).fetchone()
    assert n == 0


def test_a_file_with_errors_cannot_be_accepted_but_its_rejection_is_recorded(desk: Desk) -> None:
    item = item_of(desk, "S01", "self_assessment", status="quarantined")
    with pytest.raises(review.ReviewError, match="không được nạp vào kho dữ liệu"):
        review.accept(desk.con, item.id)
    assert review.detail(desk.con, item.id).decisions == []
    review.reject(desk.con, item.id, "Đã yêu cầu đơn vị gửi lại")
    after = item_of(desk, "S01", "self_assessment", status="quarantined")
    assert after.decision == "reject" and after.state == "có lỗi, không được nạp"


def test_a_rejection_needs_a_reason(desk: Desk) -> None:
    item = item_of(desk, "X003", "commune_forms")
    with pytest.raises(review.ReviewError, match="lý do"):
        review.reject(desk.con, item.id, "   ")


def test_decisions_are_appended_never_changed(desk: Desk) -> None:
    item = item_of(desk, "X003", "commune_forms")
    review.reject(desk.con, item.id, "Lần 1", decided_by="A")
    before = desk.con.execute("select * from review_decisions order by seq").fetchall()
    review.accept(desk.con, item.id, "Lần 2", decided_by="B")
    review.reject(desk.con, item.id, "Lần 3", decided_by="C")
    after = desk.con.execute("select * from review_decisions order by seq").fetchall()
    assert after[: len(before)] == before
    assert [(r[1], r[2], r[3], r[4]) for r in after] == [
        (1, "reject", "Lần 1", "A"),
        (2, "accept", "Lần 2", "B"),
        (3, "reject", "Lần 3", "C"),
    ]
    # no command of the project can change or remove a decision
    code = "\n".join(
        p.read_text(encoding="utf-8")
        for folder in ("danhgia", "tasks", "flows", "sql")
        for p in (PROJECT_ROOT / folder).rglob("*")
        if p.suffix in (".py", ".sql")
    )
    for statement in (r"update\s+review_decisions", r"delete\s+from\s+review_decisions",
                      r"(drop|truncate)\s+(table\s+)?review_decisions"):  # fmt: skip
        assert not re.search(statement, code, re.IGNORECASE), statement


def test_files_are_named_by_a_prefix_of_their_hash(desk: Desk) -> None:
    item = item_of(desk, "X003", "commune_forms")
    assert review.resolve(desk.con, item.id) == item.file_hash
    assert review.resolve(desk.con, item.file_hash.upper()) == item.file_hash
    with pytest.raises(review.ReviewError, match="không hợp lệ"):
        review.resolve(desk.con, "xyz")
    with pytest.raises(review.ReviewError, match="Không có tệp"):
        review.resolve(desk.con, "0" * 12)
    for last in "12":
        desk.con.execute(
            "insert into submissions (file_hash, cycle, unit_code, file_name, stored_path, "
            "received_at, status) values ($h, 2025, 'H01', 'x.xlsx', 'x', now(), 'quarantined')",
            {"h": "abcdef" + last * 58},
        )
    with pytest.raises(review.ReviewError, match="khớp với 2 tệp"):
        review.resolve(desk.con, "abcdef")


def test_the_review_commands(desk: Desk) -> None:
    from danhgia.cli import app

    pending = item_of(desk, "X003", "commune_forms")
    refused = item_of(desk, "S01", "self_assessment", status="quarantined")
    desk.close()  # the commands open the warehouse themselves
    runner = CliRunner()
    env = {"DANHGIA_DATA_DIR": str(desk.root)}

    def run(*args: str):
        return runner.invoke(app, ["review", *args], env=env)

    listed = run("list")
    assert listed.exit_code == 0 and pending.id in listed.output and "chờ xem xét" in listed.output
    assert refused.id not in listed.output
    assert refused.id in run("list", "--all").output
    shown = run("show", pending.id)
    assert "Chưa có quyết định của Ban." in shown.output and "unicode_nfc" in shown.output
    assert run("reject", pending.id).exit_code == 1
    rejected = run("reject", pending.id, "--note", "Phiếu thiếu chữ ký", "--by", "Nguyễn Văn A")
    assert rejected.exit_code == 0, rejected.output
    assert "Đã ghi quyết định 1" in rejected.output and "không có bản nào" in rejected.output
    notices = desk.root / "outbox" / "X003" / "phan-hoi"
    first = (notices / f"quyet-dinh-{pending.id}-1.txt").read_text(encoding="utf-8")
    assert f"thông báo quyết định cho đơn vị X003: {notices}" in " ".join(rejected.output.split())
    accepted = run("accept", pending.id, "--note", "Đã bổ sung chữ ký")
    assert accepted.exit_code == 0 and "Đã ghi quyết định 2" in accepted.output
    second = (notices / f"quyet-dinh-{pending.id}-2.txt").read_text(encoding="utf-8")
    assert "Quyết định: BÁC BỎ" in first and "Lý do của Ban: Phiếu thiếu chữ ký" in first
    assert "gửi lại toàn bộ tệp vào thư mục inbox/X003/" in first
    assert "Quyết định: CHẤP NHẬN" in second and "Ghi chú của Ban: Đã bổ sung chữ ký" in second
    assert "Số liệu của tệp được dùng để đánh giá" in second
    for text in (first, second):
        assert unicodedata.is_normalized("NFC", text)
        assert "Nguyễn Văn A" not in text and review.current_user() not in text  # the board speaks
    assert sorted(p.name for p in notices.glob("quyet-dinh-*")) == [
        f"quyet-dinh-{pending.id}-1.txt",
        f"quyet-dinh-{pending.id}-2.txt",
    ]
    refused_accept = run("accept", refused.id)
    assert refused_accept.exit_code == 1 and "không được nạp" in refused_accept.output
    history = run("show", pending.id).output
    assert "1. " in history and "bác bỏ — Nguyễn Văn A: Phiếu thiếu chữ ký" in history
    assert f"chấp nhận — {review.current_user()}: Đã bổ sung chữ ký" in history
    assert run("show", "zz").exit_code == 1


def test_no_decision_once_the_board_has_approved_and_locked_the_cycle(desk: Desk) -> None:
    from danhgia.approval import record_decision

    item = item_of(desk, "X003", "commune_forms")
    record_decision(desk.con, 2025, "approve", decided_by="BTV")
    with pytest.raises(review.ReviewError, match="đã được Ban Thường vụ phê duyệt và khóa"):
        review.reject(desk.con, item.id, "Phiếu không có chữ ký")
    record_decision(desk.con, 2025, "reopen", notes="Bổ sung phiếu của xã", decided_by="BTV")
    assert review.reject(desk.con, item.id, "Phiếu không có chữ ký").seq == 1


# --- what the unit is told ------------------------------------------------------------------


def notice(desk: Desk, made: review.Decision) -> str:
    path = send_decision_notice(desk.con, made, desk.root / "outbox", desk.config)
    assert path is not None
    return " ".join(path.read_text(encoding="utf-8").split())


def test_a_rejected_version_notice_names_the_version_that_counts_again(desk: Desk) -> None:
    first = current(desk, "H01", "collective")
    rows = desk.rows("collective", "H01", ANNUAL)
    desk.write("collective", rows, folder="H01", scope=ANNUAL,
               received=dt.datetime(2025, 12, 14, 9, 0))  # fmt: skip
    second = desk.take()
    text = notice(desk, review.reject(desk.con, second.file_hash[:12], "Thiếu chữ ký"))
    assert f"Tệp: {second.file_name} (mã tệp {second.file_hash[:12]})" in text
    assert "Kỳ báo cáo: cả năm 2025" in text and "Thời điểm nhận: 09:00, ngày 14 tháng 12" in text
    assert "Số liệu của tệp này thôi được dùng để đánh giá; tệp vẫn được lưu." in text
    assert f"(mã tệp {first[:12]}, nhận lúc" in text  # the version that counts now
    assert "Hiện không có bản nào" not in text

    # accepted again, while it is the newest: it counts and nothing is asked of the unit
    text = notice(desk, review.accept(desk.con, second.file_hash[:12], ""))
    assert "Ghi chú của Ban: không có" in text
    assert "đơn vị không phải làm gì thêm" in text


def test_the_notice_on_a_refused_file_says_what_to_do_and_by_when(desk: Desk) -> None:
    item = item_of(desk, "S01", "self_assessment", status="quarantined")
    text = notice(desk, review.reject(desk.con, item.id, "Đã yêu cầu đơn vị gửi lại"))
    assert f"Tệp có lỗi nên chưa được tiếp nhận (xem phản hồi tu-choi-{item.id}.txt)" in text
    assert current(desk, "S01", "self_assessment") is None  # the sample's S01 sent nothing else
    due = desk.config.deadlines.due("self_assessment", ANNUAL)
    assert "gửi lại toàn bộ tệp vào thư mục inbox/S01/" in text
    assert f"Hạn gửi là {format_date_long(due)}" in text


def test_a_file_outside_every_units_folder_has_no_one_to_tell(desk: Desk) -> None:
    rows = desk.rows("collective", "H01", ANNUAL)
    desk.write("collective", rows, folder="", scope=ANNUAL, unit_code="H01")
    stray = desk.take()
    assert stray.status == "quarantined" and not stray.sender
    made = review.reject(desk.con, stray.file_hash[:12], "Không rõ đơn vị gửi")
    outbox = desk.root / "outbox"
    assert send_decision_notice(desk.con, made, outbox, desk.config) is None
    assert not list(outbox.rglob("quyet-dinh-*"))
