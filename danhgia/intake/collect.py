"""One collection pass over the inbox: every new file is kept, checked, then loaded whole or
quarantined with a report. A file already seen (same content hash) is left alone, so running
the pass twice changes nothing.

The files of one kind and period form a group: they are checked against the same reference
(the warehouse as it stood before the group), so they are checked together — one schema
validation and one pass of each cross-reference rule for the whole group, each file's
findings then exactly those it would get alone — and loaded in one transaction. The cost of
a pass is then a little per file and per row, not per file times the province's size; a
file is never half loaded, and a pass killed midway leaves whole groups taken in and the
rest for the next pass.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from danhgia.approval import is_locked
from danhgia.collector import no_cyclic_gc
from danhgia.cycle_config import CycleConfig
from danhgia.intake.crossref import GroupContext, Reference, check_references
from danhgia.intake.findings import Finding, error, has_errors, warning
from danhgia.intake.reader import ROW_COLUMN, ParsedFile, read_head, read_submission, relabel
from danhgia.intake.schema_check import check_schema_files, group_frame, typed_frame
from danhgia.intake.storage import FileStore, LocalStore, bytes_hash, content_hash
from danhgia.kinds import ANNUAL, KINDS, LOAD_ORDER, META_SHEET, QUARTERS, TEMPLATE_VERSION
from danhgia.warehouse import insert_frame, raw_table
from schemas.base import FILE_COLUMN

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
    size: int | None = None  # bytes, when known already

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
    """(sender folder, file) pairs, in a stable order (by path); hidden and temporary files
    skipped.

    A link is never followed: a unit sends files, and a link to ``/etc/passwd`` placed in an
    inbox must not make the board's store read and keep it. (One ``scandir`` per folder: the
    kind of each entry comes with it, so 100,000 folders cost no call per file.)"""
    found: list[tuple[tuple[str, ...], Path]] = []
    if inbox.is_dir():
        _walk(inbox, (), found)
    found.sort(key=lambda x: x[0])
    return [(parts[0] if len(parts) > 1 else "", path) for parts, path in found]


def _walk(folder: Path, parts: tuple[str, ...], found: list) -> None:
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except OSError:  # a folder that cannot be read is left alone, as before
        return
    for entry in listed:
        if entry.name.startswith((".", "~$")) or entry.is_symlink():
            continue
        if entry.is_dir(follow_symlinks=False):
            _walk(folder / entry.name, (*parts, entry.name), found)
        elif entry.is_file(follow_symlinks=False):
            found.append(((*parts, entry.name), folder / entry.name))


def received_at(path: Path) -> dt.datetime:
    """When the file arrived: its modification time, in the province's time zone."""
    return _received(path.stat().st_mtime)


def _received(mtime: float) -> dt.datetime:
    stamp = dt.datetime.fromtimestamp(mtime, tz=LOCAL_TZ)
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
    size = item.path.stat().st_size if item.size is None else item.size
    if size > MAX_FILE_BYTES:
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


@dataclass
class Checked:
    """One group's findings and deadlines, file by file, and the rows of the files whose rows
    were checked (``FILE_COLUMN`` numbers them in ``rows_of``), typed for loading."""

    findings: list[list[Finding]]
    dues: list[dt.date | None]
    typed: pd.DataFrame | None = None
    rows_of: list[int] = field(default_factory=list)  # position in the group of each file


def record(
    con: duckdb.DuckDBPyConnection, items: list[Incoming], config: CycleConfig, checked: Checked
) -> list[Outcome]:
    """Write the intake log rows, the findings and the rows of the clean files of one group,
    as one transaction."""
    outcomes: list[Outcome] = []
    log: list[dict] = []
    found: list[dict] = []
    for item, findings, due in zip(items, checked.findings, checked.dues, strict=True):
        outcome = Outcome(
            item.file_hash,
            item.sender,
            item.path.name,
            item.stored,
            item.kind_code,
            item.scope,
            "quarantined" if has_errors(findings) else "loaded",
            any(f.rule == "submitted_on_time" for f in findings),
            findings,
        )
        outcomes.append(outcome)
        log.append(
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
                "late": outcome.late,
                "status": outcome.status,
                "n_rows": item.parsed.n_rows,
                "n_errors": outcome.errors,
                "n_warnings": outcome.warnings,
            }
        )
        found += [
            {"file_hash": item.file_hash, "seq": i, **_finding_row(f)}
            for i, f in enumerate(findings)
        ]
    loaded = {
        file: items[i].file_hash
        for file, i in enumerate(checked.rows_of)
        if outcomes[i].status == "loaded"
    }
    con.execute("begin transaction")
    try:
        insert_frame(con, "submissions", pd.DataFrame(log))
        insert_frame(con, "findings", pd.DataFrame(found, columns=FINDING_COLUMNS))
        if loaded and checked.typed is not None:
            kind = items[checked.rows_of[0]].parsed.kind
            insert_frame(con, raw_table(kind), _loadable(checked.typed, loaded))
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return outcomes


