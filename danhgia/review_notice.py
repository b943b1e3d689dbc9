"""What a unit is told when the board decides on one of its files.

The receipt of a file loaded with warnings tells the unit that the board will look at them;
the refusal of a file with errors tells it what to fix. A decision closes that loop: the
unit learns, in its own outbox, whether the file counts, which version counts now, and what
it has to do (nothing, or send the file again). The notice names the board, never the
member who typed the command.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from danhgia.cycle_config import CycleConfig
from danhgia.intake.feedback import (
    FEEDBACK_FOLDER,
    period_words,
    submission_facts,
    when_words,
    write_text,
)
from danhgia.kinds import KINDS
from danhgia.review import ACCEPT, Decision, Item, current_version, detail
from danhgia.vnformat import format_date_long

NOTICE_PREFIX = "quyet-dinh"


def notice_path(outbox_dir: Path, item: Item, made: Decision) -> Path:
    """One file per decision: a second decision on the same file is a second notice."""
    name = f"{NOTICE_PREFIX}-{item.id}-{made.seq}.txt"
    return outbox_dir / item.unit_code / FEEDBACK_FOLDER / name


def _counting_line(now: Item) -> str:
    """Which version counts for the kind and period after the decision."""
    return (
        "Bản được dùng để đánh giá cho loại biểu mẫu và kỳ báo cáo này là tệp "
        f"'{now.file_name}' (mã tệp {now.id}, nhận lúc {when_words(now.received_at)})."
    )


def _resend_lines(item: Item, due: dt.date | None) -> list[str]:
    deadline = (
        f" Hạn gửi là {format_date_long(due)}; tệp gửi sau hạn vẫn được tiếp nhận nhưng ghi là "
        "nộp muộn."
        if due
        else ""
    )
    return [
        "Hiện không có bản nào của đơn vị được dùng cho loại biểu mẫu và kỳ báo cáo này. Đơn vị "
        f"sửa theo lý do trên rồi gửi lại toàn bộ tệp vào thư mục inbox/{item.unit_code}/."
        + deadline
    ]


def notice_text(
    item: Item,
    made: Decision,
    now: Item | None,
    *,
    unit_name: str = "",
    due: dt.date | None = None,
) -> str:
    """The notice of one decision. ``now`` is the version that counts after it (None when
    none does); ``due`` the deadline of the file's kind and period, if there is one."""
    kind = KINDS.get(item.kind or "")
    accepted = made.decision == ACCEPT
    lines = [
        "THÔNG BÁO QUYẾT ĐỊNH CỦA BAN TỔ CHỨC VỀ TỆP ĐÃ GỬI",
        "",
        f"Đơn vị gửi: {item.unit_code}" + (f" — {unit_name}" if unit_name else ""),
        f"Tệp: {item.file_name} (mã tệp {item.id})",
        f"Loại biểu mẫu: {kind.title if kind else 'không xác định'}",
        f"Kỳ báo cáo: {period_words(item.kind, item.scope, item.cycle)}",
        f"Thời điểm nhận: {when_words(item.received_at)}",
        f"Quyết định: {'CHẤP NHẬN' if accepted else 'BÁC BỎ'} (lúc {when_words(made.decided_at)})",
        f"{'Ghi chú' if accepted else 'Lý do'} của Ban: {made.note or 'không có'}",
        "",
    ]
    if accepted:
        counts = now is not None and now.file_hash == item.file_hash
        lines.append("Ban Tổ chức đã xem xét các cảnh báo của tệp và chấp nhận tệp.")
        if counts:
            lines[-1] += " Số liệu của tệp được dùng để đánh giá; đơn vị không phải làm gì thêm."
        elif now is not None:
            lines.append(_counting_line(now))
        return "\n".join(lines) + "\n"
    if item.status == "loaded":
        lines.append("Số liệu của tệp này thôi được dùng để đánh giá; tệp vẫn được lưu.")
    else:
        lines.append(
            "Tệp có lỗi nên chưa được tiếp nhận (xem phản hồi "
            f"tu-choi-{item.id}.txt); Ban ghi nhận việc bác bỏ tệp."
        )
    if now is None:
        lines += _resend_lines(item, due)
    else:
        lines.append(
            f"{_counting_line(now)} Nếu cần thay bản đó, đơn vị gửi tệp mới vào thư mục "
            f"inbox/{item.unit_code}/."
        )
    return "\n".join(lines) + "\n"


def send_decision_notice(
    con: duckdb.DuckDBPyConnection,
    made: Decision,
    outbox_dir: Path,
    config: CycleConfig | None = None,
) -> Path | None:
    """Write the notice of ``made`` into the unit's outbox; returns its path, or None for a
    file found outside every unit's folder (no unit to tell). ``config`` is the file's
    cycle, for the deadline (None: the notice gives none)."""
    item = detail(con, made.file_hash).item
    if not item.unit_code:
        return None
    facts = submission_facts(con, [item.file_hash]).get(item.file_hash)
    due = (facts.due_date if facts else None) or (
        config.deadlines.due_if_any(item.kind or "", item.scope or "") if config else None
    )
    path = notice_path(outbox_dir, item, made)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = notice_text(
        item,
        made,
        current_version(con, item),
        unit_name=facts.unit_name if facts else "",
        due=due,
    )
    write_text(path, text)
    return path
