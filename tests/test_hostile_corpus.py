"""A corpus of hostile files, generated here, fed through a real run of the collection flow
(Prefect, the warehouse, quarantine reports and the units' feedback): every file ends loaded
or quarantined with a reason, none crashes the run, none is lost, and nothing is written
outside the data folder whatever a file is called.

Run with ``-s`` to see the table of files and outcomes."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from pathlib import Path

import duckdb
import pytest

from danhgia.kinds import KINDS
from danhgia.workbook import build_workbook, submission_csv
from tests.conftest import DataDir, collective_rows, copy_province, write_zip_bomb

pytestmark = pytest.mark.slow
WHEN = dt.datetime(2025, 12, 10, 9, 0).timestamp()

# each case: (folder, file name, expected status, a rule that must be named)
EXPECTED: dict[str, tuple[str, str | None]] = {}


def _save(
    root: Path,
    folder: str,
    name: str,
    data: bytes | None = None,
    wb=None,
    expect: tuple[str, str | None] = ("quarantined", None),
) -> Path:
    path = root / "inbox" / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if wb is not None:
        wb.save(path)
    else:
        path.write_bytes(data or b"")
    os.utime(path, (WHEN, WHEN))
    EXPECTED[f"{folder}/{name}"] = expect
    return path


def _commune_form(root: Path, commune: str, comment: str, config):
    """The commune's own form from the sample, with a different comment on its first row."""
    import openpyxl

    source = next((root / "inbox" / commune).glob("PhieuNhanXet_*.xlsx"))
    wb = openpyxl.load_workbook(source)
    ws = wb["Dữ liệu"]
    col = [c.value for c in ws[3]].index("Nhận xét") + 1
    ws.cell(4, col, comment)
    return wb


