"""Vietnamese number formatting for the reasons written into the explanations.

A small local helper on purpose (``danhgia/vnformat.py`` is being written separately): decimal
comma, dot for thousands (``84,4%``, ``1.234``), as the DOMAIN's conventions ask.

Values are *truncated*, not rounded, to the shown decimals, so that a value just below a
threshold never reads as the threshold itself (69,99% of tasks is shown as ``69,9%``, not as
``70,0%`` next to the words "dưới 70,0%").
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

_SWAP = str.maketrans({",": ".", ".": ","})
_EPS = 1e-6  # absorbs float noise such as 87.3 * 100 == 8729.999999999999 before truncation


def _vn(text: str) -> str:
    """Turn Python's ``1,234.5`` into Vietnamese ``1.234,5``."""
    return text.translate(_SWAP)


def _truncate(x: float, decimals: int) -> float:
    scale = 10**decimals
    return math.floor(x * scale + _EPS) / scale


def fmt_int(n: float) -> str:
    """``1234`` -> ``1.234``."""
    return _vn(f"{int(n):,d}")


def fmt_points(x: float) -> str:
    """A total on the 100-point scale: one decimal, two when the second one is not zero.

    ``87.3`` -> ``87,3``; ``92`` -> ``92,0``; ``89.996`` -> ``89,99``.
    """
    t = _truncate(x, 2)
    decimals = 1 if abs(t * 10 - round(t * 10)) < _EPS else 2
    return _vn(f"{t:,.{decimals}f}")


def fmt_percent(share: float) -> str:
    """A share shown as a percentage with one decimal: ``0.2`` -> ``20,0%``."""
    return _vn(f"{_truncate(share * 100, 1):,.1f}") + "%"


def fmt_plain(x: float, max_decimals: int = 2) -> str:
    """A number without trailing zeros: ``6`` -> ``6``, ``4.5`` -> ``4,5``, ``20.0`` -> ``20``."""
    text = f"{_truncate(x, max_decimals):,.{max_decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _vn(text)


def fmt_series(values: pd.Series, fmt: Callable[[float], str]) -> pd.Series:
    """Format a column by formatting each distinct value once (totals repeat a lot)."""
    mapping = {v: fmt(v) for v in pd.unique(values)}
    return values.map(mapping).astype(object)
