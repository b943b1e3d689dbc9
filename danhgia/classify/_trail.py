"""Level codes as integers, the explanation trail, and its replay.

Inside the engine a level is its index in ``LEVELS`` (0 = HTXSNV, the best, ... 3 = KHTNV), so
"better than" is ``<`` and "at most" is ``max``; ``NOT_CLASSIFIED`` (-1) marks a cadre who is
not classified (NĐ 90/2020: under the minimum time in post).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from danhgia.kinds import LEVELS

NOT_CLASSIFIED = -1
EXPLANATION_COLUMNS = (
    "subject_code",
    "step_order",
    "step",
    "from_level",
    "to_level",
    "reason",
    "rule_ref",
)
# index -1 (not classified) picks the trailing None
_CODES = np.array([*LEVELS, None], dtype=object)
_INDEX = {code: i for i, code in enumerate(LEVELS)}


def level_index(code: str) -> int:
    """The integer of one level code (0 = HTXSNV)."""
    return _INDEX[code]


def to_index(values: pd.Series, what: str) -> np.ndarray:
    """Level codes -> integers; missing -> NOT_CLASSIFIED; an unknown code is an error."""
    present = values.notna()
    unknown = sorted(set(values[present]) - set(LEVELS))
    if unknown:
        raise ValueError(f"{what}: mức xếp loại không hợp lệ {unknown}; phải là một trong {LEVELS}")
    mapped = values.map(_INDEX)
    return mapped.fillna(NOT_CLASSIFIED).to_numpy(dtype=np.int64)


def to_codes(idx: np.ndarray) -> np.ndarray:
    """Integers -> level codes (object array), NOT_CLASSIFIED -> None."""
    return _CODES[idx]


def level_series(idx: np.ndarray) -> pd.Series:
    """A level column that keeps ``None`` (pandas 3 would otherwise infer ``str`` with NaN)."""
    return pd.Series(to_codes(idx), dtype=object)


@dataclass
class Trail:
    """Collects explanation rows step by step, then orders them per subject.

    ``seq`` is an internal sort key (the step's number times ten plus a sub-step); the public
    ``step_order`` is renumbered 1, 2, 3 ... per subject so that replay needs nothing else.
    Rows are kept as plain arrays and assembled into one frame at the end (cheap for both a
    ten-row test and 100,000 cadres).
    """

    codes: np.ndarray
    parts: list[dict[str, np.ndarray]] = field(default_factory=list)

    def add(
        self,
        mask: np.ndarray,
        seq: int,
        step: str,
        from_idx: np.ndarray | None,
        to_idx: np.ndarray | None,
        reasons: np.ndarray | pd.Series | list[str],
        rule_ref: str,
    ) -> None:
        """Record one row for every subject in ``mask``; arrays other than ``reasons`` are
        full-length (indexed by ``mask`` here), ``reasons`` has one entry per masked subject.
        ``None`` for ``from_idx``/``to_idx`` means "no level" (before step 1 / not classified).
        """
        n = int(mask.sum())
        if n == 0:
            return
        none = np.full(n, None, dtype=object)
        part = {
            "subject_code": self.codes[mask],
            "seq": np.full(n, seq, dtype=np.int64),
            "step": np.full(n, step, dtype=object),
            "from_level": none if from_idx is None else to_codes(from_idx[mask]),
            "to_level": none if to_idx is None else to_codes(to_idx[mask]),
            "reason": np.asarray(reasons, dtype=object),
            "rule_ref": np.full(n, rule_ref, dtype=object),
        }
        if len(part["reason"]) != n:
            raise AssertionError(f"step {step}: {len(part['reason'])} reasons for {n} rows")
        self.parts.append(part)

    def frame(self) -> pd.DataFrame:
        """All rows, sorted by subject_code then step, with step_order 1..n per subject."""
        columns = [c for c in EXPLANATION_COLUMNS if c != "step_order"]
        data = {
            c: np.concatenate([p[c] for p in self.parts]) if self.parts else np.array([], object)
            for c in [*columns, "seq"]
        }
        order = np.lexsort((data["seq"], data["subject_code"]))
        df = pd.DataFrame({c: pd.Series(data[c][order], dtype=object) for c in columns})
        df.insert(1, "step_order", df.groupby("subject_code", sort=False).cumcount().add(1))
        return df


def replay(explanations: pd.DataFrame) -> dict[str, str | None]:
    """Replay each subject's explanation rows in step_order: the level after the last row.

    Every step that changes a level writes a row whose ``to_level`` is the new level (None when
    the subject is not classified), and step 1 always writes one, so the last row's
    ``to_level`` must equal the subject's ``final_level``: a test checks it for every subject.
    """
    ordered = explanations.sort_values(["subject_code", "step_order"], kind="stable")
    last = ordered.drop_duplicates("subject_code", keep="last")
    return {
        code: (None if pd.isna(level) else str(level))
        for code, level in zip(last["subject_code"], last["to_level"], strict=True)
    }