FINDING_COLUMNS = [
    "file_hash",
    "seq",
    "severity",
    "rule",
    "message",
    "sheet",
    "row_no",
    "column_name",
    "value",
]


def _loadable(typed: pd.DataFrame, loaded: dict[int, str]) -> pd.DataFrame:
    """The typed rows of the loaded files, tagged with their file's hash; missing values as
    nulls DuckDB reads as NULL (a float column's NaN would be stored as NaN)."""
    rows = typed[typed[FILE_COLUMN].isin(list(loaded))]
    rows = rows.rename(columns={ROW_COLUMN: "row_no"})
    rows.insert(0, "file_hash", rows.pop(FILE_COLUMN).map(loaded))
    floats = [c for c in rows.columns if rows[c].dtype == "float64"]
    return rows.astype(dict.fromkeys(floats, "Float64"))


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
    found = scan_inbox(inbox)
    with no_cyclic_gc(), _helper(len(found)) as helper:
        batch = receive(found, store, seen, config, board, helper)
        outcomes: list[Outcome] = []
        ref = Reference(con, config)
        ordered = sorted(batch, key=_load_order)
        groups = [list(g) for _, g in itertools.groupby(ordered, key=_group_key)]
        rows = ReadAhead(groups, helper)
        for g, group in enumerate(groups):
            rows.read(g)
            checked = check_group(group, config, board, ref, locked)
            done = record(con, group, config, checked)
            outcomes += done
            for outcome in done:
                if outcome.status == "loaded" and changes_reference(outcome.kind):
                    ref.forget(outcome.kind)  # what later groups are checked against
            for item in group:
                item.parsed.drop_rows()  # a pass holds a few groups' rows at a time
    return outcomes


#: A process of its own pays from this many files in the inbox (it keeps them in the store
#: while this one reads their heads), or whose rows are still to be read (a large province's
#: CSV files: it reads them ahead); fewer are kept and read here.
READ_AHEAD_FILES = 2000
READ_CHUNK_FILES = 500  # files per task of the reading process
#: How many files the reading process may be ahead of the group being checked: enough that
#: it never waits on a group boundary, few enough that the rows read ahead stay small.
READ_WINDOW_FILES = 16_000
READ_IN_FLIGHT = 2  # chunks the other process is asked for at a time


