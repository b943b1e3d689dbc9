"""A finding is one thing wrong with a file, said so that the unit can fix it."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass
from typing import Literal

import pandas as pd

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    rule: str  # stable rule code, e.g. "cadre_holds_post_in_unit"
    message: str  # Vietnamese, says what is wrong and how to fix it
    sheet: str | None = None
    row: int | None = None  # the Excel row number the unit sees
    column: str | None = None  # the Vietnamese header the unit sees
    value: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def error(rule: str, message: str, **where: object) -> Finding:
    return Finding("error", rule, message, **_where(where))


def warning(rule: str, message: str, **where: object) -> Finding:
    return Finding("warning", rule, message, **_where(where))


def display_value(value: object) -> str:
    """A cell value as the unit typed it: decimal comma, no trailing ',0', dates d/m/y."""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _where(where: dict) -> dict:
    out = dict(where)
    value = out.get("value")
    missing = value is None or value is pd.NA or value is pd.NaT
    if missing or (isinstance(value, float) and math.isnan(value)):
        out["value"] = None
    else:
        out["value"] = display_value(value)
    if out.get("row") is not None:
        out["row"] = int(out["row"])
    return out


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
