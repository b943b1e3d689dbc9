"""A deterministic, fictional province whose units send every submission of one cycle.

The pipeline needs realistic input to be developed, tested and demonstrated without real
personnel data. ``generate_province`` builds the province in memory (units, cadres, tasks and
their outcomes), then writes each submission as the unit would send it: one ``.xlsx`` per
unit, kind and period in ``inbox/<UNIT>/``, with a "received" modification time. A handful
of deliberate faults exercise quarantine, lateness, missing submissions and Unicode
normalisation; the returned manifest says what each test should expect.

The same seed gives byte-identical files: every random draw comes from ``random.Random``
instances or a Faker instance seeded from the seed, and the workbook's own timestamps (in
``docProps/core.xml`` and the zip entries) are set to the file's received time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import math
import os
import random
import unicodedata
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from faker import Faker
from openpyxl import Workbook
from openpyxl.xml.constants import ARC_CORE
from openpyxl.xml.functions import tostring

from danhgia.cycle_config import CycleConfig
from danhgia.kinds import ANNUAL, KINDS, QUARTERS
from danhgia.sample import names as N
from danhgia.workbook import FIRST_DATA_ROW, TITLE_ROW, build_workbook, submission_csv

VN_TZ = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")  # no daylight saving
MANIFEST_NAME = "sample_manifest.json"

EXCELLENT, GOOD, LATE, WEAK = "excellent", "good", "late", "weak"
PROFILE_WEIGHTS = ((EXCELLENT, 36), (GOOD, 55), (LATE, 6), (WEAK, 3))

#: Head and deputy position codes of each unit kind; checked against the cycle's groups.
KIND_POSITIONS = MappingProxyType(
    {
        "HUYEN": ("BT_HUYEN", "PBT_HUYEN"),
        "SO": ("GD_SO", "PGD_SO"),
        "DOANTHE": ("CT_DOANTHE", "PCT_DOANTHE"),
        "BANDANG": ("TB_BANDANG", "PTB_BANDANG"),
        "NGANHDOC": ("TT_NGANHDOC", "PTT_NGANHDOC"),
    }
)
UNIT_PREFIX = MappingProxyType(
    {"HUYEN": "H", "SO": "S", "DOANTHE": "DT", "BANDANG": "BD", "NGANHDOC": "ND"}
)
FILE_NAMES = MappingProxyType(
    {
        "units": "DanhMucDonVi_{cycle}.xlsx",
        "cadres": "DanhSachCanBo_{cycle}.xlsx",
        "posts": "ChucVuCanBo_{cycle}.xlsx",
        "council_members": "ThanhVienHoiDong_{cycle}.xlsx",
        "monitoring": "PhanCongTheoDoiXa_{cycle}.xlsx",
        "discipline": "KyLuat_{cycle}.xlsx",
        "confidence_votes": "LayPhieuTinNhiem_{cycle}.xlsx",
        "previous_levels": "KetQuaXepLoai_{previous}.xlsx",
        "task_register": "DangKyNhiemVu_{unit}_{cycle}.xlsx",
        "quarterly_progress": "TienDo_{scope}_{unit}.xlsx",
        "self_assessment": "TuDanhGia_{unit}_{cycle}.xlsx",
        "collective": "XepLoaiTapThe_{unit}_{cycle}.xlsx",
        "council_scores": "PhieuChamDiem_{scope}.xlsx",
        "commune_forms": "PhieuNhanXet_{unit}_{cycle}.xlsx",
    }
)
UNIT_KINDS_SENDING = ("task_register", "quarterly_progress", "self_assessment", "collective")
UNKNOWN_CADRE = "CB9999"
LATE_FILE_DAYS = 5


@dataclass(frozen=True)
class ProvinceSize:
    """How big a province to generate.

    ``deputies_per_unit`` is the (min, max) number of deputies of each non-commune unit;
    ``double_monitors`` cadres monitor two communes, every other commune gets its own cadre;
    ``transfers`` deputies move to another unit on 1 July; ``weak_units`` complete under 70%
    of their planned tasks; ``disciplined`` cadres get a reprimand during the year.
    """

    districts: int
    departments: int
    mass_orgs: int
    party_boards: int
    central_agencies: int
    communes: int
    deputies_per_unit: tuple[int, int]
    council_members: int
    double_monitors: int
    transfers: int = 1
    weak_units: int = 1
    disciplined: int = 1

    def __post_init__(self) -> None:
        if min(self.districts, self.departments) < 1 or self.departments < 3:
            raise ValueError("a province needs at least 1 district and 3 departments")
        if self.communes < self.districts:
            raise ValueError("every district needs at least one commune")
        low, high = self.deputies_per_unit
        if not 1 <= low <= high:
            raise ValueError("deputies_per_unit must be (min, max) with 1 <= min <= max")
        if self.council_members < 2:
            raise ValueError("the council needs at least 2 members")


SIZES: dict[str, ProvinceSize] = {
    "sample": ProvinceSize(
        districts=9,
        departments=20,
        mass_orgs=6,
        party_boards=5,
        central_agencies=4,
        communes=151,
        deputies_per_unit=(3, 6),
        council_members=8,
        double_monitors=10,
        transfers=3,
        weak_units=2,
        disciplined=2,
    ),
    "small": ProvinceSize(
        districts=2,
        departments=3,
        mass_orgs=1,
        party_boards=1,
        central_agencies=1,
        communes=12,
        deputies_per_unit=(1, 3),
        council_members=5,
        double_monitors=2,
    ),
    "M": ProvinceSize(
        districts=250,
        departments=20,
        mass_orgs=6,
        party_boards=5,
        central_agencies=4,
        communes=1800,
        deputies_per_unit=(4, 8),
        council_members=9,
        double_monitors=100,
        transfers=12,
        weak_units=6,
        disciplined=6,
    ),
    # M scaled fifty times (about 100,000 evaluated cadres, 90,000 communes, 176,000 files):
    # the national-scale target of issue #7. Write it as CSV (``fmt="csv"``): openpyxl
    # would take hours over that many workbooks.
    "L": ProvinceSize(
        districts=12_500,
        departments=1_000,
        mass_orgs=300,
        party_boards=250,
        central_agencies=200,
        communes=90_000,
        deputies_per_unit=(4, 8),
        council_members=9,
        double_monitors=5_000,
        transfers=600,
        weak_units=300,
        disciplined=300,
    ),
}
FORMATS = ("xlsx", "csv")


# --- the province in memory -------------------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str
    parent: str | None
    head_title: str = ""
    deputy_title: str = ""
    tasks: tuple[N.TaskTemplate, ...] = ()


@dataclass
class Cadre:
    code: str
    full_name: str
    gender: str
    birth_year: int
    months_off: float | None = None
    profile: str = GOOD
    quality: float = 0.9  # how well the council and the communes judge this cadre


@dataclass(frozen=True)
class Post:
    cadre_code: str
    unit_code: str
    position_code: str
    position_title: str
    is_head: bool
    start_date: dt.date
    end_date: dt.date | None = None


@dataclass
class Task:
    code: str
    cadre_code: str
    origin: str
    content: str
    measure_unit: str
    target: float
    deadline: dt.date
    weight: float
    long_term: bool
    milestone: float | None
    decimals: int
    achieved: float = 0.0
    completed: bool = True
    completed_on: dt.date | None = None
    outcome: str = "met"  # met | exceeded | late | incomplete
    progress: tuple[float, ...] = ()


@dataclass(frozen=True)
class Member:
    code: str
    full_name: str
    unit_code: str
    bias: float


@dataclass
class Province:
    cycle: int
    units: list[Unit]
    cadres: list[Cadre] = field(default_factory=list)
    posts_by_cadre: dict[str, list[Post]] = field(default_factory=dict)
    tasks_by_cadre: dict[str, list[Task]] = field(default_factory=dict)
    members: list[Member] = field(default_factory=list)
    monitoring: list[tuple[str, str]] = field(default_factory=list)
    discipline: list[dict[str, Any]] = field(default_factory=list)
    votes: list[dict[str, Any]] = field(default_factory=list)
    previous: list[dict[str, Any]] = field(default_factory=list)
    proposed_level: dict[str, str] = field(default_factory=dict)
    specials: dict[str, Any] = field(default_factory=dict)
    _units: dict[str, Unit] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._units = {u.code: u for u in self.units}

    def unit(self, code: str) -> Unit:
        return self._units[code]

    @property
    def posts(self) -> list[Post]:
        return [x for c in self.cadres for x in self.posts_by_cadre[c.code]]

    @property
    def tasks(self) -> list[Task]:
        return [t for c in self.cadres for t in self.tasks_by_cadre.get(c.code, [])]

    def posts_of(self, cadre_code: str) -> list[Post]:
        return self.posts_by_cadre[cadre_code]

    def post_at(self, cadre_code: str, day: dt.date) -> Post | None:
        """The post a cadre holds on a day: who reports for him or her then."""
        for p in self.posts_of(cadre_code):
            if p.start_date <= day and (p.end_date is None or day <= p.end_date):
                return p
        return None

    def year_end_post(self, cadre_code: str) -> Post:
        return self.posts_of(cadre_code)[-1]

    # Lookups for writing the files, built on first use once the province is complete (a
    # province of 100,000 cadres cannot be scanned once per unit or per commune).
    @cached_property
    def profile_of(self) -> dict[str, str]:
        return {c.code: c.profile for c in self.cadres}

    @cached_property
    def children(self) -> Counter[str]:
        return Counter(u.parent for u in self.units if u.parent is not None)

    @cached_property
    def staff_of(self) -> dict[str, set[str]]:
        """Every cadre who held a post in each unit during the year."""
        out: dict[str, set[str]] = defaultdict(set)
        for x in self.posts:
            out[x.unit_code].add(x.cadre_code)
        return out

    @cached_property
    def head_of(self) -> dict[str, str]:
        """Each unit's head (the first head's post listed for it)."""
        out: dict[str, str] = {}
        for x in self.posts:
            if x.is_head:
                out.setdefault(x.unit_code, x.cadre_code)
        return out


# --- names --------------------------------------------------------------------------------------
#: Tries of a three-word name before a four-word one: the three-word names run out at some
#: 50,000 people (size L has 100,000), long before a smaller province comes near.
LONGER_NAMES_AFTER = 20


class _Namer:
    """Unique, NFC, Vietnamese-order full names drawn from a seeded Faker.

    Faker's own ``vi_VN`` ``name()`` puts the given name first and adds honorifics ("Quý ông
    Châu Bùi"), so names are composed from its pools (and a few more) in Vietnamese order.
    """

    def __init__(self, seed: int) -> None:
        self._fake = Faker("vi_VN")
        self._fake.seed_instance(seed)
        self._used: set[str] = set()
        self._famous = {_fold(n) for n in N.FAMOUS_NAMES}

    def full_name(self, gender: str) -> str:
        for attempt in range(1000):
            longer = attempt >= LONGER_NAMES_AFTER
            name = unicodedata.normalize("NFC", self._compose(gender, longer))
            words = name.split()
            repeated = words[-1] in words[:-1]  # "Hoàng Duy Hoàng", "Mai Tiến Tiến"
            if longer:
                repeated = len(set(words)) < len(words)
            if not repeated and name not in self._used and _fold(name) not in self._famous:
                self._used.add(name)
                return name
        raise RuntimeError("ran out of distinct names")

    def _compose(self, gender: str, longer: bool = False) -> str:
        f = self._fake
        surname = f.last_name() if f.random.random() < 0.5 else f.random_element(N.EXTRA_SURNAMES)
        if gender == N.GENDER_FEMALE:
            given = (
                f.first_name_female()
                if f.random.random() < 0.4
                else f.random_element(N.EXTRA_FEMALE_GIVEN)
            )
            middle = f.random_element(N.FEMALE_MIDDLE)
            if middle == "Thị" and f.random.random() < 0.3:
                middle += " " + f.random_element(N.FEMALE_MIDDLE[3:])
        else:
            given = (
                f.first_name_male()
                if f.random.random() < 0.4
                else f.random_element(N.EXTRA_MALE_GIVEN)
            )
            middle = f.random_element(N.MALE_MIDDLE)
        if longer:  # a second middle name, as many Vietnamese names have
            pool = N.FEMALE_MIDDLE[3:] if gender == N.GENDER_FEMALE else N.MALE_MIDDLE
            middle += " " + f.random_element(pool)
        return f"{surname} {middle} {given}"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


# --- units --------------------------------------------------------------------------------------
def _code(prefix: str, i: int, n: int, width: int = 2) -> str:
    return f"{prefix}{i:0{max(width, len(str(n)))}d}"


def _take(templates: tuple[N.UnitTemplate, ...], n: int) -> list[N.UnitTemplate]:
    """The first n templates; past the list's end, repeats named by their round ("(2)")."""
    out = []
    for i in range(n):
        t = templates[i % len(templates)]
        rnd = i // len(templates)
        out.append(t._replace(name=f"{t.name} ({rnd + 1})") if rnd else t)
    return out


