"""Every submission kind loads, in every accepted format; every rule refuses (or flags) a file
that breaks it, with a Vietnamese message naming file, sheet, row, column, value and rule;
legacy encodings are recognised and named."""

from __future__ import annotations

import codecs
import datetime as dt
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from danhgia.intake.encodings import decode_text_file, detect_legacy, is_syllable
from danhgia.intake.feedback import Facts, receipt_text, refusal_text
from danhgia.kinds import ANNUAL, DATA_SHEET, KINDS, META_SHEET
from danhgia.workbook import FIRST_DATA_ROW, HEADER_ROW, submission_csv
from tests.intake_support import Desk, desk_fixture, province_fixture  # noqa: F401

VIETNAMESE = set("ăâđêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵ")

#: Where each kind's valid example comes from: (sending folder, period).
BASES = {
    "task_register": ("H01", ANNUAL),
    "quarterly_progress": ("H01", "Q2"),
    "self_assessment": ("H01", ANNUAL),
    "collective": ("H01", ANNUAL),
    "commune_forms": ("X001", ANNUAL),
    "council_scores": ("TU", "TV02"),
}
#: Kinds the sample province never sends: a valid example written by hand.
HAND_WRITTEN: dict[str, Callable[[Desk], list[dict[str, Any]]]] = {
    "excusals": lambda desk: [
        {
            "cadre_code": "CB0001",
            "rule": "TIN_NHIEM",
            "task_code": None,
            "reason": "Nguyên nhân khách quan đã được Ban Thường vụ xác nhận",
            "decided_on": dt.date(2025, 11, 20),
        }
    ],
    "inspections": lambda desk: [
        {
            "cadre_code": task["cadre_code"],
            "task_code": task["task_code"],
            "major_errors": 1,
            "finding": "Số liệu báo cáo quý 3 chưa khớp hồ sơ gốc",
            "decided_on": dt.date(2025, 10, 20),
        }
        for task in desk.rows("task_register", "H01", ANNUAL)[:1]
    ],
}


def base(desk: Desk, kind: str) -> tuple[str, str, list[dict[str, Any]]]:
    folder, scope = BASES.get(kind, ("TU", ANNUAL))
    rows = HAND_WRITTEN[kind](desk) if kind in HAND_WRITTEN else desk.rows(kind, folder, scope)
    assert rows, f"no valid example of {kind}"
    return folder, scope, [dict(r) for r in rows]


def is_vietnamese(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text) and bool(VIETNAMESE & set(text.lower()))


# --- every kind, every format ---------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_a_valid_file_of_every_kind_loads(desk: Desk, kind: str, fmt: str) -> None:
    folder, scope, rows = base(desk, kind)
    desk.write(kind, rows, folder=folder, scope=scope, fmt=fmt)
    outcome = desk.take()
    assert outcome.status == "loaded", [f.message for f in outcome.findings]
    assert outcome.findings == []
    assert outcome.kind == kind and outcome.scope == scope
    (n,) = desk.con.execute(
        "select n_rows from submissions where file_hash = $h", {"h": outcome.file_hash}
    ).fetchone()
    assert n == len(rows)


# --- every rule -----------------------------------------------------------------------------
@dataclass
class Case:
    id: str
    kind: str
    rule: str
    column: str | None = None  # English column name; None: the row or the whole file
    value: str | None = None  # as the message shows it
    row: int | None = FIRST_DATA_ROW
    severity: str = "error"
    mutate: Callable[[list[dict], Desk], None] | None = None
    folder: str | None = None
    scope: str | None = None
    write: dict[str, Any] = field(default_factory=dict)  # unit_code, cycle, template_version
    received_late: bool = False
    post: Callable[[Path], None] | None = None  # change the written file
    sheet: str | None = DATA_SHEET
    mentions: tuple[str, ...] = ()  # more words the message must contain


def set0(**values: Any) -> Callable[[list[dict], Desk], None]:
    def mutate(rows: list[dict], desk: Desk) -> None:
        rows[0].update(values)

    return mutate


def set_row(i: int, **values: Any) -> Callable[[list[dict], Desk], None]:
    def mutate(rows: list[dict], desk: Desk) -> None:
        rows[i].update(values)

    return mutate


