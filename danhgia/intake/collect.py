"""One collection pass over the inbox: every new file is kept, checked, then loaded whole or
quarantined with a report. A file already seen (same content hash) is left alone, so running
the pass twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from danhgia.approval import is_locked
from danhgia.cycle_config import CycleConfig
from danhgia.intake.crossref import FileContext, Reference, check_references
from danhgia.intake.findings import Finding, error, has_errors, warning
from danhgia.intake.reader import ROW_COLUMN, ParsedFile, read_submission, relabel
from danhgia.intake.schema_check import check_schema, typed_frame
from danhgia.intake.storage import FileStore, content_hash
from danhgia.kinds import ANNUAL, KINDS, LOAD_ORDER, META_SHEET, QUARTERS, TEMPLATE_VERSION
from danhgia.warehouse import insert_frame, raw_table

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ACCEPTED_SUFFIXES = {".xlsx", ".csv", ".json"}  # the template, or its columns as CSV/JSON
MAX_FILE_BYTES = 20 * 1024 * 1024
#: File-level rules after which the rows are not checked: they would only repeat the problem.
FILE_LEVEL_RULES = {
    "sender_matches_folder",
    "cycle_matches",
    "template_version_current",
    "scope_valid",
    "sender_known",
    "kind_owed_by_sender",
}


@dataclass
class Incoming:
    """A new file on its way through intake."""

    path: Path
    sender: str
    file_hash: str
    stored: str
    received_at: dt.datetime
    parsed: ParsedFile = field(default_factory=ParsedFile)

    @property
    def kind_code(self) -> str | None:
        return self.parsed.kind.code if self.parsed.kind else None

    @property
    def scope(self) -> str | None:
        value = self.parsed.meta.get("scope")
        return None if value in (None, "") else str(value).strip()


@dataclass
class Outcome:
    file_hash: str
    sender: str
    file_name: str
    stored: str
    kind: str | None
    scope: str | None
    status: str  # loaded | quarantined
    late: bool
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)


def scan_inbox(inbox: Path) -> list[tuple[str, Path]]:
    """(sender folder, file) pairs, in a stable order; hidden and temporary files skipped.

    A link is never followed: a unit sends files, and a link to ``/etc/passwd`` placed in an
    inbox must not make the board's store read and keep it."""
    found = []
    if not inbox.exists():
        return found
    root = inbox.resolve()
    for path in sorted(inbox.rglob("*")):
        rel = path.relative_to(inbox)
        if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(root):
            continue
        if any(part.startswith((".", "~$")) for part in rel.parts):
            continue
        sender = rel.parts[0] if len(rel.parts) > 1 else ""
        found.append((sender, path))
    return found


def received_at(path: Path) -> dt.datetime:
    """When the file arrived: its modification time, in the province's time zone."""
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=LOCAL_TZ)
    return stamp.replace(tzinfo=None, microsecond=0)


def known_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("select file_hash from submissions").fetchall()}


def file_checks(item: Incoming, config: CycleConfig, board: str) -> list[Finding]:
    """The file as a whole: its format, size, template, and who sent it."""
    out: list[Finding] = []
    if item.path.suffix.lower() not in ACCEPTED_SUFFIXES:
        return [
            error(
                "file_format",
                f"Định dạng tệp '{item.path.suffix}' không được chấp nhận; "
                "hãy gửi tệp Excel (.xlsx) theo biểu mẫu, hoặc tệp CSV/JSON cùng tên cột.",
            )
        ]
    if item.path.stat().st_size > MAX_FILE_BYTES:
        return [error("file_size", f"Tệp lớn hơn {MAX_FILE_BYTES // (1024 * 1024)} MB.")]
    if item.sender == "":
        return [error("sender_known", "Tệp nằm ngoài thư mục của đơn vị; không rõ đơn vị gửi.")]
    return out