class ReadAhead:
    """Reads the rows still unread of each group's files (CSV bodies: see ``read_head``).

    With many of them, another process reads them in chunks, in the groups' order, up to
    ``READ_WINDOW_FILES`` files ahead (across group boundaries) while this one checks and
    loads the current group, so that both cores work: reading is a third of a large
    province's pass. It is asked for a few chunks at a time; when this process needs a group
    whose chunks it has not been asked for yet, this one reads them, from the group's end.
    A group is checked only once all its files are read; what is read is the same wherever
    it is read. With few such files (a workbook is read whole at once), they are all read
    here when their turn comes."""

    def __init__(self, groups: list[list[Incoming]], helper: _Reader | None) -> None:
        self.unread = [[item for item in group if not item.parsed.complete] for group in groups]
        many = sum(map(len, self.unread)) >= READ_AHEAD_FILES
        self.reader = helper if many else None
        self.chunks: deque[tuple[int, list[Incoming]]] = deque(
            (g, items[k : k + READ_CHUNK_FILES])
            for g, items in enumerate(self.unread)
            for k in range(0, len(items), READ_CHUNK_FILES)
        )
        self.tasks: dict[int, list[tuple[list[Incoming], Future[list[ParsedFile]]]]] = {}
        self.ahead = 0  # files asked for and not yet taken
        self.in_flight = 0  # chunks asked for and not yet answered
        self.lock = threading.Lock()  # the other process's answers ask for more on a thread
        self._ask()

    def _ask(self, answered: Future | None = None) -> None:
        """The next chunks, while fewer than ``READ_IN_FLIGHT`` are unanswered and the window
        has room (called again as each is answered)."""
        if self.reader is None:
            return
        asked = []
        with self.lock:
            if answered is not None:
                self.in_flight -= 1
            while (
                self.chunks and self.in_flight < READ_IN_FLIGHT and self.ahead < READ_WINDOW_FILES
            ):
                group, chunk = self.chunks.popleft()
                task = self.reader.read([i.path for i in chunk])
                self.tasks.setdefault(group, []).append((chunk, task))
                self.in_flight += 1
                self.ahead += len(chunk)
                asked.append(task)
        for task in asked:
            task.add_done_callback(self._ask)

    def _unasked(self, g: int) -> list[Incoming] | None:
        """The last chunk of group ``g`` not asked for yet, taken off the list."""
        with self.lock:
            if not self.chunks or self.chunks[0][0] != g:
                return None
            last = max(i for i, (group, _) in enumerate(self.chunks) if group == g)
            chunk = self.chunks[last][1]
            del self.chunks[last]
            return chunk

    def read(self, g: int) -> None:
        """Group ``g``'s files, all read (and the next files under way)."""
        if self.reader is None:
            for item in self.unread[g]:
                item.parsed = read_submission(item.path)
            return
        while (chunk := self._unasked(g)) is not None:
            for item in chunk:
                item.parsed = read_submission(item.path)
        with self.lock:
            tasks = self.tasks.pop(g, [])
        for chunk, task in tasks:
            for item, parsed in zip(chunk, task.result(), strict=True):
                if parsed.kind is not None:  # the kind itself, not a copy of it
                    parsed.kind = KINDS[parsed.kind.code]
                item.parsed = parsed
            with self.lock:
                self.ahead -= len(chunk)
        self._ask()


@contextmanager
def _helper(files: int) -> Iterator[_Reader | None]:
    """The pass's second process, for an inbox of ``READ_AHEAD_FILES`` files or more."""
    helper = _Reader() if files >= READ_AHEAD_FILES else None
    try:
        yield helper
    finally:
        if helper is not None:
            helper.close()


class _Reader:
    """Another process keeping files in the store and reading files whole: ``python -m
    danhgia.intake.collect``, asked through its stdin and answering through its stdout, in
    order (pickled messages with their length; see ``serve_reads``). A process of its own,
    not a fork of this one (which may run threads) nor a multiprocessing child (which would
    import the caller's script)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "danhgia.intake.collect"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.waiting: deque[Future[list[Any]]] = deque()
        self.ended: BaseException | None = None  # why the process answers no more
        self.lock = threading.Lock()
        self.questions: queue.SimpleQueue[tuple[str, Any] | None] = queue.SimpleQueue()
        self.asking = threading.Thread(target=self._ask, daemon=True)
        self.answers = threading.Thread(target=self._answers, daemon=True)
        self.asking.start()
        self.answers.start()

    def read(self, paths: list[Path]) -> Future[list[ParsedFile]]:
        """Ask for files to be read whole."""
        return self._ask_for("read", [str(path) for path in paths])

    def keep(self, root: Path, files: list[tuple[Path, str, bytes | None]]) -> Future[list[str]]:
        """Ask for files to be kept in the ``LocalStore`` at ``root`` (path, hash, content as
        hashed: what is kept is what was hashed); the answer is where each is kept."""
        return self._ask_for("keep", (str(root), [(str(p), h, d) for p, h, d in files]))

    def _ask_for(self, what: str, payload: Any) -> Future[Any]:
        """Never waits (the pipe to the process holds only a few questions: a thread writes
        them as the process takes them)."""
        task: Future[Any] = Future()
        with self.lock:
            if self.ended is None:
                self.waiting.append(task)
                self.questions.put((what, payload))
                return task
        task.set_exception(self.ended)
        return task

    def _ask(self) -> None:
        assert self.proc.stdin is not None
        try:
            while (question := self.questions.get()) is not None:
                _send(self.proc.stdin, question)
        except OSError:  # the process died: _answers tells the waiting tasks
            pass
        finally:
            self.proc.stdin.close()

    def _answers(self) -> None:
        assert self.proc.stdout is not None
        failure: BaseException = RuntimeError("the reading process ended early")
        try:
            while (answer := _receive(self.proc.stdout)) is not None:
                with self.lock:
                    task = self.waiting.popleft()
                ok, payload = answer
                if ok:
                    task.set_result(payload)
                else:
                    task.set_exception(payload)
        except Exception as exc:  # a broken answer: the process died while writing it
            failure = exc
        with self.lock:  # nothing more will be answered, nor asked
            self.ended = failure
            unanswered = list(self.waiting)
            self.waiting.clear()
        for task in unanswered:  # outside the lock: a task's callbacks may ask again
            task.set_exception(failure)

    def close(self) -> None:
        if self.waiting:  # stopped early (an error): what is still asked is not wanted
            self.proc.kill()
        self.questions.put(None)
        self.asking.join()
        self.proc.wait()
        self.answers.join()


def _send(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(8, "little") + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    size = stream.read(8)
    if len(size) < 8:
        return None
    return pickle.loads(stream.read(int.from_bytes(size, "little")))


def serve_reads() -> None:
    """The second process: each question answered in turn (files read whole, or kept in a
    store), until the asking process closes the pipe. Nothing else may reach its stdout:
    Python's own output goes to stderr."""
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    gc.disable()  # see danhgia.collector.no_cyclic_gc
    stores: dict[str, LocalStore] = {}
    while (question := _receive(sys.stdin.buffer)) is not None:
        what, payload = question
        try:
            if what == "read":
                answer: tuple[bool, object] = (True, [read_submission(Path(p)) for p in payload])
            else:
                root, files = payload
                store = stores.setdefault(root, LocalStore(Path(root)))
                answer = (True, [store.keep(Path(p), h, d) for p, h, d in files])
        except Exception as exc:  # the asking process raises it
            answer = (False, exc)
        _send(answers, answer)