def _other_unit_cadre(desk: Desk, unit: str) -> str:
    (code,) = desk.con.execute(
        "select min(cadre_code) from cur_posts where cadre_code not in "
        "(select cadre_code from cur_posts where unit_code = $u)",
        {"u": unit},
    ).fetchone()
    return code


def _own_unit_row(rows: list[dict], desk: Desk) -> None:
    """A row scoring a cadre of the member's own unit, first in the sheet."""
    (cadre,) = desk.con.execute(
        "select min(p.cadre_code) from cur_posts p join cur_council_members m "
        "on m.unit_code = p.unit_code where m.member_code = 'TV02'"
    ).fetchone()
    rows.insert(
        0, {"member_code": "TV02", "cadre_code": cadre, "criterion_code": "TC1", "score": 4}
    )


def _wrong_owner(rows: list[dict], desk: Desk) -> None:
    owner = rows[0]["cadre_code"]
    rows[0]["cadre_code"] = next(r["cadre_code"] for r in rows if r["cadre_code"] != owner)


def _backwards(rows: list[dict], desk: Desk) -> None:
    q1 = {r["task_code"]: r["achieved"] for r in desk.rows("quarterly_progress", "H01", "Q1")}
    i = next(i for i, r in enumerate(rows) if (q1.get(r["task_code"]) or 0) > 0)
    rows.insert(0, {**rows.pop(i), "achieved": 0.0})


def _implausible(rows: list[dict], desk: Desk) -> None:
    targets = {r["task_code"]: r["target"] for r in desk.rows("task_register", "H01", ANNUAL)}
    rows[0]["achieved"] = targets[rows[0]["task_code"]] * 10


def _two_levels(rows: list[dict], desk: Desk) -> None:
    assert rows[0]["cadre_code"] == rows[1]["cadre_code"]
    rows[0]["proposed_level"] = "KHTNV" if rows[1]["proposed_level"] != "KHTNV" else "HTNV"


def _not_monitor(rows: list[dict], desk: Desk) -> None:
    (other,) = desk.con.execute(
        "select min(cadre_code) from cur_monitoring where cadre_code not in "
        "(select cadre_code from cur_monitoring where commune_code = 'X001')"
    ).fetchone()
    rows[0]["cadre_code"] = other


def _post_ends_first(rows: list[dict], desk: Desk) -> None:
    rows[0]["end_date"] = rows[0]["start_date"] - dt.timedelta(days=10)


def _rename_header(path: Path) -> None:
    wb = load_workbook(path)
    wb[DATA_SHEET].cell(HEADER_ROW, 1).value = "Mã NV"
    wb.save(path)


def _drop_meta(path: Path) -> None:
    wb = load_workbook(path)
    del wb[META_SHEET]
    wb.save(path)


TCVN3_TEXT, TCVN3_READS = "Biªn b¶n nghiÖm thu c«ng tr×nh", "Biên bản nghiệm thu công trình"
VNI_TEXT, VNI_READS = "Thieáu kinh phí thöïc hieän", "Thiếu kinh phí thực hiện"