def meta_checks(
    item: Incoming, config: CycleConfig, board: str, unit_kinds: dict[str, str], members: list[str]
) -> list[Finding]:
    meta, kind = item.parsed.meta, item.parsed.kind
    out: list[Finding] = []
    where = {"sheet": META_SHEET}
    declared = str(meta.get("unit_code") or "").strip()
    if declared != item.sender:
        out.append(
            error(
                "sender_matches_folder",
                f"Tệp khai báo đơn vị '{declared}' nhưng được gửi từ thư mục của đơn vị "
                f"'{item.sender}'. Mỗi đơn vị chỉ gửi biểu mẫu của mình.",
                value=declared,
                **where,
            )
        )
    cycle = meta.get("cycle")
    if str(cycle).removesuffix(".0") != str(config.cycle):
        out.append(
            error(
                "cycle_matches",
                f"Biểu mẫu của năm {cycle}, không phải năm đánh giá {config.cycle}.",
                value=cycle,
                **where,
            )
        )
    version = str(meta.get("template_version") or "").removesuffix(".0")
    if version != TEMPLATE_VERSION:
        out.append(
            error(
                "template_version_current",
                f"Biểu mẫu phiên bản '{version}' đã cũ; hãy dùng phiên bản "
                f"{TEMPLATE_VERSION} được gửi cho đơn vị.",
                value=version,
                **where,
            )
        )
    if kind is None:
        return out
    scope = item.scope
    allowed = {"annual": [ANNUAL], "quarterly": list(QUARTERS), "member": members}[kind.scopes]
    if kind.scopes != "member" and scope not in allowed:
        out.append(
            error(
                "scope_valid",
                f"Kỳ báo cáo '{scope}' không hợp lệ cho biểu mẫu này "
                f"(cho phép: {', '.join(allowed)}).",
                value=scope,
                **where,
            )
        )
    sender_kind = "TINH" if item.sender == board else unit_kinds.get(item.sender)
    if sender_kind is None:
        out.append(
            error(
                "sender_known",
                f"Thư mục '{item.sender}' không thuộc đơn vị nào trong danh mục đơn vị.",
                value=item.sender,
            )
        )
    elif not owes(kind.code, sender_kind):
        out.append(
            error(
                "kind_owed_by_sender",
                f"Đơn vị '{item.sender}' không gửi loại biểu mẫu '{kind.title}'.",
                value=kind.code,
            )
        )
    return out


def owes(kind_code: str, unit_kind: str) -> bool:
    """Which kind of unit sends which kind of file."""
    kind = KINDS[kind_code]
    if kind.reference or kind_code == "council_scores":
        return unit_kind == "TINH"
    if kind_code == "commune_forms":
        return unit_kind == "XA"
    return unit_kind not in ("TINH", "XA")


def late_check(item: Incoming, config: CycleConfig) -> tuple[dt.date | None, list[Finding]]:
    kind = item.parsed.kind
    if kind is None or item.scope is None or kind.reference:
        return None, []  # the board's reference data is updated all year: it is never late
    try:
        due = config.deadlines.due(kind.code, item.scope)
    except KeyError:
        return None, []
    if item.received_at.date() <= due:
        return due, []
    days = (item.received_at.date() - due).days
    return due, [
        warning(
            "submitted_on_time",
            f"Tệp nộp ngày {item.received_at:%d/%m/%Y}, muộn {days} ngày so với hạn "
            f"{due:%d/%m/%Y}.",
        )
    ]


def _load_order(item: Incoming) -> tuple:
    kind = item.kind_code
    rank = LOAD_ORDER.index(kind) if kind in LOAD_ORDER else len(LOAD_ORDER)
    return (rank, item.scope or "", item.received_at, item.sender, item.path.name, item.file_hash)


