"""The board's review queue: files loaded with warnings wait for a person to look at them.

A file with only warnings is loaded at once (a late file or an implausible value must not
stall the cycle) and waits here as "chờ xem xét". The board may accept it (reviewed, it keeps
counting) or reject it (that version stops counting: ``current_submissions`` skips it and the
newest earlier version counts again, if there is one). A file with errors was never loaded:
it cannot be accepted, but a rejection may be recorded on it for the record.

Decisions are append-only: nothing here updates or deletes a row of ``review_decisions``. A
second decision on the same file is a new row with the next ``seq``; the last one is in force
and ``show`` lists the whole history. Files are named by the first 12 hex characters of their
SHA-256 (any unique prefix of 6 or more works).
"""

from __future__ import annotations

import datetime as dt
import getpass
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import duckdb

from danhgia.approval import is_locked
from danhgia.kinds import KINDS

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ACCEPT, REJECT = "accept", "reject"
DECISION_VI = {ACCEPT: "chấp nhận", REJECT: "bác bỏ"}
PENDING = "chờ xem xét"
ID_LENGTH = 12
MIN_ID_LENGTH = 6


class ReviewError(Exception):
    """A request the queue refuses; the message (Vietnamese) says why."""


@dataclass(frozen=True)
class Decision:
    file_hash: str
    seq: int
    decision: str
    note: str
    decided_by: str
    decided_at: dt.datetime


@dataclass(frozen=True)
class Item:
    """One received file as the board sees it in the queue."""

    file_hash: str
    cycle: int | None
    unit_code: str
    kind: str | None
    scope: str | None
    file_name: str
    received_at: dt.datetime
    status: str  # loaded | quarantined
    late: bool
    n_errors: int
    n_warnings: int
    decision: str | None  # the decision in force, if any
    is_current: bool  # the version the scores use for its unit, kind and period

    @property
    def id(self) -> str:
        return self.file_hash[:ID_LENGTH]

    @property
    def state(self) -> str:
        """The file's state in the board's words."""
        if self.status == "quarantined":
            label = "có lỗi, không được nạp"
        elif self.decision == REJECT:
            label = "đã bác bỏ, không được dùng"
        elif self.decision == ACCEPT:
            label = "đã chấp nhận"
        elif self.n_warnings:
            label = PENDING
        else:
            label = "đã nạp"
        if self.status == "loaded" and self.decision != REJECT and not self.is_current:
            label += " (đã có bản mới hơn)"
        return label


@dataclass(frozen=True)
class FindingRow:
    severity: str
    rule: str
    message: str
    sheet: str | None
    row_no: int | None
    column_name: str | None
    value: str | None


@dataclass
class Detail:
    item: Item
    findings: list[FindingRow] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


_ITEMS = """
with latest as (
    select file_hash, decision
    from review_decisions
    qualify row_number() over (partition by file_hash order by seq desc) = 1
)
select
    s.file_hash, s.cycle, s.unit_code, s.kind, s.scope, s.file_name, s.received_at, s.status,
    s.late, s.n_errors, s.n_warnings, l.decision, c.file_hash is not null as is_current
from submissions s
left join latest l on l.file_hash = s.file_hash
left join current_submissions c on c.file_hash = s.file_hash
"""


def _items(con: duckdb.DuckDBPyConnection, where: str, params: dict) -> list[Item]:
    rows = con.execute(
        f"{_ITEMS} where {where} order by s.received_at, s.unit_code, s.file_hash", params
    ).fetchall()
    return [Item(*r) for r in rows]


def resolve(con: duckdb.DuckDBPyConnection, ident: str) -> str:
    """The full hash of the one file whose hash starts with ``ident``."""
    text = ident.strip().lower()
    if not re.fullmatch(rf"[0-9a-f]{{{MIN_ID_LENGTH},64}}", text):
        raise ReviewError(
            f"Mã tệp '{ident}' không hợp lệ: dùng {ID_LENGTH} ký tự đầu của mã tệp "
            "(chữ số và chữ a–f), như trong 'danhgia review list'."
        )
    found = [
        r[0]
        for r in con.execute(
            "select file_hash from submissions where starts_with(file_hash, $p)", {"p": text}
        ).fetchall()
    ]
    if not found:
        raise ReviewError(f"Không có tệp nào mang mã '{ident}'.")
    if len(found) > 1:
        raise ReviewError(f"Mã '{ident}' khớp với {len(found)} tệp; hãy ghi đủ {ID_LENGTH} ký tự.")
    return found[0]


