"""How numbers, dates and levels read in a Vietnamese party document.

Numbers go through Babel's ``vi`` locale (thousands ".", decimals ",") so that the separators
come from CLDR, not from code. Rounding is half-up, as a reader checking a total by hand
expects (87,25 -> 87,3), not Python's banker's rounding.

Dates follow Hướng dẫn 36-HD/VPTW: a leading zero for days under 10 and for months 1 and 2
(``ngày 05 tháng 02 năm 2023``) but not for the other months (``ngày 14 tháng 12``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import unicodedata
from numbers import Real

from babel.dates import format_date
from babel.numbers import format_decimal

from danhgia.kinds import LEVEL_NAMES

LOCALE = "vi"
NOT_CLASSIFIED = "Không xếp loại"


def nfc(text: str) -> str:
    """NFC form, so that text typed with decomposed accents compares and renders as typed."""
    return unicodedata.normalize("NFC", text)


def _to_decimal(x: Real) -> decimal.Decimal:
    """Exact decimal of the number as written (repr), so 87.25 stays 87.25 and rounds up."""
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"expected a number, got {type(x).__name__}: {x!r}")
    value = decimal.Decimal(repr(float(x))) if not isinstance(x, int) else decimal.Decimal(x)
    if not value.is_finite():
        raise ValueError(f"cannot format a non-finite number: {x!r}")
    return value


def _pattern(decimals: int, *, optional: bool = False, percent: bool = False) -> str:
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    fraction = ("#" if optional else "0") * decimals
    pattern = "#,##0" + (f".{fraction}" if decimals else "")
    return pattern + ("%" if percent else "")


def _format(value: decimal.Decimal, pattern: str) -> str:
    with decimal.localcontext() as ctx:
        ctx.rounding = decimal.ROUND_HALF_UP
        text = format_decimal(value, format=pattern, locale=LOCALE, decimal_quantization=True)
    # A value that rounds to zero must not read "-0,0".
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        text = text[1:]
    return text


def format_number(x: Real, decimals: int = 1) -> str:
    """A score or average with a fixed number of decimals; an ``int`` is a count, shown whole.

    Fixed decimals keep a column of scores aligned and comparable (``87,0`` next to ``86,5``).
    """
    if isinstance(x, int) and not isinstance(x, bool):
        decimals = 0
    return _format(_to_decimal(x), _pattern(decimals))


def format_quantity(x: Real, max_decimals: int = 2) -> str:
    """A target or achieved value as the unit reported it: ``120`` km, ``95,5`` %, ``1.234``.

    Trailing zeros are dropped because a target of 120 written "120,00" looks invented.
    """
    return _format(_to_decimal(x), _pattern(max_decimals, optional=True))


def format_percent(ratio: Real, decimals: int = 1) -> str:
    """A ratio as a percent, ``0.8435 -> "84,4%"`` (no space before % in Vietnamese documents).

    CLDR's ``vi`` percent pattern (``#,##0%``) already has no space; the pattern is built here
    only to choose the decimals.
    """
    return _format(_to_decimal(ratio), _pattern(decimals, percent=True))


def _check_date(d: dt.date) -> dt.date:
    if not isinstance(d, dt.date):
        raise TypeError(f"expected a date, got {type(d).__name__}: {d!r}")
    return d


def format_date_long(d: dt.date) -> str:
    """``ngày 05 tháng 02 năm 2023`` / ``ngày 14 tháng 12 năm 2022`` (HD 36-HD/VPTW)."""
    d = _check_date(d)
    month = "MM" if d.month <= 2 else "M"
    return format_date(d, f"'ngày' dd 'tháng' {month} 'năm' yyyy", locale=LOCALE)


def place_date_line(place: str, d: dt.date) -> str:
    """The italic line under the party name: ``Sơn Hà, ngày 14 tháng 12 năm 2022``."""
    return f"{nfc(place)}, {format_date_long(d)}"


def format_date_short(d: dt.date) -> str:
    """``05/02/2023``: in tables, where the long form does not fit."""
    return format_date(_check_date(d), "dd/MM/yyyy", locale=LOCALE)


def level_name(code: str | None) -> str:
    """The Vietnamese name of a level; ``None`` means the cadre was not classified.

    An unknown code raises: a signed dossier must never show a guessed level.
    """
    if code is None:
        return NOT_CLASSIFIED
    try:
        return LEVEL_NAMES[code]
    except KeyError:
        raise ValueError(f"unknown level code: {code!r}") from None


#: Who sends each kind of submission, and what the sentence calls what they send. A kind owed
#: once per period (quarterly reports) is counted in reports, not in senders: ``None``.
SUBMISSION_WORDING: dict[str, tuple[str | None, str]] = {
    "task_register": ("đơn vị", "bản đăng ký cam kết và nhiệm vụ được giao"),
    "quarterly_progress": (None, "báo cáo tiến độ hằng quý"),
    "self_assessment": ("đơn vị", "báo cáo tự đánh giá cuối năm"),
    "council_scores": ("thành viên hội đồng", "phiếu chấm điểm"),
    "commune_forms": ("đảng ủy xã", "phiếu nhận xét cán bộ theo dõi xã"),
    "collective": ("đơn vị", "báo cáo tự đánh giá, xếp loại tập thể"),
}
DEFAULT_SENDER = "đơn vị"


def submission_sentence(
    kind: str,
    kind_title: str,
    expected: int,
    received: int,
    accepted: int | None = None,
    on_time: int | None = None,
) -> str:
    """How many sent what, in words: ``151/151 đảng ủy xã đã gửi phiếu nhận xét ...``.

    When some of what was received was refused or late, the sentence says how many were valid
    and how many on time: ``7/8 đơn vị đã gửi ... (6 hợp lệ, 5 đúng hạn)``.
    """
    sender, what = SUBMISSION_WORDING.get(
        kind, (DEFAULT_SENDER, kind_title[:1].lower() + kind_title[1:])
    )
    count = f"{format_number(int(received))}/{format_number(int(expected))}"
    text = f"Đã nhận {count} {what}" if sender is None else f"{count} {sender} đã gửi {what}"
    accepted = received if accepted is None else accepted
    on_time = accepted if on_time is None else on_time
    if (accepted, on_time) != (received, received):
        text += f" ({format_number(int(accepted))} hợp lệ, {format_number(int(on_time))} đúng hạn)"
    return nfc(text)
