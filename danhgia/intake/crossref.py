"""Cross-reference rules: files checked against what the board already holds.

The files of one kind and period are checked together: their rows are one frame (each row
tagged with its file, ``FILE_COLUMN``, and the file's sender, ``SENDER_COLUMN``), and each rule
is a vectorised function of that frame and the reference data, so the cost of a check does
not grow with the number of files, and the reference is read once for all of them. A rule
returns findings tagged with their file's position, named by the rule, with the importance
the rule carries (error blocks the file, warning lets it load and flags it for the board).
Only failing rows become Python objects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from danhgia.cycle_config import CycleConfig
from danhgia.intake.findings import Finding, error, warning
from danhgia.intake.reader import ROW_COLUMN
from danhgia.kinds import DATA_SHEET, KINDS, Kind
from danhgia.warehouse import query_df
from schemas.base import FILE_COLUMN

PLAUSIBLE_RATIO = 3.0  # achieved above three times the target is probably a typing error
SENDER_COLUMN = "_sender"

#: (file position in the group, finding)
Found = tuple[int, Finding]

#: What each loaded kind makes stale in a Reference (the cached attributes to read again).
DEPENDS_ON: dict[str, tuple[str, ...]] = {
    "units": ("units", "unit_kinds", "unit_codes", "commune_codes"),
    "cadres": ("cadres", "cadre_codes"),
    "posts": ("posts", "post_pairs", "framework_of"),
    "council_members": ("members", "member_codes", "member_units"),
    "monitoring": ("monitoring", "monitoring_pairs"),
    "task_register": ("tasks", "task_owner", "task_targets"),
    "quarterly_progress": ("_progress_before",),
}


class Reference:
    """What the warehouse holds for the cycle.

    Each table, and each lookup built from it, is read on first use and kept: a collection
    pass checks thousands of files against it, so nothing here may cost per file. After a
    load of a kind the reference depends on, ``forget(kind)`` drops what that kind changed.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, config: CycleConfig) -> None:
        self.con = con
        self.config = config

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, config: CycleConfig) -> Reference:
        return cls(con, config)

    def forget(self, kind_code: str | None) -> None:
        for name in DEPENDS_ON.get(kind_code or "", ()):
            self.__dict__.pop(name, None)

    def _table(self, name: str) -> pd.DataFrame:
        return query_df(self.con, name, {"cycle": self.config.cycle})

    # --- the tables ---------------------------------------------------------------------------
    @cached_property
    def units(self) -> pd.DataFrame:
        return self._table("intake/reference_units")

    @cached_property
    def cadres(self) -> pd.DataFrame:
        return self._table("intake/reference_cadres")

    @cached_property
    def posts(self) -> pd.DataFrame:
        return self._table("intake/reference_posts")

    @cached_property
    def members(self) -> pd.DataFrame:
        return self._table("intake/reference_members")

    @cached_property
    def monitoring(self) -> pd.DataFrame:
        return self._table("intake/reference_monitoring")

    @cached_property
    def tasks(self) -> pd.DataFrame:
        return self._table("intake/reference_tasks")

    @cached_property
    def _progress_before(self) -> dict[str, pd.Series]:
        return {}

    def progress_before(self, scope: str) -> pd.Series:
        """The best cumulative value of each task in the quarters before ``scope`` (the
        aggregation runs in DuckDB: the progress table is the largest the checks use)."""
        if scope not in self._progress_before:
            best = query_df(
                self.con,
                "intake/reference_progress_before",
                {"cycle": self.config.cycle, "scope": scope},
            )
            self._progress_before[scope] = best.set_index("task_code")["earlier"]
        return self._progress_before[scope]

    # --- lookups built once from them -----------------------------------------------------------
    @cached_property
    def unit_kinds(self) -> dict[str, str]:
        return dict(zip(self.units["unit_code"], self.units["unit_kind"], strict=True))

    @cached_property
    def unit_codes(self) -> pd.Series:
        return self.units["unit_code"] if not self.units.empty else pd.Series(dtype=str)

    @cached_property
    def commune_codes(self) -> pd.Series:
        return self.units.loc[self.units["unit_kind"] == "XA", "unit_code"]

    @cached_property
    def cadre_codes(self) -> pd.Series:
        return self.cadres["cadre_code"]

    @cached_property
    def member_codes(self) -> list[str]:
        return list(self.members["member_code"])

    @cached_property
    def member_units(self) -> pd.Series:
        return self.members.set_index("member_code")["unit_code"]

    @cached_property
    def post_pairs(self) -> Pairs:
        """(cadre, unit) of every post held during the year."""
        return Pairs(self.posts["cadre_code"], self.posts["unit_code"])

    @cached_property
    def monitoring_pairs(self) -> Pairs:
        """(cadre, commune) of every monitoring assignment."""
        return Pairs(self.monitoring["cadre_code"], self.monitoring["commune_code"])

    @cached_property
    def framework_of(self) -> dict[str, str]:
        """Each cadre's criteria framework, from the latest post held in the year."""
        groups = {g.code: g.framework for g in self.config.groups}
        by_position = self.config.group_of_position()
        latest = self.posts.sort_values(["cadre_code", "start_date"]).groupby("cadre_code").last()
        return {
            cadre: groups[by_position[pos]]
            for cadre, pos in latest["position_code"].items()
            if pos in by_position
        }

    @cached_property
    def task_owner(self) -> pd.Series:
        """The cadre each task is registered for (the first listed, if several)."""
        return self.tasks.drop_duplicates("task_code").set_index("task_code")["cadre_code"]

    @cached_property
    def task_targets(self) -> Pairs:
        """Every registered (task, cadre) pair, with its target (the first listed)."""
        return Pairs(self.tasks["task_code"], self.tasks["cadre_code"], self.tasks["target"])

    @cached_property
    def council_points(self) -> Pairs:
        """Each (framework, criterion) the council scores, with the criterion's points."""
        scored = pd.DataFrame(
            [
                (f, c.code, float(c.points))
                for f, fw in self.config.frameworks.items()
                for c in fw.criteria
                if c.source == "council"
            ],
            columns=["framework", "criterion_code", "points"],
        )
        return Pairs(scored["framework"], scored["criterion_code"], scored["points"])

    def unit_kind(self, unit_code: str) -> str | None:
        return self.unit_kinds.get(unit_code)


