"""The configuration of one evaluation cycle, validated before anything is scored.

A mistake in the file (weights that do not add up, an unknown criterion, thresholds out of
order) stops the run with a message naming the file, the key and the problem.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from danhgia.kinds import KINDS, LEVELS, QUARTERS

Level = Literal["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
Source = Literal["council", "tasks", "unit_result", "commune_forms"]


class ConfigError(Exception):
    """The cycle configuration cannot be used; the message says where and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Province(_Strict):
    name: str
    issuing_body: str
    board_name: str
    department: str
    place: str
    board_unit_code: str
    confidentiality: str = ""
    signer_title: str
    signer_role: str


class Documents(_Strict):
    """How the cycle's documents are numbered and dated (Hướng dẫn 36-HD/VPTW)."""

    date: dt.date
    dossier_symbol: str  # "HSĐG" -> "Số 12-HSĐG/TU"
    unit_dossier_symbol: str
    summary_number: str  # the full number of the board's summary report


class Deadlines(_Strict):
    reference: dt.date
    task_register: dt.date
    quarterly_progress: dict[str, dt.date]
    self_assessment: dt.date
    commune_forms: dt.date
    collective: dt.date
    council_scores: dt.date

    @model_validator(mode="after")
    def _every_quarter_has_a_deadline(self) -> Deadlines:
        missing = [q for q in QUARTERS if q not in self.quarterly_progress]
        if missing:
            raise ValueError(f"quarterly_progress thiếu hạn của {', '.join(missing)}")
        return self

    def due(self, kind: str, scope: str) -> dt.date:
        """The deadline of one submission; KeyError for a kind or period with none.

        The board's reference data shares one date (``reference``)."""
        if kind in KINDS and KINDS[kind].reference:
            return self.reference
        if kind not in type(self).model_fields or kind == "reference":
            raise KeyError(kind)
        value = getattr(self, kind)
        if isinstance(value, dict):
            return value[scope]
        return value

    def due_if_any(self, kind: str, scope: str) -> dt.date | None:
        """``due``, or None for a kind or period that has no deadline."""
        try:
            return self.due(kind, scope)
        except KeyError:
            return None


class Criterion(_Strict):
    code: str
    name: str
    points: float = Field(gt=0)
    source: Source
    fallback: str | None = None


class Framework(_Strict):
    name: str
    criteria: list[Criterion]

    @model_validator(mode="after")
    def _points_add_up_to_100(self) -> Framework:
        total = sum(c.points for c in self.criteria)
        if abs(total - 100) > 1e-9:
            raise ValueError(f"tổng điểm các tiêu chí là {total:g}, phải bằng 100")
        codes = [c.code for c in self.criteria]
        if len(set(codes)) != len(codes):
            raise ValueError("mã tiêu chí bị trùng")
        for c in self.criteria:
            if c.fallback and c.fallback not in codes:
                raise ValueError(f"tiêu chí {c.code}: fallback '{c.fallback}' không có trong khung")
        return self


class Group(_Strict):
    code: str
    name: str
    positions: list[str]
    framework: str


class TaskScoring(_Strict):
    quantity_cap: float = Field(ge=1)
    exceeded_ratio: float = Field(gt=0)
    late_penalty: float = Field(ge=0, le=1)
    error_penalty: float = Field(ge=0, le=1)


class Council(_Strict):
    trim_from_members: int = Field(ge=3)
    spread_flag_share: float = Field(gt=0, le=1)


class LevelShares(_Strict):
    level_share: dict[Level, float]

    @model_validator(mode="after")
    def _every_level(self) -> LevelShares:
        missing = [lv for lv in LEVELS if lv not in self.level_share]
        if missing:
            raise ValueError(f"level_share thiếu mức {', '.join(missing)}")
        return self


class UnitResult(LevelShares):
    subordinate_khtnv_factor: float = Field(ge=0, le=1)


class Collective(_Strict):
    not_completed_below: float = Field(ge=0, le=1)
    max_level_below_full_completion: Level


class TopLevelCondition(_Strict):
    all_tasks_on_time: bool = False
    min_exceeded_share: float = Field(default=0, ge=0, le=1)
    no_disciplined_leader_in_unit: bool = False


class Triggers(_Strict):
    discipline_measures: list[str]
    unit_completion_below: float = Field(ge=0, le=1)
    subordinate_khtnv_share_above: float = Field(ge=0, le=1)
    low_confidence_share_above: float = Field(ge=0, le=1)