CASES = [
    # council scoring sheets
    Case("score negative", "council_scores", "greater_than_or_equal_to", "score", "-1",
         mutate=set0(score=-1.0)),
    Case("score over 100", "council_scores", "less_than_or_equal_to", "score", "101",
         mutate=set0(score=101.0)),
    Case("score over the criterion", "council_scores", "score_within_criterion_points", "score",
         "5,5", mutate=set0(score=5.5)),
    Case("score typed as words", "council_scores", "type_float", "score", "bốn",
         mutate=set0(score="bốn")),
    Case("criterion scored twice", "council_scores", "one_score_per_cadre_and_criterion",
         mutate=lambda rows, d: rows.__setitem__(1, dict(rows[0]))),
    Case("row of another member", "council_scores", "member_matches_sheet", "member_code",
         "TV01", mutate=set0(member_code="TV01")),
    Case("criterion not scored by the council", "council_scores", "criterion_applies",
         "criterion_code", "KQ1", mutate=set0(criterion_code="KQ1")),
    Case("member scores own unit", "council_scores", "member_not_own_unit", "cadre_code",
         mutate=_own_unit_row),
    Case("unknown member", "council_scores", "member_exists", scope="TV99", row=None,
         mutate=lambda rows, d: [r.update(member_code="TV99") for r in rows]),
    Case("code with a space", "council_scores", "plain_code", "cadre_code", "CB 01",
         mutate=set0(cadre_code="CB 01")),
    Case("unknown cadre scored", "council_scores", "cadre_exists", "cadre_code", "CB9999",
         mutate=set0(cadre_code="CB9999")),
    # task register
    Case("origin not in the list", "task_register", "isin", "origin", "Tự đặt",
         mutate=set0(origin="Tự đặt")),
    Case("target zero", "task_register", "greater_than", "target", "0", mutate=set0(target=0.0)),
    Case("weight over 10", "task_register", "less_than_or_equal_to", "weight", "11",
         mutate=set0(weight=11.0)),
    Case("content too short", "task_register", "str_length", "content", "ab",
         mutate=set0(content="ab")),
    Case("content empty", "task_register", "not_nullable", "content", mutate=set0(content=None)),
    Case("task code twice", "task_register", "field_uniqueness", "task_code", row=5,
         mutate=lambda rows, d: rows[1].update(task_code=rows[0]["task_code"])),
    Case("long-term task without milestone", "task_register", "long_term_task_has_milestone",
         mutate=set0(long_term=True, milestone=None)),
    Case("deadline typed wrong", "task_register", "type_date", "deadline", "31/02/2025",
         mutate=set0(deadline="31/02/2025")),
    Case("long-term typed wrong", "task_register", "type_bool", "long_term", "Chưa rõ",
         mutate=set0(long_term="Chưa rõ")),
    Case("deadline outside the year", "task_register", "deadline_within_cycle", "deadline",
         "30/06/2026", severity="warning", mutate=set0(deadline=dt.date(2026, 6, 30))),
    Case("unknown cadre registers", "task_register", "cadre_exists", "cadre_code", "CB9999",
         mutate=set0(cadre_code="CB9999")),
    Case("cadre of another unit", "task_register", "cadre_holds_post_in_unit", "cadre_code",
         mutate=lambda rows, d: rows[0].update(cadre_code=_other_unit_cadre(d, "H01"))),
    # quarterly progress
    Case("unregistered task", "quarterly_progress", "task_registered", "task_code",
         "NV-H01-999", mutate=set0(task_code="NV-H01-999")),
    Case("task of another cadre", "quarterly_progress", "task_belongs_to_cadre", "task_code",
         mutate=_wrong_owner),
    Case("progress goes backwards", "quarterly_progress", "progress_not_backwards", "achieved",
         "0", severity="warning", mutate=_backwards),
    Case("implausible progress", "quarterly_progress", "achieved_plausible", "achieved",
         severity="warning", mutate=_implausible),
    Case("negative progress", "quarterly_progress", "greater_than_or_equal_to", "achieved",
         "-5", mutate=set0(achieved=-5.0)),
    Case("decomposed Unicode", "quarterly_progress", "unicode_nfc", row=None,
         severity="warning", mutate=set0(note=unicodedata.normalize("NFD", "Đúng tiến độ"))),
    Case("period not a quarter", "quarterly_progress", "scope_valid", scope="Q5", row=None,
         sheet=META_SHEET, value="Q5"),
    # self-assessment
    Case("completed without a date", "self_assessment", "completed_task_has_completion_date",
         mutate=set0(completed=True, completed_on=None)),
    Case("two levels for one cadre", "self_assessment", "one_proposed_level_per_cadre",
         mutate=_two_levels),
    Case("level not in the list", "self_assessment", "isin", "proposed_level", "XUATSAC",
         mutate=set0(proposed_level="XUATSAC")),
    Case("completed typed wrong", "self_assessment", "type_bool", "completed", "Chưa",
         mutate=set0(completed="Chưa")),
    Case("TCVN3 text", "self_assessment", "legacy_encoding", "evidence", TCVN3_TEXT,
         mutate=set0(evidence=TCVN3_TEXT), mentions=("TCVN3 (ABC)", TCVN3_READS)),
    Case("VNI text", "self_assessment", "legacy_encoding", "obstacles", VNI_TEXT,
         mutate=set0(obstacles=VNI_TEXT), mentions=("VNI Windows", VNI_READS)),
    Case("unknown cadre reports", "self_assessment", "cadre_exists", "cadre_code", "CB9999",
         mutate=set0(cadre_code="CB9999")),
    Case("sent after the deadline", "self_assessment", "submitted_on_time", row=None,
         sheet=None, severity="warning", received_late=True),
    # collective
    Case("more done than planned", "collective", "completed_within_planned",
         mutate=lambda rows, d: rows[0].update(completed_tasks=rows[0]["planned_tasks"] + 1)),
    Case("more failing than subordinates", "collective",
         "failing_subordinates_within_subordinates",
         mutate=lambda rows, d: rows[0].update(subordinate_khtnv=rows[0]["subordinate_units"] + 1)),
    Case("another unit's collective", "collective", "collective_is_sender", "unit_code", "H02",
         mutate=set0(unit_code="H02")),
    Case("planned tasks not whole", "collective", "type_int", "planned_tasks", "2,5",
         mutate=set0(planned_tasks=2.5)),
    Case("file of another unit", "collective", "sender_matches_folder", value="H02", row=None,
         sheet=META_SHEET, write={"unit_code": "H02"}),
    Case("file of another year", "collective", "cycle_matches", value="2024", row=None,
         sheet=META_SHEET, write={"cycle": 2024}),
    Case("last year's template", "collective", "template_version_current", value="0",
         row=None, sheet=META_SHEET, write={"template_version": "0"}),
    Case("kind the unit does not send", "collective", "kind_owed_by_sender", folder="X001",
         row=None, sheet=None, value="collective",
         mutate=set0(unit_code="X001")),
    Case("folder of no unit", "collective", "sender_known", folder="ZZ99", row=None,
         sheet=None, value="ZZ99", mutate=set0(unit_code="ZZ99")),
    Case("header renamed", "collective", "headers_present", row=None, post=_rename_header,
         mentions=("Mã đơn vị",)),
    Case("metadata sheet removed", "collective", "template_recognised", row=None, sheet=None,
         post=_drop_meta),
    # commune comment forms
    Case("cadre not monitoring the commune", "commune_forms", "cadre_monitors_commune",
         "cadre_code", mutate=_not_monitor),
    Case("too many visits", "commune_forms", "less_than_or_equal_to", "visits", "400",
         mutate=set0(visits=400)),
    Case("level typed in words", "commune_forms", "isin", "level", "TỐT", mutate=set0(level="Tốt")),
    # reference data kept by the board
    Case("parent not a unit", "units", "parent_is_a_listed_unit", row=5,
         mutate=set_row(1, parent_code="ZZ")),
    Case("unit kind unknown", "units", "isin", "unit_kind", "TINHUY", row=5,
         mutate=set_row(1, unit_kind="TINHUY")),
    Case("gender not in the list", "cadres", "isin", "gender", "Khác", mutate=set0(gender="Khác")),
    Case("born too early", "cadres", "greater_than_or_equal_to", "birth_year", "1930",
         mutate=set0(birth_year=1930)),
    Case("post ends before it starts", "posts", "post_ends_after_it_starts",
         mutate=_post_ends_first),
    Case("post in an unknown unit", "posts", "unit_exists", "unit_code", "ZZ99",
         mutate=set0(unit_code="ZZ99")),
    Case("position of no group", "posts", "position_known", "position_code", "XYZ",
         mutate=set0(position_code="XYZ")),
    Case("member of an unknown unit", "council_members", "unit_exists", "unit_code", "ZZ",
         mutate=set0(unit_code="ZZ")),
    Case("monitoring a district", "monitoring", "commune_exists", "commune_code", "H01",
         mutate=set0(commune_code="H01")),
    Case("measure not in the list", "discipline", "isin", "measure", "Phê bình",
         mutate=set0(measure="Phê bình")),
    Case("more low votes than votes", "confidence_votes", "low_votes_within_total",
         mutate=lambda rows, d: rows[0].update(votes_low=rows[0]["votes_total"] + 1)),
    Case("unknown group last year", "previous_levels", "group_known", "group_code", "XX",
         severity="warning", mutate=set0(group_code="XX")),
    Case("late-task excusal without the task", "excusals", "late_task_excusal_names_the_task",
         mutate=set0(rule="TRE_HAN", task_code=None)),
]  # fmt: skip