class Pairs:
    """A set of (code, code) pairs, each with a value if given (the first listed when a pair
    repeats), looked up a column of rows at a time: each code is hashed once and a pair is a
    number, so hundreds of thousands of rows cost no Python call each and no sort."""

    def __init__(self, left: pd.Series, right: pd.Series, values: pd.Series | None = None):
        self._left = pd.Index(pd.unique(left.to_numpy(object)), dtype=object)
        self._right = pd.Index(pd.unique(right.to_numpy(object)), dtype=object)
        keys = self._keys(left, right)
        first = ~pd.Index(keys).duplicated()
        self._index = pd.Index(keys[first])
        self.values = None if values is None else values.to_numpy(float)[first]

    def _keys(self, left: pd.Series, right: pd.Series) -> np.ndarray:
        at_left = self._left.get_indexer(left.to_numpy(object)).astype(np.int64)
        at_right = self._right.get_indexer(right.to_numpy(object)).astype(np.int64)
        both = (at_left >= 0) & (at_right >= 0)
        return np.where(both, at_left * max(len(self._right), 1) + at_right, -1)

    def position(self, left: pd.Series, right: pd.Series) -> np.ndarray:
        """Where each row's pair is among the pairs (-1: not one; a missing code never is)."""
        if len(left) == 0 or len(self._index) == 0:
            return np.full(len(left), -1)
        keys = self._keys(left, right)
        return np.where(keys >= 0, self._index.get_indexer(keys), -1)

    def value(self, left: pd.Series, right: pd.Series) -> np.ndarray:
        """Each row's pair's value (NaN for a row whose pair is not one of them)."""
        return self.at(self.position(left, right))

    def at(self, positions: np.ndarray) -> np.ndarray:
        """The values at ``position``'s answers (NaN at -1)."""
        out = np.full(len(positions), np.nan)
        if self.values is not None:
            out[positions >= 0] = self.values[positions[positions >= 0]]
        return out