def build_corpus(root: Path, config) -> None:
    kind = KINDS["collective"]
    good = build_workbook(
        kind, unit_code="S01", cycle=config.cycle, scope="CN", rows=collective_rows("S01")
    )
    _save(
        root,
        "S01",
        "hong.xlsx",
        b"PK\x03\x04" + os.urandom(2000),
        expect=("quarantined", "file_readable"),
    )
    whole = root / "whole.xlsx"
    good.save(whole)
    _save(
        root,
        "S01",
        "cat-doi.xlsx",
        whole.read_bytes()[: whole.stat().st_size // 2],
        expect=("quarantined", None),
    )
    bomb = write_zip_bomb(root / "inbox" / "S01" / "bom-nen.xlsx")
    os.utime(bomb, (WHEN, WHEN))
    EXPECTED["S01/bom-nen.xlsx"] = ("quarantined", "file_size")
    _save(root, "S01", "nhi-phan.csv", os.urandom(5000), expect=("quarantined", None))
    text = submission_csv(
        kind, unit_code="S01", cycle=config.cycle, scope="CN", rows=collective_rows("S01")
    )
    # Vietnamese in Windows-1258 (the tone marks as separate characters, as the code page has them)
    legacy = unicodedata.normalize("NFD", "#ghi_chu=Đơn vị Sở Tư pháp\n" + text)
    _save(
        root,
        "S01",
        "windows-1258.csv",
        legacy.encode("cp1258", "replace"),
        expect=("quarantined", None),
    )
    _save(
        root,
        "S03",
        "utf16.csv",
        submission_csv(
            kind, unit_code="S03", cycle=config.cycle, scope="CN", rows=collective_rows("S03")
        ).encode("utf-16"),
        expect=("loaded", None),
    )
    _save(
        root,
        "DT01",
        "bom.csv",
        submission_csv(
            kind, unit_code="DT01", cycle=config.cycle, scope="CN", rows=collective_rows("DT01")
        ).encode("utf-8-sig"),
        expect=("loaded", None),
    )
    # invisible character inside a code
    _save(
        root,
        "BD01",
        "ma-an.xlsx",
        wb=build_workbook(
            kind,
            unit_code="BD01",
            cycle=config.cycle,
            scope="CN",
            rows=collective_rows("BD01\u200b"),
        ),
        expect=("quarantined", "plain_code"),
    )
    # a formula where a number belongs
    wb = build_workbook(
        kind, unit_code="ND01", cycle=config.cycle, scope="CN", rows=collective_rows("ND01")
    )
    wb["Dữ liệu"]["B4"] = "=SUM(1,4)"
    _save(root, "ND01", "cong-thuc.xlsx", wb=wb, expect=("quarantined", "no_formulas"))
    # duplicate rows
    _save(
        root,
        "H01",
        "trung-dong.xlsx",
        wb=build_workbook(
            kind, unit_code="H01", cycle=config.cycle, scope="CN", rows=collective_rows("H01") * 2
        ),
        expect=("quarantined", "field_uniqueness"),
    )
    # 10^6 rows: refused by size before anything is parsed
    big = "".join(f"x;{i};1;0;0;Không;HTTNV\n" for i in range(1_000_000))
    _save(root, "H02", "trieu-dong.csv", (text + big).encode(), expect=("quarantined", "file_size"))
    # a file declaring another unit, a template of another cycle
    _save(
        root,
        "S03",
        "cua-don-vi-khac.xlsx",
        wb=build_workbook(
            kind, unit_code="S01", cycle=config.cycle, scope="CN", rows=collective_rows("S01")
        ),
        expect=("quarantined", "sender_matches_folder"),
    )
    _save(
        root,
        "S03",
        "nam-truoc.xlsx",
        wb=build_workbook(
            kind, unit_code="S03", cycle=config.cycle - 1, scope="CN", rows=collective_rows("S03")
        ),
        expect=("quarantined", "cycle_matches"),
    )
    # legacy TCVN3 text, decomposed Unicode, markup and a formula typed as text
    _save(
        root,
        "X001",
        "tcvn3.xlsx",
        wb=_commune_form(root, "X001", "§ång chÝ th­êng xuyªn vÒ x·", config),
        expect=("quarantined", None),
    )
    _save(
        root,
        "X002",
        "nfd.xlsx",
        wb=_commune_form(root, "X002", unicodedata.normalize("NFD", "Đồng chí về xã đều"), config),
        expect=("loaded", "unicode_nfc"),
    )
    _save(
        root,
        "X004",
        "markup.xlsx",
        wb=_commune_form(
            root, "X004", '<img src="file:///etc/passwd"> =HYPERLINK("http://x")', config
        ),
        expect=("loaded", None),
    )
    # duplicate file under another name: recognised, not taken in twice
    _save(
        root,
        "X004",
        "zz-ban-sao-markup.xlsx",
        (root / "inbox" / "X004" / "markup.xlsx").read_bytes(),
        expect=("duplicate", None),
    )
    # names that try to climb out of the folders the project writes into
    climber = "bao-cao\\..\\..\\..\\..\\..\\..\\ngoai-hop-thu.xlsx"
    _save(root, "S01", climber, b"PK\x03\x04" + os.urandom(500), expect=("quarantined", None))
    # a name starting with ".." is a hidden file to the inbox scan (like .DS_Store or
    # LibreOffice's lock files): never read, never kept, and still not able to climb
    hidden = "..\\..\\..\\..\\..\\..\\ngoai-hop-thu.xlsx"
    _save(root, "S01", hidden, b"PK\x03\x04" + os.urandom(500), expect=("ignored", None))
    _save(root, "S01", "-rf ngoai-hop-thu.csv", os.urandom(300), expect=("quarantined", None))
    _save(
        root,
        "TU\\..\\..\\S01",
        "ngoai-hop-thu.xlsx",
        wb=build_workbook(
            kind,
            unit_code="S01",
            cycle=config.cycle,
            scope="CN",
            rows=collective_rows("S01", planned_tasks=6, completed_tasks=6),
        ),
        expect=("quarantined", None),
    )
    # a link pointing outside the inbox is never followed
    link = root / "inbox" / "S01" / "lien-ket.xlsx"
    link.symlink_to("/etc/passwd")
    EXPECTED["S01/lien-ket.xlsx"] = ("ignored", None)


def test_every_hostile_file_is_accounted_for(
    prefect_harness, small_inbox, tmp_path, config
) -> None:
    from flows.collect import collect_submissions

    root = copy_province(small_inbox, tmp_path / "data")
    with DataDir(root):
        collect_submissions(config.cycle)  # the sample itself first
        EXPECTED.clear()
        build_corpus(root, config)
        rows = collect_submissions(config.cycle)
    outcomes = {f"{r['unit']}/{r['file']}": r for r in rows}
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        logged = con.execute("select count(*) from submissions").fetchall()[0][0]
        found = con.execute(
            "select file_hash, list(distinct rule order by rule), count(*) filter "
            "(where message is null or message = '') from findings group by file_hash"
        ).fetchall()
    rules_of = {h: rules for h, rules, _ in found}
    assert all(blank == 0 for _, _, blank in found)  # every finding says what is wrong
    table = []
    for name, (status, rule) in sorted(EXPECTED.items()):
        o = outcomes.get(name)
        got = o["status"] if o else ("duplicate" if status == "duplicate" else "ignored")
        rules = rules_of.get(o["file_hash"], []) if o else []
        table.append(f"{name:40} {got:12} {', '.join(rules)}")
        assert got == status, (name, got, rules)
        if rule:
            assert rule in rules, (name, rules)
        if o and o["status"] == "quarantined":
            assert o["errors"] > 0
            report = root / "quarantine" / (o["unit"] or "_khong_ro") / o["file_hash"][:12]
            assert (report / "bao-cao-loi.txt").is_file()
    print("\n" + "\n".join(table))
    # nothing lost: every new file but the duplicate and the link is logged once
    new = [n for n, (s, _) in EXPECTED.items() if s not in ("duplicate", "ignored")]
    assert len(outcomes) == len(new)
    assert logged == len(list((root / "store").rglob("*.*")))
    assert not any(b"root:" in p.read_bytes()[:4096] for p in (root / "store").rglob("*.*"))
    # nothing escaped: the climbing names only ever appear inside the data folder
    assert [p.name for p in tmp_path.iterdir()] == ["data"]
    for p in tmp_path.rglob("*ngoai-hop-thu*"):
        assert p.resolve().is_relative_to(root.resolve())
        assert p.relative_to(root).parts[0] in ("inbox", "quarantine", "outbox"), p
