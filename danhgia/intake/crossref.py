"""Cross-reference rules: a file checked against what the board already holds.

Each rule is a plain function of the file's rows and the reference data; it returns
findings named by the rule, with the importance the rule carries (error blocks the file,
warning lets it load and flags it for the board).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from danhgia.cycle_config import CycleConfig
from danhgia.intake.findings import Finding, error, warning
from danhgia.intake.reader import ROW_COLUMN
from danhgia.kinds import DATA_SHEET, KINDS, Kind
from danhgia.warehouse import query_df

PLAUSIBLE_RATIO = 3.0  # achieved above three times the target is probably a typing error


@dataclass
class Reference:
    """What the warehouse holds for the cycle, read once per collection step."""

    units: pd.DataFrame
    cadres: pd.DataFrame
    posts: pd.DataFrame
    members: pd.DataFrame
    monitoring: pd.DataFrame
    tasks: pd.DataFrame
    progress: pd.DataFrame
    config: CycleConfig
    framework_of: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, config: CycleConfig) -> Reference:
        p = {"cycle": config.cycle}
        ref = cls(
            units=query_df(con, "intake/reference_units", p),
            cadres=query_df(con, "intake/reference_cadres", p),
            posts=query_df(con, "intake/reference_posts", p),
            members=query_df(con, "intake/reference_members", p),
            monitoring=query_df(con, "intake/reference_monitoring", p),
            tasks=query_df(con, "intake/reference_tasks", p),
            progress=query_df(con, "intake/reference_progress", p),
            config=config,
        )
        groups = {g.code: g.framework for g in config.groups}
        by_position = config.group_of_position()
        latest = ref.posts.sort_values(["cadre_code", "start_date"]).groupby("cadre_code").last()
        ref.framework_of = {
            cadre: groups[by_position[pos]]
            for cadre, pos in latest["position_code"].items()
            if pos in by_position
        }
        return ref

    def unit_kind(self, unit_code: str) -> str | None:
        match = self.units.loc[self.units["unit_code"] == unit_code, "unit_kind"]
        return None if match.empty else str(match.iloc[0])


@dataclass(frozen=True)
class FileContext:
    kind: Kind
    sender: str  # the inbox folder
    scope: str


def _row_findings(
    frame: pd.DataFrame,
    bad: pd.Series,
    kind: Kind,
    column: str,
    make: Callable[..., Finding],
    rule: str,
    message: Callable[[pd.Series], str] | str,
) -> list[Finding]:
    header = kind.column(column).header
    out = []
    for _, row in frame[bad.fillna(False).astype(bool)].iterrows():
        text = message(row) if callable(message) else message
        out.append(
            make(
                rule, text, sheet=DATA_SHEET, row=row[ROW_COLUMN], column=header, value=row[column]
            )
        )
    return out


def cadre_exists(frame, ctx, ref) -> list[Finding]:
    bad = ~frame["cadre_code"].isin(ref.cadres["cadre_code"])
    return _row_findings(
        frame,
        bad,
        ctx.kind,
        "cadre_code",
        error,
        "cadre_exists",
        "Mã cán bộ không có trong danh sách cán bộ của kỳ đánh giá.",
    )


def cadre_holds_post_in_unit(frame, ctx, ref) -> list[Finding]:
    known = frame["cadre_code"].isin(ref.cadres["cadre_code"])
    in_unit = frame["cadre_code"].isin(
        ref.posts.loc[ref.posts["unit_code"] == ctx.sender, "cadre_code"]
    )
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
        f"Cán bộ không giữ chức vụ nào tại đơn vị {ctx.sender} trong năm đánh giá.",
    )


def task_belongs_to_cadre(frame, ctx, ref) -> list[Finding]:
    """The task is registered for this cadre, by any unit: a cadre transferred mid-year
    reports from the new unit on tasks the old unit registered (NĐ 90)."""
    pairs = ref.tasks[["task_code", "cadre_code"]].drop_duplicates().assign(_ok=True)
    owner = ref.tasks.drop_duplicates("task_code").set_index("task_code")["cadre_code"]
    merged = frame.merge(pairs, on=["task_code", "cadre_code"], how="left")
    merged["cadre_code_registered"] = merged["task_code"].map(owner)
    unknown = merged["cadre_code_registered"].isna()
    other = ~unknown & merged["_ok"].isna()
    return _row_findings(
        merged,
        unknown,
        ctx.kind,
        "task_code",
        error,
        "task_registered",
        "Mã nhiệm vụ không có trong bản đăng ký nhiệm vụ đã được tiếp nhận.",
    ) + _row_findings(
        merged,
        other,
        ctx.kind,
        "task_code",
        error,
        "task_belongs_to_cadre",
        lambda r: (
            f"Nhiệm vụ này được giao cho cán bộ {r['cadre_code_registered']}, "
            f"không phải {r['cadre_code']}."
        ),
    )


def achieved_plausible(frame, ctx, ref) -> list[Finding]:
    tasks = ref.tasks[["task_code", "cadre_code", "target"]].drop_duplicates(
        ["task_code", "cadre_code"]
    )
    merged = frame.merge(tasks, on=["task_code", "cadre_code"], how="left")
    bad = merged["target"].notna() & (merged["achieved"] > PLAUSIBLE_RATIO * merged["target"])
    return _row_findings(
        merged,
        bad,
        ctx.kind,
        "achieved",
        warning,
        "achieved_plausible",
        lambda r: (
            f"Giá trị đạt gấp hơn {PLAUSIBLE_RATIO:g} lần chỉ tiêu kế hoạch "
            f"({r['target']:g}); đề nghị kiểm tra lại."
        ),
    )


def progress_not_backwards(frame, ctx, ref) -> list[Finding]:
    earlier = ref.progress[ref.progress["scope"] < ctx.scope]
    if earlier.empty:
        return []
    best = earlier.groupby("task_code")["achieved"].max().rename("earlier")
    merged = frame.merge(best, left_on="task_code", right_index=True, how="left")
    bad = merged["earlier"].notna() & (merged["achieved"] < merged["earlier"])
    return _row_findings(
        merged,
        bad,
        ctx.kind,
        "achieved",
        warning,
        "progress_not_backwards",
        "Giá trị lũy kế thấp hơn quý trước; tiến độ không được giảm giữa các quý.",
    )


def deadline_within_cycle(frame, ctx, ref) -> list[Finding]:
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


def council_sheet_rules(frame, ctx, ref) -> list[Finding]:
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
    if ctx.scope not in set(ref.members["member_code"]):
        out.append(
            error(
                "member_exists",
                f"Mã thành viên hội đồng '{ctx.scope}' không có trong danh sách hội đồng tư vấn.",
                sheet=DATA_SHEET,
            )
        )
    out += cadre_exists(frame, ctx, ref)
    crit = pd.DataFrame(
        [
            {"framework": f, "criterion_code": c.code, "points": c.points}
            for f, fw in ref.config.frameworks.items()
            for c in fw.criteria
            if c.source == "council"
        ]
    )
    merged = frame.assign(framework=frame["cadre_code"].map(ref.framework_of)).merge(
        crit, on=["framework", "criterion_code"], how="left"
    )
    known = merged["cadre_code"].isin(ref.cadres["cadre_code"])
    out += _row_findings(
        merged,
        known & merged["points"].isna(),
        kind,
        "criterion_code",
        error,
        "criterion_applies",
        "Tiêu chí này không thuộc khung tiêu chí do hội đồng chấm của chức vụ cán bộ.",
    )
    out += _row_findings(
        merged,
        merged["points"].notna() & (merged["score"] > merged["points"]),
        kind,
        "score",
        error,
        "score_within_criterion_points",
        lambda r: (
            f"Điểm vượt điểm tối đa của tiêu chí {r['criterion_code']} ({r['points']:g} điểm)."
        ),
    )
    member_unit = ref.members.set_index("member_code")["unit_code"].get(ctx.scope)
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


def cadre_monitors_commune(frame, ctx, ref) -> list[Finding]:
    mine = ref.monitoring.loc[ref.monitoring["commune_code"] == ctx.sender, "cadre_code"]
    return _row_findings(
        frame,
        ~frame["cadre_code"].isin(mine),
        ctx.kind,
        "cadre_code",
        error,
        "cadre_monitors_commune",
        "Cán bộ này không được phân công theo dõi xã gửi phiếu.",
    )


def collective_is_sender(frame, ctx, ref) -> list[Finding]:
    return _row_findings(
        frame,
        frame["unit_code"] != ctx.sender,
        ctx.kind,
        "unit_code",
        error,
        "collective_is_sender",
        "Đơn vị chỉ tự đánh giá tập thể của chính mình.",
    )


def units_exist(column: str, rule: str) -> Callable:
    def check(frame, ctx, ref) -> list[Finding]:
        units = ref.units["unit_code"] if not ref.units.empty else pd.Series(dtype=str)
        return _row_findings(
            frame,
            ~frame[column].isin(units),
            ctx.kind,
            column,
            error,
            rule,
            "Mã đơn vị không có trong danh mục đơn vị.",
        )

    return check


def position_known(frame, ctx, ref) -> list[Finding]:
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


def commune_is_commune(frame, ctx, ref) -> list[Finding]:
    communes = ref.units.loc[ref.units["unit_kind"] == "XA", "unit_code"]
    return _row_findings(
        frame,
        ~frame["commune_code"].isin(communes),
        ctx.kind,
        "commune_code",
        error,
        "commune_exists",
        "Mã xã không có trong danh mục đơn vị cấp xã.",
    )


def group_known(frame, ctx, ref) -> list[Finding]:
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


def check_references(frame: pd.DataFrame, ctx: FileContext, ref: Reference) -> list[Finding]:
    findings: list[Finding] = []
    for rule in RULES[ctx.kind.code]:
        findings.extend(rule(frame, ctx, ref))
    return findings