def record(
    con: duckdb.DuckDBPyConnection,
    item: Incoming,
    config: CycleConfig,
    findings: list[Finding],
    due: dt.date | None,
) -> Outcome:
    """Write the intake log row, the findings and (when clean) the rows, as one transaction."""
    blocked = has_errors(findings)
    frame = item.parsed.frame
    kind = item.parsed.kind
    late = any(f.rule == "submitted_on_time" for f in findings)
    outcome = Outcome(
        item.file_hash,
        item.sender,
        item.path.name,
        item.stored,
        item.kind_code,
        item.scope,
        "quarantined" if blocked else "loaded",
        late,
        findings,
    )
    log = pd.DataFrame(
        [
            {
                "file_hash": item.file_hash,
                "cycle": config.cycle,
                "unit_code": item.sender,
                "kind": item.kind_code,
                "scope": item.scope,
                "file_name": item.path.name,
                "stored_path": item.stored,
                "received_at": item.received_at,
                "due_date": due,
                "late": late,
                "status": outcome.status,
                "n_rows": 0 if frame is None else len(frame),
                "n_errors": outcome.errors,
                "n_warnings": outcome.warnings,
            }
        ]
    )
    found = pd.DataFrame(
        [
            {"file_hash": item.file_hash, "seq": i, **_finding_row(f)}
            for i, f in enumerate(findings)
        ],
        columns=[
            "file_hash",
            "seq",
            "severity",
            "rule",
            "message",
            "sheet",
            "row_no",
            "column_name",
            "value",
        ],
    )
    con.execute("begin transaction")
    try:
        insert_frame(con, "submissions", log)
        insert_frame(con, "findings", found)
        if not blocked and kind is not None and frame is not None:
            rows = frame.rename(columns={ROW_COLUMN: "row_no"})
            rows.insert(0, "file_hash", item.file_hash)
            insert_frame(con, raw_table(kind), _plain(rows))
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return outcome


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Python objects DuckDB can bind: missing values as None, dates as dates."""
    return frame.astype(object).where(frame.notna(), None)


def _finding_row(f: Finding) -> dict:
    d = f.as_dict()
    return {
        "severity": d["severity"],
        "rule": d["rule"],
        "message": d["message"],
        "sheet": d["sheet"],
        "row_no": d["row"],
        "column_name": d["column"],
        "value": d["value"],
    }


def collect(
    con: duckdb.DuckDBPyConnection, inbox: Path, store: FileStore, config: CycleConfig
) -> list[Outcome]:
    """Take in every new file of the inbox. Reference data first, so later files are checked
    against it. Returns one outcome per new file."""
    board = config.province.board_unit_code
    locked = is_locked(con, config.cycle)  # approved by the board: nothing more is taken in
    seen = known_hashes(con)
    batch: list[Incoming] = []
    for sender, path in scan_inbox(inbox):
        file_hash = content_hash(path)
        if file_hash in seen:
            continue  # the same content was taken in before, under this or another name
        seen.add(file_hash)
        item = Incoming(path, sender, file_hash, store.keep(path, file_hash), received_at(path))
        item.parsed.findings = file_checks(item, config, board)
        if not item.parsed.findings:
            item.parsed = read_submission(path)
        batch.append(item)
    outcomes = []
    ref: Reference | None = None
    changed_by: tuple | None = None  # (kind, scope) of the first load since ref was read
    for item in sorted(batch, key=_load_order):
        # Files of one kind and period are checked against the same reference; it is read
        # again only when a later kind or period may depend on what was just loaded.
        if ref is None or (changed_by is not None and changed_by != (item.kind_code, item.scope)):
            ref, changed_by = Reference.load(con, config), None
        findings, due = _check(item, config, board, ref)
        if locked:
            findings = [cycle_closed(config.cycle), *findings]
        findings = relabel(item.parsed, findings)
        outcome = record(con, item, config, findings, due)
        outcomes.append(outcome)
        if outcome.status == "loaded" and changes_reference(outcome.kind) and changed_by is None:
            changed_by = (item.kind_code, item.scope)
    return outcomes


def cycle_closed(cycle: int) -> Finding:
    return error(
        "cycle_closed",
        f"Kỳ đánh giá năm {cycle} đã được Ban Thường vụ phê duyệt và khóa; tệp được lưu nhưng "
        "không được tiếp nhận. Nếu cần bổ sung, đề nghị Ban Tổ chức trình mở lại kỳ đánh giá.",
    )


def changes_reference(kind_code: str | None) -> bool:
    """Kinds that later files in the same pass are checked against."""
    return kind_code is not None and (
        KINDS[kind_code].reference or kind_code in ("task_register", "quarterly_progress")
    )


def _check(
    item: Incoming, config: CycleConfig, board: str, ref: Reference
) -> tuple[list[Finding], dt.date | None]:
    parsed = item.parsed
    findings = list(parsed.findings)
    if parsed.kind is None or parsed.frame is None:
        return findings, None
    unit_kinds = dict(zip(ref.units["unit_code"], ref.units["unit_kind"], strict=True))
    findings += meta_checks(item, config, board, unit_kinds, list(ref.members["member_code"]))
    due, late = late_check(item, config)
    findings += late
    if has_errors(findings) and any(f.rule in FILE_LEVEL_RULES for f in findings):
        return findings, due  # wrong sender, cycle or template: the rows mean nothing here
    cells = {(f.row, f.column) for f in findings if f.row is not None}
    findings += check_schema(parsed.kind, parsed.frame, cells)
    cells = {(f.row, f.column) for f in findings if f.row is not None}
    ctx = FileContext(parsed.kind, item.sender, item.scope or "")
    typed = typed_frame(parsed.kind, parsed.frame)
    findings += [f for f in check_references(typed, ctx, ref) if (f.row, f.column) not in cells]
    return findings, due