def receive(
    found: list[tuple[str, Path]],
    store: FileStore,
    seen: set[str],
    config: CycleConfig,
    board: str,
    helper: _Reader | None = None,
) -> list[Incoming]:
    """Every new file of the inbox (``scan_inbox``), kept in the store and read as far as its
    head.

    Reading and hashing a file run on threads, a few chunks of files ahead, while this thread
    reads the heads in the inbox's order; keeping it (most of the cost of a small file: the
    file system's) runs on those threads too, or in the ``helper`` process when there is one
    and the store is a local folder. All are done when this returns, before anything is
    recorded."""
    known = frozenset(seen)  # taken in by an earlier pass: neither kept again nor read on
    away = helper is not None and isinstance(store, LocalStore)
    batch: list[Incoming] = []
    to_keep: list[tuple[Incoming, bytes | None]] = []
    keeping: deque[tuple[list[Incoming], Future[list[str]]]] = deque()

    def hand_over() -> None:
        assert helper is not None and isinstance(store, LocalStore)
        files = [(item.path, item.file_hash, data) for item, data in to_keep]
        keeping.append(([item for item, _ in to_keep], helper.keep(store.root, files)))
        to_keep.clear()
        while len(keeping) > KEEP_AHEAD:  # bounds the bytes waiting to be written
            kept_by(*keeping.popleft())

    chunks = iter([found[k : k + RECEIVE_CHUNK] for k in range(0, len(found), RECEIVE_CHUNK)])
    ahead: deque[Future[list[_Taken]]] = deque()
    with ThreadPoolExecutor(RECEIVE_THREADS, thread_name_prefix="nhan-tep") as pool:
        while True:
            while len(ahead) < RECEIVE_AHEAD and (chunk := next(chunks, None)) is not None:
                ahead.append(pool.submit(_take_all, None if away else store, known, chunk))
            if not ahead:
                break
            for taken in ahead.popleft().result():
                if taken.file_hash in seen:
                    continue  # the same content was taken in before, under this or another name
                seen.add(taken.file_hash)
                path = taken.path
                item = Incoming(path, taken.sender, taken.file_hash, taken.stored, taken.received)
                item.size = taken.size
                item.parsed.findings = file_checks(item, config, board)
                if not item.parsed.findings:
                    item.parsed = read_head(path, taken.data)
                batch.append(item)
                if away:
                    to_keep.append((item, taken.data))
                    if len(to_keep) == KEEP_CHUNK:
                        hand_over()
    if to_keep:
        hand_over()
    for items, task in keeping:
        kept_by(items, task)
    return batch


