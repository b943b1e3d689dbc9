"""Checks on the frames the engine receives: a wrong input stops with a message, never a guess.

The frames come from the warehouse (SQL) after validation, so a failure here is a bug upstream;
the messages are in Vietnamese like the rest of the project's errors and name the subjects.
"""

from __future__ import annotations

import pandas as pd

_SHOWN = 5  # subject codes named in one message


def _names(codes: pd.Series) -> str:
    shown = sorted(map(str, codes))[:_SHOWN]
    more = len(codes) - len(shown)
    return ", ".join(shown) + (f" và {more} mã khác" if more > 0 else "")


def require_columns(df: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: thiếu cột {', '.join(missing)}")


def sorted_unique(df: pd.DataFrame, key: str, what: str) -> pd.DataFrame:
    """Sort by the subject code (the result must not depend on row order) and refuse duplicates
    or missing codes, which would make the per-subject result ambiguous."""
    if df[key].isna().any():
        raise ValueError(f"{what}: có dòng thiếu {key}")
    dup = df[key][df[key].duplicated()]
    if len(dup):
        raise ValueError(f"{what}: {key} bị trùng: {_names(dup.drop_duplicates())}")
    return df.sort_values(key, kind="stable", ignore_index=True)


def refuse(df: pd.DataFrame, bad: pd.Series, key: str, what: str, problem: str) -> None:
    """Raise naming the subjects for which ``bad`` is true."""
    if bad.any():
        raise ValueError(f"{what}: {problem}: {_names(df.loc[bad, key])}")


def as_bool(values: pd.Series) -> pd.Series:
    """A flag column; missing means "no" (e.g. no disciplined leader reported)."""
    return values.astype(object).where(values.notna(), False).astype(bool)


def as_float(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="raise").astype("float64")
