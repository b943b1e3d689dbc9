"""Text that a spreadsheet must never run as a formula (issue #8, "Exports are safe").

Excel and LibreOffice read typed text that starts with one of ``FORMULA_TRIGGERS`` as a
formula. An ``.xlsx`` cell can say it is text (``danhgia.workbook.write_cell``); a CSV cell
cannot, and there a leading tab or carriage return can hide a trigger too, so such a cell
gets Excel's own escape, a leading quote.
"""

from __future__ import annotations

#: What makes Excel or LibreOffice read typed text as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@")
#: What a CSV cell must not start with: the triggers and the blanks that can hide one.
CSV_TRIGGERS = (*FORMULA_TRIGGERS, "\t", "\r")


def neutralise_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_TRIGGERS) else text