def _endless_place_names(rng: random.Random, exclude: Iterable[str]) -> Iterator[str]:
    """Invented place names, all distinct until the pool runs out, then reshuffled (real
    provinces repeat commune names too; within one district they stay distinct)."""
    taken = set(exclude)
    every = [f"{a} {b}" for a in N.PLACE_FIRST for b in N.PLACE_SECOND if a != b]
    pool = [p for p in every if p not in taken] or every  # size L's districts take them all
    while True:
        rng.shuffle(pool)
        yield from pool


def _place_names(rng: random.Random, n: int, exclude: Iterable[str]) -> list[str]:
    """n distinct invented place names: two syllables, then three once those run out (the
    12,000 districts of size L)."""
    taken = set(exclude)
    pool = [f"{a} {b}" for a in N.PLACE_FIRST for b in N.PLACE_SECOND if a != b]
    rng.shuffle(pool)
    names = [p for p in pool if p not in taken][:n]
    if len(names) < n:
        longer = [
            f"{a} {b} {c}"
            for a in N.PLACE_FIRST
            for b in N.PLACE_SECOND
            for c in N.PLACE_SECOND
            if len({a, b, c}) == 3
        ]
        rng.shuffle(longer)
        names += [p for p in longer if p not in taken][: n - len(names)]
    if len(names) < n:
        raise ValueError(f"cannot invent {n} distinct place names")
    return names