def test_every_cross_reference_rule_has_a_case() -> None:
    from danhgia.intake.crossref import RULES

    named = {(c.values[0] if hasattr(c, "values") else c).rule for c in CASES}
    for kind, rules in RULES.items():
        for rule in rules:
            name = getattr(rule, "__name__", "")
            covered = {
                "cadre_holds_post_in_unit": "cadre_holds_post_in_unit",
                "task_belongs_to_cadre": "task_belongs_to_cadre",
                "council_sheet_rules": "member_not_own_unit",
                "check": "unit_exists",
                "commune_is_commune": "commune_exists",
            }.get(name, name)
            assert covered in named, f"{kind}: no case breaks {name}"


def _take_case(desk: Desk, case: Case):
    folder, scope, rows = base(desk, case.kind)
    folder, scope = case.folder or folder, case.scope or scope
    if case.mutate:
        case.mutate(rows, desk)
    received = desk.due(case.kind, scope) + dt.timedelta(days=3) if case.received_late else None
    path = desk.write(case.kind, rows, folder=folder, scope=scope, received=received, **case.write)
    if case.post:
        mtime = path.stat().st_mtime
        case.post(path)
        os.utime(path, (mtime, mtime))
    return desk.take(), path


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id if isinstance(c, Case) else None)
def test_each_rule_is_named_where_it_is_broken(desk: Desk, case: Case) -> None:
    outcome, path = _take_case(desk, case)
    found = [f for f in outcome.findings if f.rule == case.rule]
    assert found, (case.rule, [(f.rule, f.row, f.column) for f in outcome.findings])
    header = KINDS[case.kind].column(case.column).header if case.column else None
    f = next((f for f in found if f.row == case.row and f.column == header), None)
    assert f is not None, [(x.row, x.column, x.value) for x in found]
    assert f.severity == case.severity
    assert f.sheet == case.sheet
    if case.value is not None:
        assert f.value == case.value
    assert is_vietnamese(f.message), f.message
    for word in case.mentions:
        assert word in f.message
    # a file with an error is refused whole; a warning loads it and flags it
    assert outcome.status == ("quarantined" if case.severity == "error" else "loaded")
    # what the unit reads names file, sheet, row, column, value and rule
    facts = Facts(received_at=dt.datetime(2025, 12, 1, 9, 0))
    text = (
        refusal_text(outcome, desk.config, facts)
        if outcome.status == "quarantined"
        else receipt_text(outcome, desk.config, facts)
    )
    assert path.name in text
    expected = [f"quy tắc: {case.rule}"]
    expected += [f"trang '{f.sheet}'"] if f.sheet else []
    expected += [f"dòng {f.row}"] if f.row is not None else []
    expected += [f"cột '{header}'"] if header else []
    expected += [f"giá trị '{f.value}'"] if f.value else []
    for part in expected:
        assert part in text, (part, text)