def kept_by(items: list[Incoming], task: Future[list[str]]) -> None:
    for item, stored in zip(items, task.result(), strict=True):
        item.stored = stored


#: Threads reading, hashing and keeping files; files per task (a task per file would cost
#: more in handing it over than the file does), and how many tasks they may be ahead
#: (files of up to MAX_FILE_BYTES each are held meanwhile).
RECEIVE_THREADS = 2
RECEIVE_CHUNK = 16
RECEIVE_AHEAD = 3
#: Files per question to the helper process that keeps them, and how many questions may
#: wait for it (their content is held meanwhile: about 16 MB for a province's CSV files).
KEEP_CHUNK = 256
KEEP_AHEAD = 16


def _take_all(
    store: FileStore | None, known: frozenset[str], files: list[tuple[str, Path]]
) -> list[_Taken]:
    return [_take(store, known, sender, path) for sender, path in files]


@dataclass
class _Taken:
    sender: str
    path: Path
    file_hash: str
    stored: str
    received: dt.datetime
    size: int
    data: bytes | None  # the content, unless too large to be taken in


def _take(store: FileStore | None, known: frozenset[str], sender: str, path: Path) -> _Taken:
    """One file read once for its hash, the store and its head (one too large to be taken in
    is hashed and kept by streaming, then refused), and kept unless taken in before (or
    unless ``store`` is None: it is kept by another process)."""
    with path.open("rb") as fh:
        stat = os.fstat(fh.fileno())
        data = fh.read() if stat.st_size <= MAX_FILE_BYTES else None
    file_hash = content_hash(path) if data is None else bytes_hash(data)
    stored = "" if file_hash in known or store is None else store.keep(path, file_hash, data)
    return _Taken(sender, path, file_hash, stored, _received(stat.st_mtime), stat.st_size, data)


def _group_key(item: Incoming) -> tuple[str | None, str | None]:
    return item.kind_code, item.scope


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


def check_group(
    items: list[Incoming], config: CycleConfig, board: str, ref: Reference, locked: bool
) -> Checked:
    """Every finding of every file of one group (one kind, one period), each file's in the
    order it would get alone: what the reader found, the file as a whole, then the rows —
    schema, then cross-references — of the files whose rows mean something here."""
    checked = Checked([], [])
    for item in items:
        parsed = item.parsed
        findings = list(parsed.findings)
        due = None
        if parsed.kind is not None and parsed.columns is not None:
            findings += meta_checks(item, config, board, ref.unit_kinds, ref.member_codes)
            due, late = late_check(item, config)
            findings += late
            if not (has_errors(findings) and any(f.rule in FILE_LEVEL_RULES for f in findings)):
                checked.rows_of.append(len(checked.findings))
            # else: wrong sender, cycle or template: the rows mean nothing here
        checked.findings.append(findings)
        checked.dues.append(due)
    if checked.rows_of:
        _check_rows(items, checked, ref)
    closed = [cycle_closed(config.cycle)] if locked else []
    checked.findings = [
        relabel(item.parsed, closed + findings)
        for item, findings in zip(items, checked.findings, strict=True)
    ]
    return checked


def _check_rows(items: list[Incoming], checked: Checked, ref: Reference) -> None:
    first = items[checked.rows_of[0]]
    kind = first.parsed.kind
    assert kind is not None
    frame = group_frame(kind, [items[i].parsed.columns for i in checked.rows_of])
    checked.typed = typed_frame(kind, frame)
    findings = [checked.findings[i] for i in checked.rows_of]
    schema = check_schema_files(kind, frame, [_cells(f) for f in findings], checked.typed)
    for mine, more in zip(findings, schema, strict=True):
        mine += more
    ctx = GroupContext(kind, first.scope or "", tuple(items[i].sender for i in checked.rows_of))
    crossref = check_references(checked.typed, ctx, ref)
    for mine, more in zip(findings, crossref, strict=True):
        cells = _cells(mine)
        mine += [f for f in more if (f.row, f.column) not in cells]


def _cells(findings: list[Finding]) -> set[tuple[int, str | None]]:
    return {(f.row, f.column) for f in findings if f.row is not None}


if __name__ == "__main__":
    serve_reads()