def _build_units(size: ProvinceSize, config: CycleConfig, rng: random.Random) -> list[Unit]:
    board = config.province.board_unit_code
    units = [Unit(board, f"{N.BOARD_UNIT_PREFIX} {config.province.name}", "TINH", None)]
    extra = max(0, size.districts - len(N.DISTRICT_NAMES))
    cores = list(N.DISTRICT_NAMES[: size.districts]) + _place_names(rng, extra, N.DISTRICT_NAMES)
    districts = []
    for i, core in enumerate(cores, start=1):
        city = (i - 1) % N.CITY_EVERY == 0
        committee = "Thành ủy" if city else "Huyện ủy"
        name = f"{'Thành phố' if city else 'Huyện'} {core}"
        districts.append(
            Unit(
                _code("H", i, size.districts),
                name,
                "HUYEN",
                board,
                f"Bí thư {committee}",
                f"Phó Bí thư {committee}",
                N.TASKS_BY_KIND["HUYEN"],
            )
        )
    units += districts
    for kind, templates, n in (
        ("SO", N.DEPARTMENTS, size.departments),
        ("DOANTHE", N.MASS_ORGS, size.mass_orgs),
        ("BANDANG", N.PARTY_BOARDS, size.party_boards),
        ("NGANHDOC", N.CENTRAL_AGENCIES, size.central_agencies),
    ):
        for i, t in enumerate(_take(templates, n), start=1):
            units.append(
                Unit(
                    _code(UNIT_PREFIX[kind], i, n),
                    t.name,
                    kind,
                    board,
                    t.head_title,
                    t.deputy_title,
                    t.tasks + N.TASKS_BY_KIND[kind],
                )
            )
    units += _build_communes(size, districts, cores, rng)
    return units


def _build_communes(
    size: ProvinceSize, districts: list[Unit], cores: list[str], rng: random.Random
) -> list[Unit]:
    """Communes spread evenly over the districts."""
    base, extra = divmod(size.communes, len(districts))
    names = _endless_place_names(rng, cores)
    communes: list[Unit] = []
    for d_index, (district, core) in enumerate(zip(districts, cores, strict=True)):
        used = {core}
        for j in range(base + (d_index < extra)):
            place = next(p for p in names if p not in used)
            used.add(place)
            name = _commune_name(district, core, place, j, base + (d_index < extra))
            code = _code("X", len(communes) + 1, size.communes, width=3)
            communes.append(Unit(code, name, "XA", district.code))
    return communes


def _commune_name(district: Unit, core: str, place: str, j: int, n: int) -> str:
    """Mostly wards in a city; one town per rural district, named after it as district seats
    usually are; communes elsewhere."""
    if district.name.startswith("Thành phố"):
        return f"{'Phường' if j < max(1, round(n * 0.6)) else 'Xã'} {place}"
    return f"Thị trấn {core}" if j == 0 else f"Xã {place}"


def _evaluated_units(units: list[Unit]) -> list[Unit]:
    return [u for u in units if u.kind in KIND_POSITIONS]


def _check_positions(config: CycleConfig) -> None:
    """Fail early if the cycle's groups lack a position code the generator hands out."""
    known = config.group_of_position()
    missing = sorted({c for pair in KIND_POSITIONS.values() for c in pair} - set(known))
    if missing:
        raise ValueError(f"cycle config has no group for position codes: {', '.join(missing)}")


# --- cadres and posts ---------------------------------------------------------------------------
def _build_people(p: Province, size: ProvinceSize, rng: random.Random, namer: _Namer) -> None:
    start = dt.date(p.cycle, 1, 1)
    for unit in _evaluated_units(p.units):
        head_code, deputy_code = KIND_POSITIONS[unit.kind]
        n_deputies = rng.randint(*size.deputies_per_unit)
        for k in range(1 + n_deputies):
            is_head = k == 0
            female = "Phụ nữ" in unit.name or rng.random() < (0.15 if is_head else 0.25)
            gender = N.GENDER_FEMALE if female else N.GENDER_MALE
            code = f"CB{len(p.cadres) + 1:04d}"
            birth = rng.randint(1966, 1978) if is_head else rng.randint(1968, 1986)
            p.cadres.append(Cadre(code, namer.full_name(gender), gender, birth))
            p.posts_by_cadre[code] = [
                Post(
                    code,
                    unit.code,
                    head_code if is_head else deputy_code,
                    unit.head_title if is_head else unit.deputy_title,
                    is_head,
                    start,
                )
            ]


def _deputies(p: Province, unit_codes: Iterable[str]) -> list[str]:
    wanted = set(unit_codes)
    return [x.cadre_code for x in p.posts if not x.is_head and x.unit_code in wanted]


def _choose_specials(p: Province, size: ProvinceSize, rng: random.Random) -> None:
    """Pick who carries each special case, so no two cases blur each other."""
    evaluated = [u.code for u in _evaluated_units(p.units)]
    if len(evaluated) < size.weak_units + 3:
        raise ValueError("too few units for the weak units and the faults; use a larger size")
    weak = sorted(rng.sample(evaluated, size.weak_units))
    departments = [u.code for u in p.units if u.kind == "SO" and u.code not in weak]
    missing = rng.choice(departments)
    rest = [c for c in evaluated if c not in weak and c != missing]
    wrong_codes, late_file = rng.sample(rest, 2)
    plain = [c for c in rest if c not in (wrong_codes, late_file)]
    pool = _deputies(p, plain)
    if len(pool) < size.transfers + size.disciplined + 3 or len(plain) < 2:
        raise ValueError("too few units or deputies for the special cases; use a larger size")
    rng.shuffle(pool)
    chosen = iter(pool)
    transfers = [next(chosen) for _ in range(size.transfers)]
    heads = {x.unit_code: x.cadre_code for x in p.posts if x.is_head}
    disciplined = [next(chosen)] + [heads[u] for u in weak][: size.disciplined - 1]
    disciplined += [next(chosen) for _ in range(size.disciplined - len(disciplined))]
    p.specials = {
        "weak_units": weak,
        "missing_unit": missing,
        "wrong_codes_unit": wrong_codes,
        "late_file_unit": late_file,
        "transfers": _move(p, transfers, plain, rng),
        "under_six_months": next(chosen),
        "months_off": next(chosen),
        "low_confidence": next(chosen),
        "disciplined": disciplined,
    }
    _apply_time_in_post(p)


def _move(
    p: Province, cadre_codes: list[str], units: list[str], rng: random.Random
) -> list[dict[str, str]]:
    """Transfer each cadre on 1 July to a deputy post in another unit."""
    moved_on = dt.date(p.cycle, 7, 1)
    out = []
    for code in cadre_codes:
        old = p.posts_of(code)[0]
        new_unit = p.unit(rng.choice([u for u in units if u != old.unit_code]))
        p.posts_by_cadre[code] = [
            Post(
                code,
                old.unit_code,
                old.position_code,
                old.position_title,
                False,
                old.start_date,
                moved_on - dt.timedelta(days=1),
            ),
            Post(
                code,
                new_unit.code,
                KIND_POSITIONS[new_unit.kind][1],
                new_unit.deputy_title,
                False,
                moved_on,
            ),
        ]
        out.append(
            {
                "cadre_code": code,
                "from_unit": old.unit_code,
                "to_unit": new_unit.code,
                "on": moved_on.isoformat(),
            }
        )
    return out