def test_unreadable_and_foreign_files_are_named(desk: Desk) -> None:
    when = desk.on_time("collective", ANNUAL)
    desk.write_bytes("H01", "ghi-chu.txt", "Báo cáo".encode(), when)
    desk.write_bytes("H01", "hong.xlsx", b"PK\x03\x04 broken", when)
    outcomes = {o.file_name: o for o in desk.collect()}
    assert {f.rule for f in outcomes["ghi-chu.txt"].findings} == {"file_format"}
    assert {f.rule for f in outcomes["hong.xlsx"].findings} == {"file_readable"}
    assert all(o.status == "quarantined" for o in outcomes.values())


# --- CSV and JSON ---------------------------------------------------------------------------
def test_csv_rows_are_numbered_as_lines_and_json_rows_by_position(desk: Desk) -> None:
    folder, scope, rows = base(desk, "council_scores")
    rows[1]["score"] = -1.0
    desk.write("council_scores", rows, folder=folder, scope=scope, fmt="csv")
    desk.write("council_scores", rows, folder=folder, scope=scope, fmt="json")
    outcomes = {Path(o.file_name).suffix: o for o in desk.collect()}
    csv_finding = next(f for f in outcomes[".csv"].findings if f.value == "-1")
    json_finding = next(f for f in outcomes[".json"].findings if f.value == "-1")
    # five metadata lines, the header on line 6, the second row on line 8
    assert (csv_finding.sheet, csv_finding.row, csv_finding.column) == (None, 8, "Điểm")
    assert (json_finding.sheet, json_finding.row, json_finding.column) == (None, 2, "Điểm")