def queue(con: duckdb.DuckDBPyConnection, cycle: int, *, everything: bool = False) -> list[Item]:
    """The files waiting for the board (loaded with warnings, no decision yet); with
    ``everything``, every file of the cycle with its state."""
    items = _items(con, "s.cycle = $cycle", {"cycle": cycle})
    return items if everything else [i for i in items if i.state == PENDING]


def detail(con: duckdb.DuckDBPyConnection, ident: str) -> Detail:
    """A file, every finding on it and every decision taken on it, oldest first."""
    file_hash = resolve(con, ident)
    (item,) = _items(con, "s.file_hash = $h", {"h": file_hash})
    findings = [
        FindingRow(*r)
        for r in con.execute(
            "select severity, rule, message, sheet, row_no, column_name, value "
            "from findings where file_hash = $h order by seq",
            {"h": file_hash},
        ).fetchall()
    ]
    return Detail(item, findings, decisions(con, file_hash))


def decisions(con: duckdb.DuckDBPyConnection, file_hash: str) -> list[Decision]:
    rows = con.execute(
        "select file_hash, seq, decision, note, decided_by, decided_at "
        "from review_decisions where file_hash = $h order by seq",
        {"h": file_hash},
    ).fetchall()
    return [Decision(*r) for r in rows]


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers: still record something honest
        return "không rõ"


def now_local() -> dt.datetime:
    return dt.datetime.now(LOCAL_TZ).replace(tzinfo=None, microsecond=0)


