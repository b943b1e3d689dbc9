"""Files of one kind and period are checked together (one schema validation, one pass of each
cross-reference rule) and loaded in one transaction: each file must still get exactly the
findings, in the same order, that it gets when it is the only file taken in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from danhgia.intake.reader import columns_frame, rows_to_columns, rows_to_frame
from danhgia.intake.schema_check import (
    check_schema,
    check_schema_files,
    group_frame,
    typed_frame,
)
from danhgia.kinds import ANNUAL, KINDS
from tests.intake_support import Desk, desk_fixture, province_fixture  # noqa: F401

Rows = list[dict[str, Any]]


def _dup_task(rows: Rows) -> None:
    rows[1]["task_code"] = rows[0]["task_code"]


def _many_failures(rows: Rows) -> None:
    """More than sixteen failures in one file: pandera orders them with an unstable sort."""
    for i, r in enumerate(rows):
        r["proposed_level"] = ("HTXSNV", "HTTNV", "HTNV")[i % 3]
        r["achieved"] = -1.0


def _first_cadre(other: str) -> Callable[[Rows], None]:
    def mutate(rows: Rows) -> None:
        rows[0]["cadre_code"] = other

    return mutate


def _no_date(rows: Rows) -> None:
    rows[0].update(completed=True, completed_on=None)


def _two_scores(rows: Rows) -> None:
    rows[1] = dict(rows[0])
    rows[2]["score"] = 99.0


def _other_parent(rows: Rows) -> None:
    rows[3]["parent_code"] = "ZZ"
    rows[4]["unit_code"] = rows[5]["unit_code"]


#: (kind, period, [(folder, format, mutation)]): every file of a case is one group.
CASES = {
    "self-assessments": (
        "self_assessment",
        ANNUAL,
        [
            ("H01", "xlsx", None),
            ("H01", "csv", None),  # the same codes as the first file, in another file
            ("H01", "xlsx", _dup_task),
            ("H01", "json", _many_failures),
            ("H02", "csv", None),  # another unit sending H01's cadres
            ("H01", "csv", _first_cadre("CB9999")),
            ("H01", "xlsx", _no_date),
            ("H01", "csv", lambda rows: rows.clear()),  # headers only
        ],
    ),
    "council sheets": (
        "council_scores",
        "TV02",
        [
            ("TU", "xlsx", None),
            ("TU", "csv", _two_scores),
            ("TU", "json", _first_cadre("CB9999")),
        ],
    ),
    "unit lists": (
        "units",
        ANNUAL,
        [("TU", "xlsx", None), ("TU", "csv", _other_parent)],
    ),
}


def _rows(desk: Desk, kind: str, scope: str) -> Rows:
    folder = "TU" if KINDS[kind].reference or kind == "council_scores" else "H01"
    return [dict(r) for r in desk.rows(kind, folder, scope)]


def _write(desk: Desk, kind: str, scope: str, i: int, folder: str, fmt: str, mutate) -> str:
    rows = _rows(desk, kind, scope)
    if mutate is not None:
        mutate(rows)
    name = f"tep{i:02d}.{fmt}"
    when = desk.on_time(kind, scope) + dt.timedelta(minutes=i)
    desk.write(kind, rows, folder=folder, scope=scope, fmt=fmt, name=name, received=when)
    return f"{folder}/{name}"


def _said(outcome) -> list[tuple]:
    return [tuple(f.as_dict().values()) for f in outcome.findings]


@pytest.mark.parametrize("case", list(CASES))
def test_a_file_checked_with_others_gets_what_it_gets_alone(
    province: Path, tmp_path: Path, case: str
) -> None:
    kind, scope, files = CASES[case]
    together = Desk(province, tmp_path / "together")
    try:
        names = [_write(together, kind, scope, i, *spec) for i, spec in enumerate(files, start=1)]
        got = {f"{o.sender}/{o.file_name}": o for o in together.collect()}
    finally:
        together.close()
    assert sorted(got) == sorted(names)
    assert any(o.status == "loaded" for o in got.values())
    assert any(o.status == "quarantined" for o in got.values())
    for i, spec in enumerate(files, start=1):
        alone = Desk(province, tmp_path / f"alone{i}")
        try:
            name = _write(alone, kind, scope, i, *spec)
            (outcome,) = alone.collect()
        finally:
            alone.close()
        assert outcome.status == got[name].status, name
        assert _said(outcome) == _said(got[name]), name


def test_codes_repeated_across_files_are_not_duplicates() -> None:
    kind = KINDS["collective"]
    header = [c.header for c in kind.columns]
    row = ["H01", 5, 5, 0, 0, "Không", "HTTNV"]
    frames = [rows_to_frame(kind, [header, row])[0], rows_to_frame(kind, [header, row, row])[0]]
    per_file = check_schema_files(kind, group_frame(kind, frames), [set(), set()])
    assert per_file[0] == []
    assert [(f.rule, f.row) for f in per_file[1]] == [
        ("field_uniqueness", 2),
        ("field_uniqueness", 3),
    ]
    assert per_file[1] == check_schema(kind, frames[1], set())


def test_a_group_frame_tags_each_row_with_its_file() -> None:
    kind = KINDS["collective"]
    header = [c.header for c in kind.columns]
    columns = [
        rows_to_columns(kind, [header] + [[f"H0{i}", 5, 5, 0, 0, "Không", "HTTNV"]] * n)[0]
        for i, n in ((1, 1), (2, 0), (3, 2))
    ]
    group = group_frame(kind, columns)
    assert list(group["_file"]) == [0, 2, 2]
    assert list(group["unit_code"]) == ["H01", "H03", "H03"]
    assert list(group["_row"]) == [2, 2, 3]
    frames = group_frame(kind, [columns_frame(kind, c) for c in columns])
    names = kind.column_names
    assert typed_frame(kind, group)[names].equals(typed_frame(kind, frames)[names])


# --- reading at scale gives what reading one file at a time gives -----------------------------
@pytest.fixture(scope="module")
def csv_province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from danhgia.sample.generator import generate_province
    from tests.conftest import load_config

    root = tmp_path_factory.mktemp("csv-province") / "data"
    generate_province(root, load_config(), size="small", seed=2025, fmt="csv")
    return root


def _collect_all(
    source: Path, target: Path
) -> tuple[list[tuple], dict[str, str], dict[str, bytes]]:
    import shutil

    from danhgia.intake.collect import collect
    from danhgia.intake.storage import LocalStore
    from danhgia.warehouse import connect, table_checksums
    from tests.conftest import load_config

    shutil.copytree(source / "inbox", target / "inbox", copy_function=shutil.copy2)
    con = connect(target / "warehouse.duckdb")
    try:
        outcomes = collect(con, target / "inbox", LocalStore(target / "store"), load_config())
        tables = ["submissions", "findings", *(f"raw_{k}" for k in KINDS)]
        sums = table_checksums(con, tables)
    finally:
        con.close()
    store = target / "store"
    kept = {f.relative_to(store).as_posix(): f.read_bytes() for f in store.rglob("*.*")}
    said = [(o.file_name, o.status, o.stored, _said(o)) for o in outcomes]
    return said, sums, kept


def test_files_read_by_another_process_give_the_same_pass(
    csv_province: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import danhgia.intake.collect as collect_mod

    here = _collect_all(csv_province, tmp_path / "here")
    monkeypatch.setattr(collect_mod, "READ_AHEAD_FILES", 1)
    monkeypatch.setattr(collect_mod, "READ_CHUNK_FILES", 7)
    monkeypatch.setattr(collect_mod, "READ_WINDOW_FILES", 10)  # ahead across groups
    spawned = []
    real = collect_mod._Reader
    monkeypatch.setattr(collect_mod, "_Reader", lambda: spawned.append(1) or real())
    there = _collect_all(csv_province, tmp_path / "there")
    assert spawned == [1]  # one process, keeping and reading, for the whole pass
    assert there == here  # the same outcomes, rows and findings, the same files kept
    assert len(here[2]) == len(here[0])


CSV_BODIES = [
    "Mã đơn vị;Số nhiệm vụ kế hoạch;Số nhiệm vụ hoàn thành;Số đơn vị trực thuộc;"
    "Số đơn vị trực thuộc không hoàn thành nhiệm vụ;Có cán bộ lãnh đạo bị kỷ luật;Tự xếp loại\n"
    + body
    for body in (
        "H01;5;5;0;0;Không;HTTNV\n",
        "H01;5;5;0;0;Không;HTTNV\n\n;;;;;;\n  ;\nH02;6;4,0;1;0;Có;httnv;thừa\nH03;7\n",
        "H01;5;5;0;0;Không;HTTNV",  # no newline at the end
        "\nH01; 5 ;5;0;0;Không;HTTNV\n\n\n",
    )
]


@pytest.mark.parametrize("body", CSV_BODIES)
def test_a_csv_without_quotes_is_split_as_the_csv_module_reads_it(
    tmp_path: Path, body: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import danhgia.intake.reader as reader

    meta = "#ma_don_vi=H01\n#loai_bieu_mau=collective\n#nam=2025\n#ky=CN\n#phien_ban_mau=1\n"
    path = tmp_path / "tep.csv"
    path.write_text(meta + body, encoding="utf-8")
    split = reader.read_csv(path)
    monkeypatch.setattr(reader, "_plain_csv", lambda body, lines: False)
    by_module = reader.read_csv(path)
    assert split.findings == by_module.findings
    assert split.columns == by_module.columns


def test_legacy_fonts_are_recognised_word_by_word_as_by_whole_text() -> None:
    import random

    from danhgia.intake.encodings import TCVN3_TABLE, VNI_TABLE, detect_legacy, legacy_by_text
    from danhgia.sample import names as N

    tcvn3 = {v: k for k, v in TCVN3_TABLE.items() if len(v) == 1}
    vni = {v: k for k, v in VNI_TABLE.items()}
    rng = random.Random(3)
    words = [w for t in N.COMMUNE_COMMENTS.values() for c in t for w in c.split()]
    words += list(N.PLACE_FIRST) + list(N.EXTRA_SURNAMES)
    texts = []
    for _ in range(400):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 9)))
        k = rng.randrange(len(text) + 1)
        texts += [
            text,
            "".join(tcvn3.get(ch, ch) for ch in text),
            "".join(vni.get(ch, ch) for ch in text),
            text[:k] + "".join(tcvn3.get(ch, ch) for ch in text[k:]),  # half of it
            text.replace(" ", "\u00a0") + " …",
            text + " \ufffd Š",
        ]
    flagged = [t for t in texts if legacy_by_text(t) is not None]
    assert len(flagged) > 100
    assert [detect_legacy(t) for t in texts] == [legacy_by_text(t) for t in texts]


def test_the_inbox_is_scanned_in_path_order_without_links_or_hidden_files(
    tmp_path: Path,
) -> None:
    from danhgia.intake.collect import scan_inbox

    inbox = tmp_path / "inbox"
    names = ["H01/b.csv", "H01/a.xlsx", "H01/con/c.csv", "TU/x.json", "a.csv", "H01/.an"]
    names += ["H01/~$khoa.xlsx", ".git/f", "Z 1/ä.csv", "H1/z.csv", "H01-2/y.csv", "X/.d/e.csv"]
    for name in names:
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_text("x")
    (inbox / "H01" / "lien-ket.csv").symlink_to(inbox / "a.csv")
    (inbox / "LK").symlink_to(inbox / "H01", target_is_directory=True)
    root = inbox.resolve()
    expected = []  # as scanned before: every path sorted, then filtered
    for path in sorted(inbox.rglob("*")):
        rel = path.relative_to(inbox)
        if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(root):
            continue
        if any(part.startswith((".", "~$")) for part in rel.parts):
            continue
        expected.append((rel.parts[0] if len(rel.parts) > 1 else "", path))
    assert scan_inbox(inbox) == expected
    assert len(expected) == 8


def test_plain_code_says_what_str_matches_says() -> None:
    import re

    from schemas.base import CODE, plain_code

    values = ["CB01", "CB 01", "", "Cán", "A.b-c_9", "x\u200b", None, "CB01", "Z", "ab\n"]
    expected = [v is None or re.match(CODE, v) is not None for v in values]
    assert plain_code(pd.Series(values, dtype=object)).tolist() == expected
    good = ["CB01", "A.b-c_9", "Z", None, "CB01"]
    assert plain_code(pd.Series(good, dtype="str")).tolist() == [True] * len(good)
    assert plain_code(pd.Series(["CB01"] * 3 + ["CB01 "], dtype="str")).tolist() == [
        True,
        True,
        True,
        False,
    ]
    # every code present and good: one pass over all of them; one bad code anywhere, alone
    assert plain_code(pd.Series(["CB01", "A.b-c_9", "Z"], dtype=object)).all()
    for bad in ("", "ab\n", "Cán", "x\u200b", "CB 01", "a/b"):
        codes = pd.Series(["CB01", bad, "Z"], dtype=object)
        assert plain_code(codes).tolist() == [True, re.match(CODE, bad) is not None, True]


def test_a_helper_process_that_dies_stops_the_pass_with_an_error(
    csv_province: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import danhgia.intake.collect as collect_mod

    monkeypatch.setattr(collect_mod, "READ_AHEAD_FILES", 1)
    monkeypatch.setattr(collect_mod, "READ_CHUNK_FILES", 7)
    real = collect_mod._Reader

    class Dying(real):  # killed when first asked to read (after keeping the files)
        def read(self, paths: list[Path]) -> Future:
            self.proc.kill()
            return super().read(paths)

    monkeypatch.setattr(collect_mod, "_Reader", Dying)
    with pytest.raises(RuntimeError, match="ended early"):
        _collect_all(csv_province, tmp_path / "x")