class TimeInPost(_Strict):
    min_months_worked: float = Field(ge=0, le=12)
    months_off_cap_from: float = Field(ge=0, le=12)
    months_off_cap_level: Level


class Quota(_Strict):
    rate: float = Field(ge=0, le=1)
    tie_rule: Literal["all_tied_move_down", "code_order"]


class Quarterly(_Strict):
    """Provisional quarterly levels (KL 198, HD 43): progress against the share of the year's
    target expected by the end of each quarter, scored on 100 and read with the thresholds."""

    expected_share: dict[str, float]
    progress_cap: float = Field(ge=1)

    @model_validator(mode="after")
    def _every_quarter(self) -> Quarterly:
        missing = [q for q in QUARTERS if q not in self.expected_share]
        if missing:
            raise ValueError(f"expected_share thiếu {', '.join(missing)}")
        if any(not 0 < v <= 1 for v in self.expected_share.values()):
            raise ValueError("expected_share phải nằm trong (0, 1]")
        return self


class Calendar(_Strict):
    """When the flows run by themselves; the deadlines themselves are in ``deadlines``."""

    timezone: str
    collection_window: dict[Literal["start", "end"], dt.date]
    collection_time: dt.time
    reminder_weekday: Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    reminder_time: dt.time
    reminder_days_before: list[int]
    review_days_after_deadline: int = Field(ge=0)
    review_time: dt.time

    @model_validator(mode="after")
    def _window_in_order(self) -> Calendar:
        if set(self.collection_window) != {"start", "end"}:
            raise ValueError("collection_window phải có start và end")
        if self.collection_window["start"] > self.collection_window["end"]:
            raise ValueError("collection_window: start phải trước end")
        return self


class CycleConfig(_Strict):
    cycle: int
    version: str
    province: Province
    documents: Documents
    deadlines: Deadlines
    thresholds: dict[Literal["HTXSNV", "HTTNV", "HTNV"], float]
    groups: list[Group]
    frameworks: dict[str, Framework]
    task_scoring: TaskScoring
    council: Council
    commune_forms: LevelShares
    unit_result: UnitResult
    collective: Collective
    top_levels: dict[Literal["HTXSNV", "HTTNV"], TopLevelCondition]
    not_completed_triggers: Triggers
    time_in_post: TimeInPost
    excellent_quota: Quota
    quarterly: Quarterly
    calendar: Calendar

    @model_validator(mode="after")
    def _consistent(self) -> CycleConfig:
        t = self.thresholds
        if set(t) != {"HTXSNV", "HTTNV", "HTNV"}:
            raise ValueError("thresholds phải có đủ HTXSNV, HTTNV, HTNV")
        if not (t["HTXSNV"] > t["HTTNV"] > t["HTNV"] >= 0):
            raise ValueError("thresholds phải giảm dần: HTXSNV > HTTNV > HTNV ≥ 0")
        seen: set[str] = set()
        for g in self.groups:
            if g.framework not in self.frameworks:
                raise ValueError(f"nhóm {g.code}: không có khung tiêu chí '{g.framework}'")
            dup = seen.intersection(g.positions)
            if dup:
                raise ValueError(f"chức vụ {', '.join(sorted(dup))} thuộc nhiều nhóm")
            seen.update(g.positions)
        return self

    def group_of_position(self) -> dict[str, str]:
        return {p: g.code for g in self.groups for p in g.positions}

    def criteria_rows(self) -> list[dict]:
        """One row per (framework, criterion), for loading into the warehouse."""
        return [
            {
                "framework": name,
                "criterion_code": c.code,
                "criterion_name": c.name,
                "points": c.points,
                "source": c.source,
                "fallback": c.fallback,
                "ordinal": i,
            }
            for name, fw in self.frameworks.items()
            for i, c in enumerate(fw.criteria)
        ]


def _format_error(path: Path, err: ValidationError) -> str:
    lines = [f"Tệp cấu hình {path} không hợp lệ:"]
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"]) or "(gốc)"
        msg = e["msg"].removeprefix("Value error, ")
        lines.append(f"  - khóa '{key}': {msg}")
    return "\n".join(lines)


def load_cycle_config(path: Path) -> CycleConfig:
    """Read and validate one cycle's YAML; raise ConfigError naming file, key and problem."""
    if not path.exists():
        raise ConfigError(f"Không tìm thấy tệp cấu hình kỳ đánh giá: {path}")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"Tệp cấu hình {path} không đọc được (YAML): {exc}") from exc
    try:
        return CycleConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_format_error(path, exc)) from exc