def _in_pairs(first: pd.Series, second: pd.Series, pairs: Pairs) -> pd.Series:
    """Whether each (first, second) is one of ``pairs`` (a missing value never is)."""
    return pd.Series(pairs.position(first, second) >= 0, index=first.index)


@dataclass(frozen=True)
class GroupContext:
    """The files checked together: one kind, one period, each file's sender by position;
    ``looked_up`` keeps what several rules look up in the reference for the same rows."""

    kind: Kind
    scope: str
    senders: tuple[str, ...]
    looked_up: dict[str, Any] = field(default_factory=dict, compare=False)


def _registered(frame: pd.DataFrame, ctx: GroupContext, ref: Reference) -> np.ndarray:
    """For each row, where its (task, cadre) is among the registered pairs (-1: it is not)."""
    if "registered" not in ctx.looked_up:
        pairs = ref.task_targets.position(frame["task_code"], frame["cadre_code"])
        ctx.looked_up["registered"] = pairs
    return ctx.looked_up["registered"]


def _failing(frame: pd.DataFrame, bad: pd.Series | np.ndarray, **looked_up: Any) -> tuple:
    """The failing rows, with what was looked up for them (as a merge would have added it)."""
    mask = pd.Series(bad, index=frame.index).fillna(False).astype(bool)
    rows = frame[mask]
    extra = {k: pd.Series(v, index=frame.index)[mask] for k, v in looked_up.items()}
    return rows.assign(**extra), pd.Series(True, index=rows.index)


def _row_findings(
    frame: pd.DataFrame,
    bad: pd.Series,
    kind: Kind,
    column: str,
    make: Callable[..., Finding],
    rule: str,
    message: Callable[[pd.Series], str] | str,
) -> list[Found]:
    header = kind.column(column).header
    out = []
    for _, row in frame[bad.fillna(False).astype(bool)].iterrows():
        text = message(row) if callable(message) else message
        out.append(
            (
                int(row[FILE_COLUMN]),
                make(
                    rule,
                    text,
                    sheet=DATA_SHEET,
                    row=row[ROW_COLUMN],
                    column=header,
                    value=row[column],
                ),
            )
        )
    return out


def cadre_exists(frame, ctx, ref) -> list[Found]:
    bad = ~frame["cadre_code"].isin(ref.cadre_codes)
    return _row_findings(
        frame,
        bad,
        ctx.kind,
        "cadre_code",
        error,
        "cadre_exists",
        "Mã cán bộ không có trong danh sách cán bộ của kỳ đánh giá.",
    )


def cadre_holds_post_in_unit(frame, ctx, ref) -> list[Found]:
    known = frame["cadre_code"].isin(ref.cadre_codes)
    in_unit = _in_pairs(frame["cadre_code"], frame[SENDER_COLUMN], ref.post_pairs)
    if ctx.kind.code in ("task_register", "self_assessment"):
        out = cadre_exists(frame, ctx, ref)
    else:
        out = []
    return out + _row_findings(
        frame,
        known & ~in_unit,
        ctx.kind,
        "cadre_code",
        error,
        "cadre_holds_post_in_unit",
        lambda r: f"Cán bộ không giữ chức vụ nào tại đơn vị {r[SENDER_COLUMN]} trong năm đánh giá.",
    )


def task_belongs_to_cadre(frame, ctx, ref) -> list[Found]:
    """The task is registered for this cadre, by any unit: a cadre transferred mid-year
    reports from the new unit on tasks the old unit registered (NĐ 90)."""
    owner = frame["task_code"].map(ref.task_owner)
    unknown = owner.isna()
    other = ~unknown & (_registered(frame, ctx, ref) < 0)
    rows, every = _failing(frame, unknown | other, cadre_code_registered=owner)
    return _row_findings(
        rows,
        every & unknown[rows.index],
        ctx.kind,
        "task_code",
        error,
        "task_registered",
        "Mã nhiệm vụ không có trong bản đăng ký nhiệm vụ đã được tiếp nhận.",
    ) + _row_findings(
        rows,
        every & other[rows.index],
        ctx.kind,
        "task_code",
        error,
        "task_belongs_to_cadre",
        lambda r: (
            f"Nhiệm vụ này được giao cho cán bộ {r['cadre_code_registered']}, "
            f"không phải {r['cadre_code']}."
        ),
    )