def _apply_time_in_post(p: Province) -> None:
    late_start = p.specials["under_six_months"]
    p.posts_by_cadre[late_start] = [
        dataclasses.replace(x, start_date=dt.date(p.cycle, 8, 1)) for x in p.posts_of(late_start)
    ]
    cadre = next(c for c in p.cadres if c.code == p.specials["months_off"])
    cadre.months_off = 4.0


def _assign_profiles(p: Province, rng: random.Random) -> None:
    """How well each cadre does this year; weak units drag all their cadres down."""
    weak_units = set(p.specials["weak_units"])
    profiles, weights = zip(*PROFILE_WEIGHTS, strict=True)
    ranges = {EXCELLENT: (0.93, 1.0), GOOD: (0.85, 0.96), LATE: (0.8, 0.92), WEAK: (0.66, 0.84)}
    for c in p.cadres:
        in_weak = p.posts_of(c.code)[0].unit_code in weak_units
        c.profile = WEAK if in_weak else rng.choices(profiles, weights)[0]
        c.quality = rng.uniform(*ranges[c.profile])


# --- tasks --------------------------------------------------------------------------------------
def _nice(value: float, decimals: int) -> float:
    """A target as a plan would state it: round hundreds to tens, thousands to fifties."""
    if decimals:
        return round(value, decimals)
    step = 50 if value >= 2000 else 10 if value >= 200 else 1
    return float(max(1, round(value / step) * step))


def _build_tasks(p: Province, rng: random.Random) -> None:
    register_due = dt.date(p.cycle, 3, 31)
    counters: Counter[str] = Counter()
    deadlines = [dt.date(p.cycle, m, d) for m, d in ((3, 31), (6, 30), (9, 30), (10, 31), (11, 30))]
    for c in p.cadres:
        post = p.post_at(c.code, register_due)
        if post is None:  # appointed after the register was due: no tasks this year
            continue
        unit = p.unit(post.unit_code)
        n = rng.randint(12, 21) if post.is_head else rng.randint(5, 10)
        pool = list(dict.fromkeys(unit.tasks + N.COMMON_TASKS))
        templates = rng.sample(pool, min(n, len(pool)))
        long_term = post.is_head and unit.kind in ("HUYEN", "SO") and rng.random() < 0.4
        commitments = 3 if post.is_head else rng.randint(1, 2)
        mine = p.tasks_by_cadre.setdefault(c.code, [])
        for i, t in enumerate(templates):
            counters[unit.code] += 1
            lt = long_term and i == len(templates) - 1
            tpl = rng.choice(N.LONG_TERM_TASKS) if lt else t
            target = _nice(rng.uniform(tpl.low, tpl.high), tpl.decimals)
            milestone = round(target * rng.uniform(0.3, 0.45), tpl.decimals) if lt else None
            mine.append(
                Task(
                    code=f"NV-{unit.code}-{counters[unit.code]:03d}",
                    cadre_code=c.code,
                    origin=N.ORIGIN_COMMITMENT if i < commitments else N.ORIGIN_ASSIGNED,
                    content=tpl.content,
                    measure_unit=tpl.measure_unit,
                    target=target,
                    deadline=_deadline(tpl, lt, deadlines, rng),
                    weight=float(rng.randint(1, 3)),
                    long_term=lt,
                    milestone=milestone,
                    decimals=tpl.decimals,
                )
            )
        _decide_outcomes(p, mine, c.profile, unit.code in p.specials["weak_units"], rng)


def _deadline(
    tpl: N.TaskTemplate, long_term: bool, deadlines: list[dt.date], rng: random.Random
) -> dt.date:
    """Rates and money totals are measured late in the year; other tasks any quarter."""
    if long_term:
        return deadlines[-1]
    if tpl.measure_unit in N.YEAR_END_MEASURES:
        return rng.choice(deadlines[-3:])
    return rng.choices(deadlines, (1, 2, 3, 2, 3))[0]


def _outcome_counts(
    n: int, profile: str, weak_unit: bool, rng: random.Random
) -> tuple[int, int, int]:
    """(exceeded, late, incomplete) tasks for one cadre's profile."""
    if profile == EXCELLENT:
        return math.ceil(n * rng.uniform(0.35, 0.6)), 0, 0
    few = min(math.floor(n * rng.uniform(0, 0.25)), math.ceil(0.3 * n) - 1)
    if profile == GOOD:
        return few, 0, 0
    if profile == LATE:
        return few, rng.randint(1, 2), 0
    share = rng.uniform(0.35, 0.45) if weak_unit else rng.uniform(0.2, 0.35)
    return rng.randint(0, 1), rng.randint(0, 2), math.ceil(n * share)


def _decide_outcomes(
    p: Province, tasks: list[Task], profile: str, weak_unit: bool, rng: random.Random
) -> None:
    exceeded, late, incomplete = _outcome_counts(len(tasks), profile, weak_unit, rng)
    order = list(range(len(tasks)))
    rng.shuffle(order)
    outcomes = ["incomplete"] * incomplete + ["late"] * late + ["exceeded"] * exceeded
    outcomes += ["met"] * (len(tasks) - len(outcomes))
    latest = dt.date(p.cycle, 12, 5)  # nothing done after the self-assessment is written
    for i, outcome in zip(order, outcomes, strict=False):
        t = tasks[i]
        t.outcome = outcome
        base = t.milestone if t.long_term else t.target
        step = 10.0**-t.decimals
        if outcome == "incomplete":
            t.achieved = max(
                0.0,
                min(
                    round(base * rng.uniform(0.55, 0.92), t.decimals),
                    round(base - step, t.decimals),
                ),
            )
            t.completed, t.completed_on = False, None
        else:
            t.achieved = base
            if outcome == "exceeded":
                up = max(round(base * rng.uniform(1.05, 1.25), t.decimals), base + step)
                t.achieved = round(min(up, 100.0) if t.measure_unit == "%" else up, t.decimals)
            if outcome == "late":
                t.completed_on = min(t.deadline + dt.timedelta(days=rng.randint(5, 25)), latest)
            else:
                earliest = dt.date(p.cycle, 1, 20)
                t.completed_on = max(t.deadline - dt.timedelta(days=rng.randint(0, 40)), earliest)
            t.completed = True
        t.progress = _progress(p.cycle, t, rng)


def _progress(cycle: int, t: Task, rng: random.Random) -> tuple[float, ...]:
    """Cumulative achieved value at each quarter's end: non-decreasing, never above final."""
    start = dt.date(cycle, 1, 1)
    done = t.completed_on or dt.date(cycle, 12, 31)
    values: list[float] = []
    for month in (3, 6, 9):
        q_end = dt.date(cycle, month + 1, 1) - dt.timedelta(days=1)
        if t.completed_on and t.completed_on <= q_end:
            v = t.achieved
        else:
            share = min(0.95, (q_end - start).days / max(1, (done - start).days))
            v = round(t.achieved * share * rng.uniform(0.75, 1.0), t.decimals)
        values.append(min(t.achieved, max(v, values[-1] if values else 0.0)))
    return tuple(values)