def decide(
    con: duckdb.DuckDBPyConnection,
    ident: str,
    decision: str,
    note: str = "",
    decided_by: str | None = None,
    decided_at: dt.datetime | None = None,
) -> Decision:
    """Record one decision (a new row, never a change to an old one).

    Raises ReviewError when the file is unknown or ambiguous, when a file with errors is
    accepted (it was never loaded), when a rejection gives no reason, or when the board has
    approved and locked the cycle (a decision would change what was approved)."""
    if decision not in (ACCEPT, REJECT):
        raise ValueError(f"unknown decision {decision!r}")
    file_hash = resolve(con, ident)
    (item,) = _items(con, "s.file_hash = $h", {"h": file_hash})
    note = (note or "").strip()
    if decision == ACCEPT and item.status != "loaded":
        raise ReviewError(
            f"Không thể chấp nhận tệp {item.id} ({item.file_name}): tệp có {item.n_errors} lỗi "
            "nên không được nạp vào kho dữ liệu. Đơn vị phải sửa lỗi và gửi lại tệp mới; "
            "Ban có thể ghi nhận việc bác bỏ bằng 'danhgia review reject'."
        )
    if decision == REJECT and not note:
        raise ReviewError('Hãy ghi lý do bác bỏ (--note "...").')
    if item.cycle is not None and is_locked(con, item.cycle):
        raise ReviewError(
            f"Kỳ đánh giá năm {item.cycle} đã được Ban Thường vụ phê duyệt và khóa: quyết định "
            "về tệp sẽ làm thay đổi kết quả đã phê duyệt. Hãy mở lại kỳ đánh giá "
            "('danhgia reopen') trước khi quyết định."
        )
    by = (decided_by or "").strip() or current_user()
    at = decided_at or now_local()
    con.execute("begin transaction")
    try:
        (seq,) = con.execute(
            "select coalesce(max(seq), 0) + 1 from review_decisions where file_hash = $h",
            {"h": file_hash},
        ).fetchone()
        con.execute(
            "insert into review_decisions (file_hash, seq, decision, note, decided_by, "
            "decided_at) values ($h, $seq, $d, $note, $by, $at)",
            {"h": file_hash, "seq": seq, "d": decision, "note": note, "by": by, "at": at},
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return Decision(file_hash, seq, decision, note, by, at)


def accept(con: duckdb.DuckDBPyConnection, ident: str, note: str = "", **kw) -> Decision:
    return decide(con, ident, ACCEPT, note, **kw)


def reject(con: duckdb.DuckDBPyConnection, ident: str, note: str, **kw) -> Decision:
    return decide(con, ident, REJECT, note, **kw)


def current_version(con: duckdb.DuckDBPyConnection, item: Item) -> Item | None:
    """The version that counts now for the file's unit, kind and period (after a decision)."""
    found = _items(
        con,
        "s.cycle is not distinct from $cycle and s.unit_code = $unit "
        "and s.kind is not distinct from $kind and s.scope is not distinct from $scope "
        "and c.file_hash is not null",
        {"cycle": item.cycle, "unit": item.unit_code, "kind": item.kind, "scope": item.scope},
    )
    return found[0] if found else None


# --- what the CLI prints -------------------------------------------------------------------
def _kind_title(kind: str | None) -> str:
    return KINDS[kind].title if kind in KINDS else (kind or "không xác định")


def describe_slot(item: Item) -> str:
    """The unit, kind and period a file is a version of, in words."""
    return f"đơn vị {item.unit_code}, {_kind_title(item.kind).lower()}, kỳ {item.scope or '-'}"


def _stamp(at: dt.datetime) -> str:
    return f"{at:%d/%m/%Y %H:%M}"


def format_queue(items: list[Item], *, everything: bool = False) -> str:
    if not items:
        return (
            "Không có tệp nào trong năm này.\n" if everything else "Không có tệp nào chờ xem xét.\n"
        )
    lines = [
        f"{'Mã tệp':<12}  {'Đơn vị':<7} {'Kỳ':<5} {'Lỗi':>3} {'CB':>3}  {'Nhận lúc':<16}  "
        "Trạng thái — Loại biểu mẫu — Tệp"
    ]
    for i in items:
        lines.append(
            f"{i.id:<12}  {i.unit_code:<7} {(i.scope or '-'):<5} {i.n_errors:>3} "
            f"{i.n_warnings:>3}  {_stamp(i.received_at):<16}  {i.state} — "
            f"{_kind_title(i.kind)} — {i.file_name}"
        )
    lines.append(f"Tổng: {len(items)} tệp. (CB: số cảnh báo)")
    return "\n".join(lines) + "\n"


def format_detail(d: Detail) -> str:
    i = d.item
    lines = [
        f"Tệp {i.id} — {i.file_name}",
        f"  Mã đầy đủ: {i.file_hash}",
        f"  Đơn vị gửi: {i.unit_code}; loại: {_kind_title(i.kind)}; kỳ: {i.scope or '-'}",
        f"  Nhận lúc: {_stamp(i.received_at)}" + (" (nộp muộn)" if i.late else ""),
        f"  Trạng thái: {i.state}",
        f"  Kết quả kiểm tra: {i.n_errors} lỗi, {i.n_warnings} cảnh báo",
    ]
    for n, f in enumerate(d.findings, start=1):
        where = ", ".join(
            p
            for p in (
                f"trang '{f.sheet}'" if f.sheet else "",
                f"dòng {f.row_no}" if f.row_no is not None else "",
                f"cột '{f.column_name}'" if f.column_name else "",
                f"giá trị '{f.value}'" if f.value not in (None, "") else "",
            )
            if p
        )
        severity = "Lỗi" if f.severity == "error" else "Cảnh báo"
        lines.append(f"    {n}. [{severity}] {where or 'toàn tệp'}: {f.message} ({f.rule})")
    lines.append("  Quyết định của Ban:" if d.decisions else "  Chưa có quyết định của Ban.")
    for x in d.decisions:
        note = f": {x.note}" if x.note else ""
        lines.append(
            f"    {x.seq}. {_stamp(x.decided_at)} — {DECISION_VI[x.decision]} — "
            f"{x.decided_by}{note}"
        )
    return "\n".join(lines) + "\n"