def achieved_plausible(frame, ctx, ref) -> list[Found]:
    target = ref.task_targets.at(_registered(frame, ctx, ref))
    bad = ~np.isnan(target) & (frame["achieved"].to_numpy(float) > PLAUSIBLE_RATIO * target)
    rows, every = _failing(frame, bad, target=target)
    return _row_findings(
        rows,
        every,
        ctx.kind,
        "achieved",
        warning,
        "achieved_plausible",
        lambda r: (
            f"Giá trị đạt gấp hơn {PLAUSIBLE_RATIO:g} lần chỉ tiêu kế hoạch "
            f"({r['target']:g}); đề nghị kiểm tra lại."
        ),
    )


def progress_not_backwards(frame, ctx, ref) -> list[Found]:
    best = ref.progress_before(ctx.scope)
    if best.empty:
        return []
    earlier = frame["task_code"].map(best)
    bad = earlier.notna() & (frame["achieved"] < earlier)
    rows, every = _failing(frame, bad, earlier=earlier)
    return _row_findings(
        rows,
        every,
        ctx.kind,
        "achieved",
        warning,
        "progress_not_backwards",
        "Giá trị lũy kế thấp hơn quý trước; tiến độ không được giảm giữa các quý.",
    )


def deadline_within_cycle(frame, ctx, ref) -> list[Found]:
    years = pd.to_datetime(frame["deadline"]).dt.year
    bad = years.notna() & (years != ref.config.cycle)  # an unreadable date is reported once
    return _row_findings(
        frame,
        bad,
        ctx.kind,
        "deadline",
        warning,
        "deadline_within_cycle",
        f"Hạn hoàn thành nằm ngoài năm đánh giá {ref.config.cycle}.",
    )


def council_sheet_rules(frame, ctx, ref) -> list[Found]:
    kind = ctx.kind
    out = _row_findings(
        frame,
        frame["member_code"] != ctx.scope,
        kind,
        "member_code",
        error,
        "member_matches_sheet",
        f"Phiếu của thành viên {ctx.scope} nhưng dòng ghi mã khác.",
    )
    if ctx.scope not in set(ref.member_codes):
        out += [
            (
                i,
                error(
                    "member_exists",
                    f"Mã thành viên hội đồng '{ctx.scope}' không có trong danh sách hội đồng "
                    "tư vấn.",
                    sheet=DATA_SHEET,
                ),
            )
            for i in range(len(ctx.senders))
        ]
    out += cadre_exists(frame, ctx, ref)
    framework = frame["cadre_code"].map(ref.framework_of)
    points = ref.council_points.value(framework, frame["criterion_code"])
    known = frame["cadre_code"].isin(ref.cadre_codes)
    unscored = known & np.isnan(points)
    over = ~np.isnan(points) & (frame["score"].to_numpy(float) > points)
    merged, every = _failing(frame, unscored | over, framework=framework, points=points)
    out += _row_findings(
        merged,
        every & unscored[merged.index],
        kind,
        "criterion_code",
        error,
        "criterion_applies",
        "Tiêu chí này không thuộc khung tiêu chí do hội đồng chấm của chức vụ cán bộ.",
    )
    out += _row_findings(
        merged,
        every & pd.Series(over, index=frame.index)[merged.index],
        kind,
        "score",
        error,
        "score_within_criterion_points",
        lambda r: (
            f"Điểm vượt điểm tối đa của tiêu chí {r['criterion_code']} ({r['points']:g} điểm)."
        ),
    )
    member_unit = ref.member_units.get(ctx.scope)
    own = ref.posts.loc[ref.posts["unit_code"] == member_unit, "cadre_code"]
    out += _row_findings(
        frame,
        frame["cadre_code"].isin(own),
        kind,
        "cadre_code",
        error,
        "member_not_own_unit",
        "Thành viên hội đồng không được chấm điểm cán bộ của chính đơn vị mình.",
    )
    return out