def test_csv_with_bom_comma_separator_and_crlf_loads(desk: Desk) -> None:
    folder, scope, rows = base(desk, "collective")
    text = submission_csv(
        KINDS["collective"], unit_code=folder, cycle=2025, scope=scope, rows=rows, delimiter=","
    )
    data = codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8")
    desk.write_bytes(folder, "tap-the.csv", data, desk.on_time("collective", scope))
    outcome = desk.take()
    assert outcome.status == "loaded" and outcome.findings == []


def test_csv_saved_by_excel_with_quotes_and_trailing_separators_loads(desk: Desk) -> None:
    folder, scope, rows = base(desk, "commune_forms")
    text = submission_csv(KINDS["commune_forms"], unit_code=folder, cycle=2025, scope=scope,
                          rows=rows)  # fmt: skip
    lines = text.splitlines()
    width = len(KINDS["commune_forms"].columns)
    lines = [f'"{ln}"' + ";" * (width - 1) if ln.startswith("#") else ln for ln in lines]
    desk.write_bytes(
        folder, "phieu.csv", "\n".join(lines).encode(), desk.on_time("collective", scope)
    )
    outcome = desk.take()
    assert outcome.status == "loaded", [f.message for f in outcome.findings]


def test_utf16_csv_is_read_and_named(desk: Desk) -> None:
    folder, scope, rows = base(desk, "collective")
    text = submission_csv(
        KINDS["collective"], unit_code=folder, cycle=2025, scope=scope, rows=rows, delimiter="\t"
    )
    desk.write_bytes(
        folder, "unicode.csv", text.encode("utf-16"), desk.on_time("collective", scope)
    )
    outcome = desk.take()
    assert outcome.status == "loaded"
    (f,) = outcome.findings
    assert (f.rule, f.severity, f.value) == ("text_encoding", "warning", "UTF-16")
    assert "UTF-16" in f.message and is_vietnamese(f.message)


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters precomposed where the code
    page has them, tone marks combining."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            letter = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            out += letter.encode("cp1258") + "".join(c for c in parts if c in _TONES).encode(
                "cp1258"
            )
    return out


def to_tcvn3(text: str) -> bytes:
    from danhgia.intake.encodings import TCVN3_TABLE

    back = {u: ord(k) for k, u in TCVN3_TABLE.items()}
    return bytes(back.get(ch, ord(ch)) if ord(ch) > 127 else ord(ch) for ch in text)


@pytest.mark.parametrize(
    ("encode", "named"),
    [
        (to_cp1258, "Windows-1258 (CP1258)"),
        (to_tcvn3, "TCVN3 (ABC)"),
    ],
    ids=["windows-1258", "tcvn3"],
)
def test_csv_in_a_legacy_code_page_is_refused_and_named(desk: Desk, encode, named) -> None:
    folder, scope, rows = base(desk, "commune_forms")
    rows[0]["comment"] = "Đồng chí thường xuyên về cơ sở, nắm chắc tình hình địa phương"
    text = submission_csv(KINDS["commune_forms"], unit_code=folder, cycle=2025, scope=scope,
                          rows=rows)  # fmt: skip
    desk.write_bytes(folder, "phieu.csv", encode(text), desk.on_time("commune_forms", scope))
    outcome = desk.take()
    assert outcome.status == "quarantined"
    (f,) = outcome.findings
    assert f.rule == "text_encoding" and f.value == named
    assert named in f.message and "UTF-8" in f.message