def _propose_levels(p: Province, rng: random.Random) -> None:
    """Each cadre's self-proposed level: mostly honest, sometimes inflated ("nể nang")."""
    for c in p.cadres:
        if c.profile == EXCELLENT:
            level = "HTXSNV"
        elif c.profile == GOOD:
            level = "HTXSNV" if rng.random() < 0.3 else "HTTNV"
        elif c.profile == LATE:
            level = "HTTNV"
        else:
            level = "HTNV" if rng.random() < 0.6 else "HTTNV"
        p.proposed_level[c.code] = level


# --- council, monitoring, discipline, votes, previous levels --------------------------------------
def _build_council(p: Province, size: ProvinceSize, rng: random.Random, namer: _Namer) -> None:
    """The council: a board leader, then heads of party boards and of the first units."""
    heads = [x for x in p.posts if x.is_head]
    by_kind = {k: [x for x in heads if p.unit(x.unit_code).kind == k] for k in KIND_POSITIONS}
    board_deputies = [
        x
        for x in p.posts
        if not x.is_head and x.end_date is None and p.unit(x.unit_code).kind == "BANDANG"
    ]
    seats = (
        by_kind["BANDANG"]
        + by_kind["SO"][:1]
        + by_kind["DOANTHE"][:1]
        + board_deputies[:2]
        + by_kind["SO"][1:]
        + by_kind["HUYEN"]
    )
    names = {c.code: c.full_name for c in p.cadres}
    board = p.units[0].code
    members = [(namer.full_name(N.GENDER_MALE), board)]
    members += [(names[x.cadre_code], x.unit_code) for x in seats]
    if len(members) < size.council_members:
        raise ValueError(f"only {len(members)} people can sit on the council")
    for i, (name, unit_code) in enumerate(members[: size.council_members], start=1):
        p.members.append(Member(f"TV{i:02d}", name, unit_code, rng.uniform(-0.04, 0.02)))


def _build_monitoring(p: Province, size: ProvinceSize, rng: random.Random) -> None:
    """Every commune gets one monitoring cadre; a few cadres take two (seed 004)."""
    communes = [u.code for u in p.units if u.kind == "XA"]
    year_start = dt.date(p.cycle, 1, 1)
    eligible = [c.code for c in p.cadres if p.posts_of(c.code)[0].start_date == year_start]
    n_monitors = len(communes) - size.double_monitors
    if not 0 < n_monitors <= len(eligible) or size.double_monitors > n_monitors:
        raise ValueError(f"cannot cover {len(communes)} communes with {len(eligible)} cadres")
    monitors = sorted(rng.sample(eligible, n_monitors))
    rng.shuffle(communes)
    slots = [m for m in monitors[: size.double_monitors] for _ in (0, 1)]
    slots += monitors[size.double_monitors :]
    p.monitoring = sorted(zip(slots, communes, strict=True))


def _build_discipline(p: Province, rng: random.Random) -> None:
    for code in p.specials["disciplined"]:
        p.discipline.append(
            {
                "cadre_code": code,
                "measure": "Khiển trách",
                "decided_on": dt.date(p.cycle, rng.randint(3, 10), rng.randint(1, 28)),
                "reason": rng.choice(N.DISCIPLINE_REASONS),
            }
        )


def _build_votes(p: Province, rng: random.Random) -> None:
    low = {EXCELLENT: (0, 2), GOOD: (0, 4), LATE: (1, 5), WEAK: (3, 9)}
    for c in p.cadres:
        total = rng.randint(40, 60)
        votes_low = rng.randint(*low[c.profile])
        if c.code == p.specials["low_confidence"]:
            votes_low = total // 2 + rng.randint(2, 5)
        p.votes.append({"cadre_code": c.code, "votes_total": total, "votes_low": votes_low})


def _group_of(p: Province, config: CycleConfig, cadre_code: str) -> str:
    return config.group_of_position()[p.year_end_post(cadre_code).position_code]


def _build_previous(p: Province, config: CycleConfig, rng: random.Random) -> None:
    """Last year's levels per group: more excellent than this year will allow (seed 002)."""
    sizes = Counter(_group_of(p, config, c.code) for c in p.cadres)
    for g in config.groups:
        n = sizes.get(g.code, 0)
        excellent = round(n * rng.uniform(0.42, 0.55))
        htnv = round(n * 0.06)
        khtnv = 1 if n >= 20 else 0
        counts = {
            "HTXSNV": excellent,
            "HTTNV": max(0, n - excellent - htnv - khtnv),
            "HTNV": htnv,
            "KHTNV": khtnv,
        }
        p.previous += [{"group_code": g.code, "level": lv, "count": k} for lv, k in counts.items()]


def build_province(config: CycleConfig, size: ProvinceSize, seed: int) -> Province:
    """The whole province in memory; every draw in a fixed order from the seed."""
    _check_positions(config)
    rng = random.Random(seed)
    namer = _Namer(seed)
    p = Province(config.cycle, _build_units(size, config, rng))
    _build_people(p, size, rng, namer)
    _choose_specials(p, size, rng)
    _assign_profiles(p, rng)
    _build_tasks(p, rng)
    _propose_levels(p, rng)
    _build_council(p, size, rng, namer)
    _build_monitoring(p, size, rng)
    _build_discipline(p, rng)
    _build_votes(p, rng)
    _build_previous(p, config, rng)
    return p


# --- rows of each submission ----------------------------------------------------------------------
def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _reporters(p: Province, day: dt.date) -> dict[str, list[Task]]:
    """Each unit's tasks on a due day: those of the cadres sitting in it that day, so a cadre
    transferred mid-year is reported by the old unit before the move and the new one after."""
    out: dict[str, list[Task]] = defaultdict(list)
    for c in p.cadres:
        post = p.post_at(c.code, day)
        if post is not None:
            out[post.unit_code].extend(p.tasks_by_cadre.get(c.code, []))
    return out


def _register_rows(tasks: list[Task]) -> list[dict[str, Any]]:
    return [
        {
            "task_code": t.code,
            "cadre_code": t.cadre_code,
            "origin": t.origin,
            "content": t.content,
            "measure_unit": t.measure_unit,
            "target": t.target,
            "deadline": t.deadline,
            "weight": t.weight,
            "long_term": t.long_term,
            "milestone": t.milestone,
        }
        for t in tasks
    ]