def cadre_monitors_commune(frame, ctx, ref) -> list[Found]:
    mine = _in_pairs(frame["cadre_code"], frame[SENDER_COLUMN], ref.monitoring_pairs)
    return _row_findings(
        frame,
        ~mine,
        ctx.kind,
        "cadre_code",
        error,
        "cadre_monitors_commune",
        "Cán bộ này không được phân công theo dõi xã gửi phiếu.",
    )


def collective_is_sender(frame, ctx, ref) -> list[Found]:
    return _row_findings(
        frame,
        frame["unit_code"] != frame[SENDER_COLUMN],
        ctx.kind,
        "unit_code",
        error,
        "collective_is_sender",
        "Đơn vị chỉ tự đánh giá tập thể của chính mình.",
    )


def units_exist(column: str, rule: str) -> Callable:
    def check(frame, ctx, ref) -> list[Found]:
        return _row_findings(
            frame,
            ~frame[column].isin(ref.unit_codes),
            ctx.kind,
            column,
            error,
            rule,
            "Mã đơn vị không có trong danh mục đơn vị.",
        )

    return check


def position_known(frame, ctx, ref) -> list[Found]:
    known = ref.config.group_of_position()
    return _row_findings(
        frame,
        ~frame["position_code"].isin(list(known)),
        ctx.kind,
        "position_code",
        error,
        "position_known",
        "Mã chức vụ không thuộc nhóm chức vụ nào trong cấu hình kỳ đánh giá.",
    )


def commune_is_commune(frame, ctx, ref) -> list[Found]:
    return _row_findings(
        frame,
        ~frame["commune_code"].isin(ref.commune_codes),
        ctx.kind,
        "commune_code",
        error,
        "commune_exists",
        "Mã xã không có trong danh mục đơn vị cấp xã.",
    )


def group_known(frame, ctx, ref) -> list[Found]:
    groups = [g.code for g in ref.config.groups]
    return _row_findings(
        frame,
        ~frame["group_code"].isin(groups),
        ctx.kind,
        "group_code",
        warning,
        "group_known",
        "Nhóm không có trong cấu hình kỳ đánh giá.",
    )


RULES: dict[str, list[Callable]] = {
    "units": [],
    "cadres": [],
    "posts": [units_exist("unit_code", "unit_exists"), position_known, cadre_exists],
    "council_members": [units_exist("unit_code", "unit_exists")],
    "monitoring": [cadre_exists, commune_is_commune],
    "discipline": [cadre_exists],
    "confidence_votes": [cadre_exists],
    "excusals": [cadre_exists],
    "inspections": [cadre_exists, task_belongs_to_cadre],
    "previous_levels": [group_known],
    "task_register": [cadre_holds_post_in_unit, deadline_within_cycle],
    "quarterly_progress": [task_belongs_to_cadre, progress_not_backwards, achieved_plausible],
    "self_assessment": [cadre_holds_post_in_unit, task_belongs_to_cadre, achieved_plausible],
    "council_scores": [council_sheet_rules],
    "commune_forms": [cadre_monitors_commune],
    "collective": [collective_is_sender],
}
assert set(RULES) == set(KINDS)


def check_references(frame: pd.DataFrame, ctx: GroupContext, ref: Reference) -> list[list[Finding]]:
    """The findings of each file of the group (by position), rule after rule, row by row:
    the order a file checked alone would give."""
    senders = np.asarray(ctx.senders, dtype=object)
    frame = frame.assign(**{SENDER_COLUMN: senders[frame[FILE_COLUMN].to_numpy(int)]})
    per_file: list[list[Finding]] = [[] for _ in ctx.senders]
    for rule in RULES[ctx.kind.code]:
        for file, finding in rule(frame, ctx, ref):
            per_file[file].append(finding)
    return per_file
