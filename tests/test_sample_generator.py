"""The sample-province generator: shape, coverage, faults and determinism (size "small")."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from danhgia.cycle_config import CycleConfig, load_cycle_config
from danhgia.kinds import KINDS, META_SHEET, NO, YES
from danhgia.sample import SIZES, ProvinceSize, generate_province
from danhgia.sample.generator import VN_TZ
from danhgia.workbook import FIRST_DATA_ROW, HEADER_ROW

CONFIG_PATH = Path(__file__).resolve().parents[1] / "cycles" / "2025.yaml"


@pytest.fixture(scope="module")
def config() -> CycleConfig:
    return load_cycle_config(CONFIG_PATH)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory, config: CycleConfig) -> tuple[Path, dict]:
    data_dir = tmp_path_factory.mktemp("small")
    return data_dir, generate_province(data_dir, config, size="small", seed=7)


def _cells(path: Path) -> tuple[list[str], list[tuple[Any, ...]], dict[str, Any]]:
    """Headers, data rows and metadata of one submission workbook."""
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(values_only=True)}
    wb.close()
    headers = [h for h in rows[HEADER_ROW - 1] if h is not None]
    data = [r for r in rows[FIRST_DATA_ROW - 1 :] if any(v is not None for v in r)]
    return headers, data, meta


def _records(path: Path, kind: str) -> list[dict[str, Any]]:
    headers, data, _ = _cells(path)
    names = [KINDS[kind].headers[h] for h in headers]
    return [dict(zip(names, r, strict=False)) for r in data]


def _files(manifest: dict, kind: str) -> list[dict[str, Any]]:
    return [f for f in manifest["files"] if f["kind"] == kind]


def _reference(data_dir: Path, manifest: dict, kind: str) -> list[dict[str, Any]]:
    (entry,) = _files(manifest, kind)
    return _records(data_dir / entry["path"], kind)


def _fault(manifest: dict, fid: int) -> list[dict[str, Any]]:
    return [f for f in manifest["faults"] if f["id"] == fid]


def test_counts_per_unit_kind(small: tuple[Path, dict]) -> None:
    data_dir, manifest = small
    size = SIZES["small"]
    units = _reference(data_dir, manifest, "units")
    counts = Counter(u["unit_kind"] for u in units)
    assert counts == {
        "TINH": 1,
        "HUYEN": size.districts,
        "SO": size.departments,
        "DOANTHE": size.mass_orgs,
        "BANDANG": size.party_boards,
        "NGANHDOC": size.central_agencies,
        "XA": size.communes,
    }
    assert manifest["counts"]["units_by_kind"] == dict(counts)
    codes = {u["unit_code"] for u in units}
    for u in units:
        if u["unit_kind"] == "TINH":
            assert u["parent_code"] is None and u["unit_code"] == "TU"
        elif u["unit_kind"] == "XA":
            assert u["parent_code"] in {x["unit_code"] for x in units if x["unit_kind"] == "HUYEN"}
        else:
            assert u["parent_code"] == "TU"
    assert len(codes) == len(units)
    assert 20 <= manifest["cadre_count"] <= 30


def test_every_cadre_has_a_post_with_a_valid_position(
    small: tuple[Path, dict], config: CycleConfig
) -> None:
    data_dir, manifest = small
    cadres = _reference(data_dir, manifest, "cadres")
    posts = _reference(data_dir, manifest, "posts")
    units = {u["unit_code"]: u["unit_kind"] for u in _reference(data_dir, manifest, "units")}
    known_positions = config.group_of_position()
    by_cadre: dict[str, list[dict[str, Any]]] = {}
    for p in posts:
        by_cadre.setdefault(p["cadre_code"], []).append(p)
        assert p["position_code"] in known_positions
        assert units[p["unit_code"]] not in ("XA", "TINH")
        assert p["start_date"].year == config.cycle
    assert {c["cadre_code"] for c in cadres} == set(by_cadre)
    assert all(c["full_name"] and len(c["full_name"].split()) >= 3 for c in cadres)
    heads = Counter(p["unit_code"] for p in posts if p["is_head"] == YES)
    evaluated = [code for code, kind in units.items() if kind not in ("XA", "TINH")]
    assert all(heads[code] == 1 for code in evaluated)
    for move in manifest["specials"]["transfers"]:
        old, new = sorted(by_cadre[move["cadre_code"]], key=lambda p: p["start_date"])
        assert old["unit_code"] != new["unit_code"]
        assert old["end_date"] + dt.timedelta(days=1) == new["start_date"]
    (late_start,) = by_cadre[manifest["specials"]["under_six_months"]]
    assert late_start["start_date"] == dt.datetime(config.cycle, 8, 1)
    months_off = {c["cadre_code"]: c["months_off"] for c in cadres}
    assert months_off[manifest["specials"]["months_off"]] == 4


def test_every_commune_is_monitored(small: tuple[Path, dict]) -> None:
    data_dir, manifest = small
    communes = {
        u["unit_code"] for u in _reference(data_dir, manifest, "units") if u["unit_kind"] == "XA"
    }
    pairs = _reference(data_dir, manifest, "monitoring")
    cadres = {c["cadre_code"] for c in _reference(data_dir, manifest, "cadres")}
    assert Counter(p["commune_code"] for p in pairs) == dict.fromkeys(communes, 1)
    per_cadre = Counter(p["cadre_code"] for p in pairs)
    assert set(per_cadre) <= cadres
    assert sorted(Counter(per_cadre.values()).items()) == [
        (1, len(communes) - 2 * SIZES["small"].double_monitors),
        (2, SIZES["small"].double_monitors),
    ]
    forms = _files(manifest, "commune_forms")
    assert {f["unit"] for f in forms} == communes
    for f in forms:
        rows = _records(data_dir / f["path"], "commune_forms")
        assert {r["cadre_code"] for r in rows} == {
            p["cadre_code"] for p in pairs if p["commune_code"] == f["unit"]
        }


def test_council_members_never_score_their_own_unit(
    small: tuple[Path, dict], config: CycleConfig
) -> None:
    data_dir, manifest = small
    members = _reference(data_dir, manifest, "council_members")
    assert len(members) == SIZES["small"].council_members
    units = {u["unit_code"] for u in _reference(data_dir, manifest, "units")}
    posts = _reference(data_dir, manifest, "posts")
    groups = config.group_of_position()
    sheets = {f["scope"]: f for f in _files(manifest, "council_scores")}
    assert set(sheets) == {m["member_code"] for m in members}
    for m in members:
        assert m["unit_code"] in units
        own = {p["cadre_code"] for p in posts if p["unit_code"] == m["unit_code"]}
        rows = _records(data_dir / sheets[m["member_code"]]["path"], "council_scores")
        scored = {r["cadre_code"] for r in rows}
        assert not scored & own
        assert scored == {p["cadre_code"] for p in posts} - own
        for post in posts:
            if post["cadre_code"] in own or post["end_date"] is not None:
                continue
            framework = next(
                g.framework for g in config.groups if g.code == groups[post["position_code"]]
            )
            expected = {
                c.code for c in config.frameworks[framework].criteria if c.source == "council"
            }
            assert {
                r["criterion_code"] for r in rows if r["cadre_code"] == post["cadre_code"]
            } == expected


def test_council_scores_are_half_points_within_range_except_the_fault(
    small: tuple[Path, dict], config: CycleConfig
) -> None:
    data_dir, manifest = small
    points = {c.code: c.points for fw in config.frameworks.values() for c in fw.criteria}
    (bad,) = _fault(manifest, 2)
    for f in _files(manifest, "council_scores"):
        rows = _records(data_dir / f["path"], "council_scores")
        assert all((r["score"] * 2) % 1 == 0 for r in rows)
        out = [r for r in rows if not 0 <= r["score"] <= points[r["criterion_code"]]]
        if f["path"] == bad["file"]:
            assert sorted(r["score"] for r in out) == [-1, points[out[1]["criterion_code"]] + 2.5]
        else:
            assert out == []


def test_the_five_faults_are_in_the_manifest(small: tuple[Path, dict], config: CycleConfig) -> None:
    data_dir, manifest = small
    expected = {1: "quarantined", 2: "quarantined", 3: "missing", 4: "late", 5: "normalised"}
    assert {f["id"]: f["expected"] for f in manifest["faults"]} == expected
    for f in manifest["faults"]:
        assert {"file", "unit", "kind", "what", "expected"} <= set(f)
        assert (f["file"] is None) == (f["expected"] == "missing")

    (wrong,) = _fault(manifest, 1)
    rows = _records(data_dir / wrong["file"], wrong["kind"])
    cadres = {c["cadre_code"] for c in _reference(data_dir, manifest, "cadres")}
    registered = {
        r["task_code"]
        for f in _files(manifest, "task_register")
        for r in _records(data_dir / f["path"], "task_register")
    }
    assert [r["cadre_code"] for r in rows if r["cadre_code"] not in cadres] == ["CB9999"]
    assert len([r for r in rows if r["task_code"] not in registered]) == 1

    missing = _fault(manifest, 3)
    unit = missing[0]["unit"]
    assert {m["kind"] for m in missing} == {
        "task_register",
        "quarterly_progress",
        "self_assessment",
        "collective",
    }
    assert not (data_dir / "inbox" / unit).exists()
    assert not [f for f in manifest["files"] if f["unit"] == unit]
    assert unit in {p["unit_code"] for p in _reference(data_dir, manifest, "posts")}

    (late,) = _fault(manifest, 4)
    due = config.deadlines.due(late["kind"], late["scope"])
    received = dt.datetime.fromtimestamp((data_dir / late["file"]).stat().st_mtime, VN_TZ)
    assert (received.date() - due).days == 5


def test_files_arrive_before_their_deadline_at_office_hours(
    small: tuple[Path, dict], config: CycleConfig
) -> None:
    data_dir, manifest = small
    (late,) = _fault(manifest, 4)
    for f in manifest["files"]:
        received = dt.datetime.fromtimestamp((data_dir / f["path"]).stat().st_mtime, VN_TZ)
        assert received.isoformat() == f["received"]
        assert 8 <= received.hour <= 17
        if f["path"] != late["file"]:
            assert 1 <= (config.deadlines.due(f["kind"], f["scope"]) - received.date()).days <= 10


def test_each_file_names_its_unit_kind_and_scope(
    small: tuple[Path, dict], config: CycleConfig
) -> None:
    data_dir, manifest = small
    for f in manifest["files"]:
        headers, _, meta = _cells(data_dir / f["path"])
        assert headers == [c.header for c in KINDS[f["kind"]].columns]
        assert (meta["ma_don_vi"], meta["loai_bieu_mau"], meta["ky"], meta["nam"]) == (
            f["unit"],
            f["kind"],
            f["scope"],
            config.cycle,
        )
        assert Path(f["path"]).parts[:2] == ("inbox", f["unit"])


def test_strings_are_nfc_except_the_decomposed_fault(small: tuple[Path, dict]) -> None:
    data_dir, manifest = small
    (nfd,) = _fault(manifest, 5)
    for f in manifest["files"]:
        wb = openpyxl.load_workbook(data_dir / f["path"], read_only=True)
        texts = [
            v
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
            for v in row
            if isinstance(v, str)
        ]
        wb.close()
        not_nfc = [t for t in texts if unicodedata.normalize("NFC", t) != t]
        if f["path"] == nfd["file"]:
            title = texts[0]  # the first string of the data sheet is its title
            assert title in not_nfc and len(not_nfc) >= 2
        else:
            assert not_nfc == [], f["path"]
    text = (data_dir / "sample_manifest.json").read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text


def test_tasks_are_consistent_across_register_progress_and_self_assessment(
    small: tuple[Path, dict], config: CycleConfig
) -> None:
    data_dir, manifest = small
    (wrong,) = _fault(manifest, 1)
    register = {
        r["task_code"]: r
        for f in _files(manifest, "task_register")
        for r in _records(data_dir / f["path"], "task_register")
    }
    assert len(register) == sum(f["rows"] for f in _files(manifest, "task_register"))
    progress: dict[str, list[float]] = {}
    for q in ("Q1", "Q2", "Q3"):
        for f in (f for f in _files(manifest, "quarterly_progress") if f["scope"] == q):
            for r in _records(data_dir / f["path"], "quarterly_progress"):
                progress.setdefault(r["task_code"], []).append(r["achieved"])
    for f in _files(manifest, "self_assessment"):
        if f["path"] == wrong["file"]:
            continue
        rows = _records(data_dir / f["path"], "self_assessment")
        levels: dict[str, set[str]] = {}
        for r in rows:
            levels.setdefault(r["cadre_code"], set()).add(r["proposed_level"])
        assert all(len(v) == 1 for v in levels.values())
        for r in rows:
            task = register[r["task_code"]]
            assert task["cadre_code"] == r["cadre_code"]
            assert progress[r["task_code"]] == sorted(progress[r["task_code"]])
            assert progress[r["task_code"]][-1] <= r["achieved"]
            base = task["milestone"] if task["long_term"] == YES else task["target"]
            assert (r["completed"] == YES) == (r["achieved"] >= base)
            assert task["deadline"].year == config.cycle and task["target"] > 0
            if task["long_term"] == YES:
                assert task["milestone"] < task["target"]
    assert {r["origin"] for r in register.values()} == {"Cam kết", "Được giao"}
    assert all(
        r["completed"] in (YES, NO)
        for f in _files(manifest, "self_assessment")
        for r in _records(data_dir / f["path"], "self_assessment")
    )


def test_weak_units_complete_under_70_percent(small: tuple[Path, dict]) -> None:
    data_dir, manifest = small
    for unit in manifest["specials"]["weak_units"]:
        (f,) = [f for f in _files(manifest, "collective") if f["unit"] == unit]
        (row,) = _records(data_dir / f["path"], "collective")
        assert row["completed_tasks"] / row["planned_tasks"] < 0.7


def test_reference_cases_for_the_rules(small: tuple[Path, dict], config: CycleConfig) -> None:
    data_dir, manifest = small
    specials = manifest["specials"]
    discipline = _reference(data_dir, manifest, "discipline")
    assert [d["cadre_code"] for d in discipline] == specials["disciplined"]
    assert {d["measure"] for d in discipline} == {"Khiển trách"}
    votes = {v["cadre_code"]: v for v in _reference(data_dir, manifest, "confidence_votes")}
    assert len(votes) == manifest["cadre_count"]
    low = [c for c, v in votes.items() if v["votes_low"] > v["votes_total"] / 2]
    assert low == [specials["low_confidence"]]
    previous = _reference(data_dir, manifest, "previous_levels")
    assert Counter(p["group_code"] for p in previous) == {g.code: 4 for g in config.groups}
    assert all(p["count"] >= 0 for p in previous)


def test_same_seed_gives_identical_files(
    tmp_path: Path, small: tuple[Path, dict], config: CycleConfig
) -> None:
    data_dir, manifest = small
    again = generate_province(tmp_path, config, size="small", seed=7)
    assert again == manifest
    for f in manifest["files"]:
        first, second = data_dir / f["path"], tmp_path / f["path"]
        assert hashlib.sha256(second.read_bytes()).hexdigest() == f["sha256"]
        assert hashlib.sha256(first.read_bytes()).hexdigest() == f["sha256"]
        assert first.stat().st_mtime == second.stat().st_mtime
    listing = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.xlsx"))
    assert listing == sorted(f["path"] for f in manifest["files"])
    written = json.loads((tmp_path / "sample_manifest.json").read_text(encoding="utf-8"))
    assert written == manifest


def test_another_seed_gives_another_province(
    tmp_path: Path, small: tuple[Path, dict], config: CycleConfig
) -> None:
    _, manifest = small
    other = generate_province(tmp_path, config, size="small", seed=8)
    assert {f["sha256"] for f in other["files"]} != {f["sha256"] for f in manifest["files"]}


def test_without_faults_every_unit_sends_everything(tmp_path: Path, config: CycleConfig) -> None:
    manifest = generate_province(tmp_path, config, size="small", seed=7, faults=False)
    assert manifest["faults"] == []
    evaluated = [u["code"] for u in manifest["units"] if u["kind"] not in ("XA", "TINH")]
    sent = Counter(
        f["unit"]
        for f in manifest["files"]
        if f["kind"] in ("task_register", "quarterly_progress", "self_assessment", "collective")
    )
    assert sent == dict.fromkeys(evaluated, 6)


def test_generating_again_replaces_only_the_previous_sample(
    tmp_path: Path, config: CycleConfig
) -> None:
    generate_province(tmp_path, config, size="small", seed=7)
    own = tmp_path / "inbox" / "S01" / "ban_sao_cua_don_vi.xlsx"
    own.write_bytes(b"not ours")
    fewer = dataclasses.replace(SIZES["small"], communes=10)
    manifest = generate_province(tmp_path, config, size=fewer, seed=7)
    listing = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.xlsx")}
    assert listing == {f["path"] for f in manifest["files"]} | {"inbox/S01/ban_sao_cua_don_vi.xlsx"}
    assert not (tmp_path / "inbox" / "X011").exists()


def test_sizes_are_validated() -> None:
    with pytest.raises(ValueError):
        ProvinceSize(
            districts=2,
            departments=3,
            mass_orgs=1,
            party_boards=1,
            central_agencies=1,
            communes=1,
            deputies_per_unit=(1, 2),
            council_members=3,
            double_monitors=0,
        )
    assert {"sample", "small", "M"} <= set(SIZES)


# --- size L and CSV output ------------------------------------------------------------------
def test_size_l_is_m_scaled_fifty_times() -> None:
    m, big = SIZES["M"], SIZES["L"]
    for name in ("districts", "departments", "mass_orgs", "party_boards", "central_agencies"):
        assert getattr(big, name) == 50 * getattr(m, name), name
    assert big.communes == 50 * m.communes
    assert big.deputies_per_unit == m.deputies_per_unit  # the same units, more of them
    assert big.council_members == m.council_members  # one council scores everyone
    units = sum(getattr(big, n) for n in ("districts", "departments", "mass_orgs"))
    units += big.party_boards + big.central_agencies
    low, high = big.deputies_per_unit
    assert 90_000 < units * (1 + (low + high) / 2) < 110_000  # about 100,000 cadres


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory: pytest.TempPathFactory, config: CycleConfig) -> tuple[Path, dict]:
    data_dir = tmp_path_factory.mktemp("small-csv")
    return data_dir, generate_province(data_dir, config, size="small", seed=7, fmt="csv")


def test_csv_province_has_the_same_files_as_csv(
    small: tuple[Path, dict], small_csv: tuple[Path, dict]
) -> None:
    (_, xlsx), (data_dir, csv_) = small, small_csv
    assert csv_["format"] == "csv" and xlsx["format"] == "xlsx"
    assert [f["path"].removesuffix(".csv") for f in csv_["files"]] == [
        f["path"].removesuffix(".xlsx") for f in xlsx["files"]
    ]
    assert csv_["cadres"] == xlsx["cadres"] and csv_["specials"] == xlsx["specials"]
    for f in csv_["files"]:
        text = (data_dir / f["path"]).read_text(encoding="utf-8")
        assert text.startswith(f"#ma_don_vi={f['unit']}\n#loai_bieu_mau={f['kind']}\n")
        assert unicodedata.is_normalized("NFC", text) or f["kind"] == "commune_forms"


def _collected(data_dir: Path, config: CycleConfig) -> tuple[list, dict[str, list]]:
    from danhgia.intake.collect import collect
    from danhgia.intake.storage import LocalStore
    from danhgia.warehouse import connect

    con = connect(data_dir / "warehouse.duckdb")
    try:
        outcomes = collect(con, data_dir / "inbox", LocalStore(data_dir / "store"), config)
        rows = {}
        for kind in KINDS:  # the values loaded, whatever file and line they came from
            names = ", ".join(KINDS[kind].column_names)
            got = con.execute(f"select {names} from cur_{kind} order by all").fetchall()
            rows[kind] = got
    finally:
        con.close()
    return outcomes, rows


def test_csv_province_reads_back_as_the_workbooks_do(
    tmp_path: Path, config: CycleConfig, small: tuple[Path, dict], small_csv: tuple[Path, dict]
) -> None:
    import shutil

    results = []
    for (source, manifest), name in ((small, "xlsx"), (small_csv, "csv")):
        root = tmp_path / name
        shutil.copytree(source / "inbox", root / "inbox", copy_function=shutil.copy2)
        outcomes, rows = _collected(root, config)
        by_file = {o.file_name: o for o in outcomes}
        for fault in manifest["faults"]:
            if fault["file"] is None:
                continue
            outcome = by_file[fault["file"].split("/")[-1]]
            expected = {"late": "loaded", "normalised": "loaded"}.get(fault["expected"])
            assert outcome.status == (expected or fault["expected"]), fault
            if fault["expected"] == "normalised":
                assert "unicode_nfc" in {f.rule for f in outcome.findings}
        refused = sum(o.status == "quarantined" for o in outcomes)
        assert refused == sum(f["expected"] == "quarantined" for f in manifest["faults"])
        assert len(outcomes) == len(manifest["files"])
        results.append(rows)
    assert results[0] == results[1]


def test_names_and_places_go_on_past_their_pools(monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    from danhgia.sample import generator as g

    places = g._place_names(random.Random(1), 5000, g.N.DISTRICT_NAMES)
    assert len(set(places)) == 5000
    assert {len(p.split()) for p in places} == {2, 3}
    monkeypatch.setattr(g.N, "EXTRA_SURNAMES", ("Lý",))
    monkeypatch.setattr(g.N, "EXTRA_MALE_GIVEN", ("Hùng", "Cường"))
    namer = g._Namer(7)
    monkeypatch.setattr(namer._fake, "last_name", lambda: "Lý")
    monkeypatch.setattr(namer._fake, "first_name_male", lambda: "Hùng")
    names = [namer.full_name(g.N.GENDER_MALE) for _ in range(200)]  # 36 three-word names
    assert len(set(names)) == 200
    assert all(len(set(n.split())) == len(n.split()) for n in names if len(n.split()) == 4)
    assert {len(n.split()) for n in names} == {3, 4}