def _progress_rows(tasks: list[Task], quarter: int, rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for t in tasks:
        value = t.progress[quarter]
        if t.completed and value >= t.achieved:
            note = rng.choice(N.PROGRESS_NOTES_AHEAD)
        elif t.outcome in ("late", "incomplete") and rng.random() < 0.6:
            note = rng.choice(N.PROGRESS_NOTES_BEHIND)
        else:
            note = rng.choice(N.PROGRESS_NOTES_ON_TRACK) if rng.random() < 0.3 else None
        rows.append(
            {"task_code": t.code, "cadre_code": t.cadre_code, "achieved": value, "note": note}
        )
    return rows


def _self_rows(p: Province, tasks: list[Task], rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for t in tasks:
        shown = t.completed_on or dt.date(p.cycle, 12, 1)
        evidence = rng.choice(N.EVIDENCE).format(n=rng.randint(45, 980), d=_fmt(shown))
        troubled = t.outcome in ("late", "incomplete")
        rows.append(
            {
                "task_code": t.code,
                "cadre_code": t.cadre_code,
                "achieved": t.achieved,
                "completed": t.completed,
                "completed_on": t.completed_on,
                "evidence": evidence,
                "obstacles": rng.choice(N.OBSTACLES) if troubled else None,
                "proposals": rng.choice(N.PROPOSALS) if t.outcome == "incomplete" else None,
                "proposed_level": p.proposed_level[t.cadre_code],
            }
        )
    return rows


def _collective_row(
    p: Province, unit: Unit, tasks: list[Task], rng: random.Random
) -> dict[str, Any]:
    completed = sum(t.completed for t in tasks)
    weak = unit.code in p.specials["weak_units"]
    subordinates = (
        p.children[unit.code]
        if unit.kind == "HUYEN"
        else rng.randint(0, 5)
        if unit.kind in ("SO", "NGANHDOC")
        else 0
    )
    staff = p.staff_of[unit.code]
    head_profile = p.profile_of[p.head_of[unit.code]]
    return {
        "unit_code": unit.code,
        "planned_tasks": len(tasks),
        "completed_tasks": completed,
        "subordinate_units": subordinates,
        "subordinate_khtnv": 1 if weak and subordinates else 0,
        "leader_disciplined": any(d["cadre_code"] in staff for d in p.discipline),
        "proposed_level": "HTNV" if weak else "HTXSNV" if head_profile == EXCELLENT else "HTTNV",
    }


def _council_rows(
    p: Province, config: CycleConfig, member: Member, rng: random.Random
) -> list[dict[str, Any]]:
    """One member's sheet: every cadre with no post in the member's own unit, every council
    item of the cadre's framework."""
    groups = config.group_of_position()
    criteria = {g.code: _council_criteria(config, g.code) for g in config.groups}
    rows = []
    for c in p.cadres:
        if any(x.unit_code == member.unit_code for x in p.posts_of(c.code)):
            continue
        for crit in criteria[groups[p.year_end_post(c.code).position_code]]:
            x = c.quality + member.bias + rng.uniform(-0.06, 0.06)
            score = min(crit.points, max(0.0, round(crit.points * x * 2) / 2))
            rows.append(
                {
                    "member_code": member.code,
                    "cadre_code": c.code,
                    "criterion_code": crit.code,
                    "score": score,
                }
            )
    return rows


def _council_criteria(config: CycleConfig, group_code: str) -> list[Any]:
    framework = next(g.framework for g in config.groups if g.code == group_code)
    return [c for c in config.frameworks[framework].criteria if c.source == "council"]


def _commune_rows(
    p: Province, monitors: list[str], rng: random.Random, force_comment: bool
) -> list[dict[str, Any]]:
    profile = p.profile_of
    levels = {
        EXCELLENT: (("HTXSNV", 75), ("HTTNV", 25)),
        GOOD: (("HTXSNV", 20), ("HTTNV", 75), ("HTNV", 5)),
        LATE: (("HTTNV", 70), ("HTNV", 30)),
        WEAK: (("HTNV", 60), ("KHTNV", 40)),
    }
    rows = []
    for cadre in monitors:
        prof = profile[cadre]
        choices, weights = zip(*levels[prof], strict=True)
        level = rng.choices(choices, weights)[0]
        visits = rng.randint(*{EXCELLENT: (4, 9), GOOD: (3, 7), LATE: (2, 6), WEAK: (1, 4)}[prof])
        comment = rng.choice(N.COMMUNE_COMMENTS[level])
        rows.append(
            {
                "cadre_code": cadre,
                "visits": visits,
                "meetings": rng.randint(1, min(visits, 5)),
                "has_plan": rng.random() < (0.6 if prof == WEAK else 0.97),
                "reports_on_time": prof == EXCELLENT
                or rng.random() < (0.95 if prof == GOOD else 0.8),
                "level": level,
                "recommend_commendation": level == "HTXSNV"
                or (level == "HTTNV" and rng.random() < 0.75),
                "request_replacement": level == "KHTNV",
                "comment": comment if force_comment or rng.random() < 0.9 else None,
            }
        )
    return rows


def _reference_rows(p: Province) -> dict[str, list[dict[str, Any]]]:
    return {
        "units": [
            {"unit_code": u.code, "unit_name": u.name, "unit_kind": u.kind, "parent_code": u.parent}
            for u in p.units
        ],
        "cadres": [
            {
                "cadre_code": c.code,
                "full_name": c.full_name,
                "gender": c.gender,
                "birth_year": c.birth_year,
                "months_off": c.months_off,
            }
            for c in p.cadres
        ],
        "posts": [
            {
                "cadre_code": x.cadre_code,
                "unit_code": x.unit_code,
                "position_code": x.position_code,
                "position_title": x.position_title,
                "is_head": x.is_head,
                "start_date": x.start_date,
                "end_date": x.end_date,
            }
            for x in p.posts
        ],
        "council_members": [
            {"member_code": m.code, "full_name": m.full_name, "unit_code": m.unit_code}
            for m in p.members
        ],
        "monitoring": [
            {
                "cadre_code": c,
                "commune_code": x,
                "start_date": dt.date(p.cycle, 1, 1),
                "end_date": None,
            }
            for c, x in p.monitoring
        ],
        "discipline": p.discipline,
        "confidence_votes": p.votes,
        "previous_levels": p.previous,
    }


# --- writing files --------------------------------------------------------------------------------
def _received(due: dt.date, rng: random.Random) -> dt.datetime:
    """A plausible arrival: 1–10 days before the deadline, during office hours."""
    day = due - dt.timedelta(days=rng.randint(1, 10))
    return dt.datetime(
        day.year, day.month, day.day, rng.randint(8, 16), rng.randint(0, 59), tzinfo=VN_TZ
    )


def _late(due: dt.date) -> dt.datetime:
    day = due + dt.timedelta(days=LATE_FILE_DAYS)
    return dt.datetime(day.year, day.month, day.day, 10, 15, tzinfo=VN_TZ)


def xlsx_bytes(wb: Workbook, when: dt.datetime) -> bytes:
    """The workbook as bytes that depend only on its content and ``when``.

    openpyxl stamps ``modified`` with the current time while saving and the zip entries with
    the current local time, so the archive is rewritten with both set to ``when``.
    """
    utc = when.astimezone(dt.UTC).replace(tzinfo=None)
    wb.properties.created = utc
    raw = io.BytesIO()
    wb.save(raw)
    wb.properties.modified = utc
    core = tostring(wb.properties.to_tree())
    out = io.BytesIO()
    stamp = when.timetuple()[:6]
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, core if info.filename == ARC_CORE else src.read(info))
    return out.getvalue()


def _nfd_title_and_free_text(wb: Workbook, kind_code: str) -> None:
    """Decompose the title and every free-text cell, as a Mac-made file arrives."""
    ws = wb.active
    ws.cell(TITLE_ROW, 1).value = unicodedata.normalize("NFD", ws.cell(TITLE_ROW, 1).value)
    for j, col in enumerate(KINDS[kind_code].columns, start=1):
        if not col.free_text:
            continue
        for row in ws.iter_rows(min_row=FIRST_DATA_ROW, min_col=j, max_col=j):
            cell = row[0]
            if isinstance(cell.value, str):
                cell.value = unicodedata.normalize("NFD", cell.value)


def _nfd_free_text(rows: list[dict[str, Any]], kind_code: str) -> list[dict[str, Any]]:
    """The rows with every free-text value decomposed (a CSV file has no title to decompose)."""
    free = [c.name for c in KINDS[kind_code].columns if c.free_text]
    return [
        {
            k: unicodedata.normalize("NFD", v) if k in free and isinstance(v, str) else v
            for k, v in row.items()
        }
        for row in rows
    ]


@dataclass
class _Inbox:
    """Writes submissions into ``data_dir/inbox`` and remembers what it wrote: each as the
    template workbook (``fmt`` "xlsx") or as the same columns in a UTF-8 CSV file ("csv", the
    README's "CSV and JSON" format)."""

    data_dir: Path
    config: CycleConfig
    rng: random.Random
    files: list[dict[str, Any]] = field(default_factory=list)
    fmt: str = "xlsx"

    def path(self, kind: str, unit: str, scope: str) -> Path:
        cycle = self.config.cycle
        name = FILE_NAMES[kind].format(unit=unit, scope=scope, cycle=cycle, previous=cycle - 1)
        path = self.data_dir / "inbox" / unit / name
        return path.with_suffix(".csv") if self.fmt == "csv" else path

    def write(
        self,
        kind: str,
        unit: Unit,
        scope: str,
        rows: list[dict[str, Any]],
        *,
        title_name: str | None = None,
        received: dt.datetime | None = None,
        nfd: bool = False,
    ) -> str:
        due = self.config.deadlines.due(kind, scope)
        when = received or _received(due, self.rng)
        if self.fmt == "csv":
            text = submission_csv(
                KINDS[kind],
                unit_code=unit.code,
                cycle=self.config.cycle,
                scope=scope,
                rows=_nfd_free_text(rows, kind) if nfd else rows,
            )
            data = text.encode("utf-8")
        else:
            wb = build_workbook(
                KINDS[kind],
                unit_code=unit.code,
                cycle=self.config.cycle,
                scope=scope,
                rows=rows,
                unit_name=title_name or unit.name,
            )
            if nfd:
                _nfd_title_and_free_text(wb, kind)
            data = xlsx_bytes(wb, when)
        path = self.path(kind, unit.code, scope)
        _write_atomically(path, data, when.timestamp())
        rel = path.relative_to(self.data_dir).as_posix()
        self.files.append(
            {
                "path": rel,
                "unit": unit.code,
                "kind": kind,
                "scope": scope,
                "rows": len(rows),
                "due": due.isoformat(),
                "received": when.isoformat(),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
        return rel


def _write_atomically(path: Path, data: bytes, mtime: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    os.utime(path, (mtime, mtime))


def _fault(
    fid: int,
    name: str,
    kind: str,
    unit: str,
    scope: str,
    file: str | None,
    what: str,
    expected: str,
    **details: Any,
) -> dict[str, Any]:
    return {
        "id": fid,
        "fault": name,
        "file": file,
        "unit": unit,
        "kind": kind,
        "scope": scope,
        "what": what,
        "expected": expected,
        **({"details": details} if details else {}),
    }


def _write_reference(p: Province, inbox: _Inbox) -> None:
    board = p.units[0]
    for kind, rows in _reference_rows(p).items():
        inbox.write(kind, board, ANNUAL, rows)


def _write_unit_files(
    p: Province, inbox: _Inbox, rng: random.Random, faults: bool
) -> list[dict[str, Any]]:
    """Register, quarterly progress, self-assessment and collective of each unit."""
    found: list[dict[str, Any]] = []
    deadlines = inbox.config.deadlines
    due = {
        (k, s): deadlines.due(k, s)
        for k in UNIT_KINDS_SENDING
        for s in (*QUARTERS, ANNUAL)
        if (k == "quarterly_progress") == (s != ANNUAL)
    }
    reporters = {key: _reporters(p, day) for key, day in due.items()}
    for unit in _evaluated_units(p.units):
        if faults and unit.code == p.specials["missing_unit"]:
            found += _missing(inbox, unit)
            continue
        register = reporters["task_register", ANNUAL][unit.code]
        inbox.write("task_register", unit, ANNUAL, _register_rows(register))
        for i, q in enumerate(QUARTERS):
            tasks = reporters["quarterly_progress", q][unit.code]
            inbox.write("quarterly_progress", unit, q, _progress_rows(tasks, i, rng))
        rows = _self_rows(p, reporters["self_assessment", ANNUAL][unit.code], rng)
        found += _write_self_assessment(
            p, inbox, unit, rows, due["self_assessment", ANNUAL], faults
        )
        collective = reporters["collective", ANNUAL][unit.code]
        inbox.write("collective", unit, ANNUAL, [_collective_row(p, unit, collective, rng)])
    return found


def _missing(inbox: _Inbox, unit: Unit) -> list[dict[str, Any]]:
    out = []
    for kind in UNIT_KINDS_SENDING:
        for scope in QUARTERS if kind == "quarterly_progress" else (ANNUAL,):
            would_be = inbox.path(kind, unit.code, scope).relative_to(inbox.data_dir).as_posix()
            out.append(
                _fault(
                    3,
                    "never_submitted",
                    kind,
                    unit.code,
                    scope,
                    None,
                    f"{unit.name} never sends its {kind} ({scope}); its cadres are "
                    "still in the reference data",
                    "missing",
                    would_be=would_be,
                )
            )
    return out


def _unknown_cadre(p: Province) -> str:
    """A cadre code nobody has: CB9999, or with more nines where the province is larger."""
    taken = {c.code for c in p.cadres}
    code = UNKNOWN_CADRE
    while code in taken:
        code += "9"
    return code


def _write_self_assessment(
    p: Province, inbox: _Inbox, unit: Unit, rows: list[dict[str, Any]], due: dt.date, faults: bool
) -> list[dict[str, Any]]:
    if faults and unit.code == p.specials["wrong_codes_unit"]:
        unknown_task = f"NV-{unit.code}-999"
        clash = any(t.code == unknown_task for t in p.tasks)
        if len(rows) < 2 or clash:
            raise RuntimeError(f"cannot plant unknown codes in {unit.code}'s self-assessment")
        unknown_cadre = _unknown_cadre(p)
        replaced = {"cadre_of": rows[0]["task_code"], "task_was": rows[1]["task_code"]}
        rows[0] = {**rows[0], "cadre_code": unknown_cadre}
        rows[1] = {**rows[1], "task_code": unknown_task}
        rel = inbox.write("self_assessment", unit, ANNUAL, rows)
        return [
            _fault(
                1,
                "wrong_codes",
                "self_assessment",
                unit.code,
                ANNUAL,
                rel,
                f"cadre code {unknown_cadre} does not exist; task code {unknown_task} "
                "belongs to nobody",
                "quarantined",
                unknown_cadre=unknown_cadre,
                unknown_task=unknown_task,
                **replaced,
            )
        ]
    if faults and unit.code == p.specials["late_file_unit"]:
        rel = inbox.write("self_assessment", unit, ANNUAL, rows, received=_late(due))
        return [
            _fault(
                4,
                "late_file",
                "self_assessment",
                unit.code,
                ANNUAL,
                rel,
                f"received {LATE_FILE_DAYS} days after its deadline {due.isoformat()}",
                "late",
                days_late=LATE_FILE_DAYS,
            )
        ]
    inbox.write("self_assessment", unit, ANNUAL, rows)
    return []


def _write_council(
    p: Province, config: CycleConfig, inbox: _Inbox, rng: random.Random, faults: bool
) -> list[dict[str, Any]]:
    found = []
    bad_member = rng.choice(p.members).code
    board = p.units[0]
    for m in p.members:
        rows = _council_rows(p, config, m, rng)
        title = f"{m.full_name} ({m.code})"
        if not (faults and m.code == bad_member):
            inbox.write("council_scores", board, m.code, rows, title_name=title)
            continue
        points = {c.code: c.points for fw in config.frameworks.values() for c in fw.criteria}
        too_high = points[rows[0]["criterion_code"]] + 2.5
        rows[0] = {**rows[0], "score": too_high}
        rows[1] = {**rows[1], "score": -1.0}
        rel = inbox.write("council_scores", board, m.code, rows, title_name=title)
        found.append(
            _fault(
                2,
                "score_out_of_range",
                "council_scores",
                board.code,
                m.code,
                rel,
                f"score {too_high:g} above the criterion's "
                f"{points[rows[0]['criterion_code']]:g} points, and a score of -1",
                "quarantined",
                rows=[
                    {k: r[k] for k in ("cadre_code", "criterion_code", "score")} for r in rows[:2]
                ],
            )
        )
    return found


def _write_communes(
    p: Province, inbox: _Inbox, rng: random.Random, faults: bool
) -> list[dict[str, Any]]:
    communes = [u for u in p.units if u.kind == "XA"]
    decomposed = rng.choice(communes).code
    monitors: dict[str, list[str]] = defaultdict(list)
    for cadre, commune in p.monitoring:
        monitors[commune].append(cadre)
    found = []
    for u in communes:
        nfd = faults and u.code == decomposed
        rows = _commune_rows(p, monitors[u.code], rng, force_comment=u.code == decomposed)
        rel = inbox.write("commune_forms", u, ANNUAL, rows, nfd=nfd)
        if nfd:
            found.append(
                _fault(
                    5,
                    "decomposed_unicode",
                    "commune_forms",
                    u.code,
                    ANNUAL,
                    rel,
                    "free-text comments are in NFD"
                    if inbox.fmt == "csv"
                    else "title (with the unit name) and free-text comments are in NFD",
                    "normalised",
                )
            )
    return found


# --- manifest -------------------------------------------------------------------------------------
def _manifest(
    p: Province,
    config: CycleConfig,
    size_name: str,
    size: ProvinceSize,
    seed: int,
    inbox: _Inbox,
    faults: list[dict[str, Any]],
) -> dict[str, Any]:
    by_kind = Counter(u.kind for u in p.units)
    return {
        "seed": seed,
        "size": size_name,
        "size_params": {
            k: (list(v) if isinstance(v, tuple) else v) for k, v in size.__dict__.items()
        },
        "format": inbox.fmt,
        "cycle": config.cycle,
        "province": config.province.name,
        "counts": {
            "units_by_kind": dict(by_kind),
            "cadres": len(p.cadres),
            "council_members": len(p.members),
            "monitoring_pairs": len(p.monitoring),
            "monitoring_cadres": len({c for c, _ in p.monitoring}),
            "tasks": len(p.tasks),
            "files": len(inbox.files),
            "files_by_kind": dict(Counter(f["kind"] for f in inbox.files)),
        },
        "units": [
            {"code": u.code, "name": u.name, "kind": u.kind, "parent": u.parent} for u in p.units
        ],
        "cadre_count": len(p.cadres),
        "cadres": [_cadre_entry(p, config, c) for c in p.cadres],
        "council_members": [
            {"code": m.code, "name": m.full_name, "unit": m.unit_code} for m in p.members
        ],
        "specials": p.specials,
        "files": inbox.files,
        "faults": faults,
    }


def _cadre_entry(p: Province, config: CycleConfig, c: Cadre) -> dict[str, Any]:
    post = p.year_end_post(c.code)
    tasks = p.tasks_by_cadre.get(c.code, [])
    return {
        "code": c.code,
        "unit": post.unit_code,
        "position": post.position_code,
        "group": _group_of(p, config, c.code),
        "is_head": post.is_head,
        "profile": c.profile,
        "tasks": len(tasks),
        "tasks_by_outcome": dict(Counter(t.outcome for t in tasks)),
        "proposed_level": p.proposed_level.get(c.code),
    }


def _resolve_size(size: str | ProvinceSize) -> tuple[str, ProvinceSize]:
    if isinstance(size, ProvinceSize):
        return "custom", size
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    return size, SIZES[size]


def generate_province(
    data_dir: Path,
    config: CycleConfig,
    *,
    size: str | ProvinceSize = "sample",
    seed: int = 2025,
    faults: bool = True,
    fmt: str = "xlsx",
) -> dict:
    """Write one cycle's submissions of a fictional province into ``data_dir/inbox``.

    ``size`` is a key of ``SIZES`` or a ``ProvinceSize``; ``faults`` adds the five deliberate
    faults listed in the manifest (with ``faults=False`` the same province is written with
    every file valid and on time); ``fmt`` "csv" writes each submission as a UTF-8 CSV file
    instead of a workbook (same rows; size L needs it). Returns the manifest, also written to
    ``data_dir/sample_manifest.json``.

    Generating again into the same ``data_dir`` (``danhgia sample --force``) first removes
    the inbox files that the previous manifest lists, so a smaller or differently seeded
    province does not mix with the old one; files it did not write are never touched.
    Raises ``ValueError`` if the size cannot be built or the cycle lacks a position code the
    generator hands out.
    """
    data_dir = Path(data_dir)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    size_name, size_spec = _resolve_size(size)
    p = build_province(config, size_spec, seed)
    _remove_previous_sample(data_dir)
    write_rng = random.Random(f"{seed}:files")
    inbox = _Inbox(data_dir, config, random.Random(f"{seed}:received"), fmt=fmt)
    _write_reference(p, inbox)
    found = _write_unit_files(p, inbox, write_rng, faults)
    found += _write_council(p, config, inbox, write_rng, faults)
    found += _write_communes(p, inbox, write_rng, faults)
    found.sort(key=lambda f: f["id"])
    manifest = _manifest(p, config, size_name, size_spec, seed, inbox, found)
    text = json.dumps(manifest, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    _write_atomically(
        data_dir / MANIFEST_NAME,
        text.encode("utf-8"),
        dt.datetime(config.cycle, 12, 31, 17, 0, tzinfo=VN_TZ).timestamp(),
    )
    return json.loads(text)


def _remove_previous_sample(data_dir: Path) -> None:
    """Delete the inbox files a previous generation listed in its manifest (and only those)."""
    manifest = data_dir / MANIFEST_NAME
    if not manifest.exists():
        return
    inbox = (data_dir / "inbox").resolve()
    for entry in json.loads(manifest.read_text(encoding="utf-8")).get("files", []):
        path = (data_dir / entry["path"]).resolve()
        if path.is_relative_to(inbox):
            path.unlink(missing_ok=True)
            if path.parent != inbox and path.parent.exists() and not any(path.parent.iterdir()):
                path.parent.rmdir()
    manifest.unlink()


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