def test_json_syntax_and_shape_errors_are_named(desk: Desk) -> None:
    when = desk.on_time("collective", ANNUAL)
    desk.write_bytes("H01", "sai.json", b'{"meta": {"ma_don_vi": "H01",}\n', when)
    desk.write_bytes("H01", "dang.json", b'{"du_lieu": []}', when)
    outcomes = {o.file_name: o for o in desk.collect()}
    (syntax,) = outcomes["sai.json"].findings
    assert syntax.rule == "file_readable" and "dòng 1" in syntax.message
    (shape,) = outcomes["dang.json"].findings
    assert shape.rule == "template_recognised" and '"rows"' in shape.message


def test_csv_without_metadata_lines_is_refused(desk: Desk) -> None:
    header = ";".join(c.header for c in KINDS["collective"].columns)
    desk.write_bytes("H01", "thieu.csv", f"{header}\n".encode(), desk.on_time("collective", "CN"))
    (f,) = desk.take().findings
    assert f.rule == "template_recognised" and "#ma_don_vi=H01" in f.message


# --- recognising legacy encodings -----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "encoding", "reads"),
    [
        ("Hµ Néi", "tcvn3", "Hà Nội"),
        ("Ban Tæ chøc TØnh ñy", "tcvn3", "Ban Tổ chức Tỉnh ủy"),
        ("Tr\xadêng THPT", "tcvn3", "Trường THPT"),
        ("NguyÔn V¨n Quý", "tcvn3", "Nguyễn Văn Quý"),
        ("Haø Noäi", "vni", "Hà Nội"),
        ("Ban Toå chöùc Tænh uûy", "vni", "Ban Tổ chức Tỉnh ủy"),
        ("Nguyeãn Vaên Quyù", "vni", "Nguyễn Văn Quý"),
        ("ñoàng chí", "vni", "đồng chí"),
    ],
)
def test_legacy_text_is_recognised_and_converted(text: str, encoding: str, reads: str) -> None:
    found = detect_legacy(text)
    assert found is not None and found.encoding == encoding and found.converted == reads


@pytest.mark.parametrize(
    "text",
    [
        "Nguyễn Thị Hòa",
        "ÔNG BÀ HÒA",
        "Đồng chí Lò Văn Páo",
        "Giàng A Dính",
        "Hoàn thành tốt nhiệm vụ; KPI đạt 100%",
        "Café Müller 25°C",
        "µg/l",
        "Microsoft®",
        "«Hà Nội»",
        "CB0001",
        unicodedata.normalize("NFD", "Nguyễn Văn Quý"),
    ],
)
def test_unicode_text_is_not_taken_for_a_legacy_encoding(text: str) -> None:
    assert detect_legacy(unicodedata.normalize("NFC", text)) is None


def test_real_vietnamese_prose_gives_no_false_alarm() -> None:
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    if not texts:
        pytest.skip("the seed articles are not beside the project")
    words = " ".join(texts).split()
    phrases = [" ".join(words[i : i + 3]) for i in range(0, len(words), 3)]
    flagged = [p for p in phrases if detect_legacy(unicodedata.normalize("NFC", p))]
    assert flagged == []


@pytest.mark.parametrize(
    ("word", "valid"),
    [("nghiêng", True), ("khuya", True), ("giữ", True), ("quyết", True), ("Hũa", True),
     ("Néi", False), ("Hµ", False), ("mỹller", False), ("thành", True), ("aé", False)],
)  # fmt: skip
def test_syllable_shape(word: str, valid: bool) -> None:
    assert is_syllable(word) is valid


def test_text_bytes_decoding() -> None:
    assert decode_text_file("Tổ chức".encode("utf-8-sig")).text == "Tổ chức"
    assert decode_text_file("Tổ chức".encode("utf-16-le")).encoding == "utf16"
    unknown = decode_text_file(bytes([0x81, 0x8D, 0x8F, 0x90]) * 3)
    assert unknown.text is None
