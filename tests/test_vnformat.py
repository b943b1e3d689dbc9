"""Numbers and dates as a Vietnamese party document writes them (HD 36-HD/VPTW, DOMAIN.md)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from danhgia.vnformat import (
    format_date_long,
    format_date_short,
    format_number,
    format_percent,
    format_quantity,
    level_name,
    nfc,
    place_date_line,
    submission_sentence,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (84.44, 1, "84,4"),
        (84.45, 1, "84,5"),  # half up, not banker's rounding
        (87.25, 1, "87,3"),
        (87.25, 2, "87,25"),
        (87.0, 1, "87,0"),
        (1234, 1, "1.234"),  # an int is a count: no decimals
        (1234567.891, 1, "1.234.567,9"),
        (0, 1, "0"),
        (0.0, 2, "0,00"),
        (-3.5, 1, "-3,5"),
        (-0.04, 1, "0,0"),  # never "-0,0"
        (2.675, 2, "2,68"),  # the decimal as written, not the binary float below it
        (99.95, 1, "100,0"),
    ],
)
def test_format_number(value: float, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (120.0, "120"),
        (95.5, "95,5"),
        (1234.567, "1.234,57"),
        (1_234_567, "1.234.567"),
        (0.125, "0,13"),
    ],
)
def test_format_quantity(value: float, expected: str) -> None:
    assert format_quantity(value) == expected


@pytest.mark.parametrize(
    ("ratio", "decimals", "expected"),
    [
        (0.8435, 1, "84,4%"),
        (0.84449, 1, "84,4%"),
        (1.0, 1, "100,0%"),
        (1.05, 0, "105%"),
        (12.345, 1, "1.234,5%"),
        (0, 1, "0,0%"),
        (0.005, 0, "1%"),
    ],
)
def test_format_percent(ratio: float, decimals: int, expected: str) -> None:
    assert format_percent(ratio, decimals) == expected
    assert " %" not in format_percent(ratio, decimals)


@pytest.mark.parametrize("bad", [None, "84,4", True, float("nan"), float("inf")])
def test_numbers_refuse_what_is_not_a_number(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        format_number(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2022, 12, 14), "ngày 14 tháng 12 năm 2022"),
        (dt.date(2023, 2, 5), "ngày 05 tháng 02 năm 2023"),
        (dt.date(2023, 1, 31), "ngày 31 tháng 01 năm 2023"),
        (dt.date(2025, 3, 1), "ngày 01 tháng 3 năm 2025"),
        (dt.date(2025, 10, 9), "ngày 09 tháng 10 năm 2025"),
        (dt.date(2025, 11, 30), "ngày 30 tháng 11 năm 2025"),
    ],
)
def test_format_date_long(day: dt.date, expected: str) -> None:
    assert format_date_long(day) == expected


def test_format_date_long_accepts_a_datetime() -> None:
    assert format_date_long(dt.datetime(2025, 12, 14, 9, 30)) == "ngày 14 tháng 12 năm 2025"


@pytest.mark.parametrize(
    ("day", "expected"),
    [(dt.date(2022, 12, 14), "14/12/2022"), (dt.date(2023, 2, 5), "05/02/2023")],
)
def test_format_date_short(day: dt.date, expected: str) -> None:
    assert format_date_short(day) == expected


@pytest.mark.parametrize("bad", [None, "2025-12-14", 20251214])
def test_dates_refuse_what_is_not_a_date(bad: object) -> None:
    with pytest.raises(TypeError):
        format_date_long(bad)  # type: ignore[arg-type]


def test_place_date_line() -> None:
    assert place_date_line("Sơn Hà", dt.date(2022, 12, 14)) == "Sơn Hà, ngày 14 tháng 12 năm 2022"
    decomposed = unicodedata.normalize("NFD", "Hòa Bình")
    line = place_date_line(decomposed, dt.date(2023, 2, 5))
    assert line == "Hòa Bình, ngày 05 tháng 02 năm 2023"
    assert unicodedata.is_normalized("NFC", line)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("HTXSNV", "Hoàn thành xuất sắc nhiệm vụ"),
        ("HTTNV", "Hoàn thành tốt nhiệm vụ"),
        ("HTNV", "Hoàn thành nhiệm vụ"),
        ("KHTNV", "Không hoàn thành nhiệm vụ"),
        (None, "Không xếp loại"),
    ],
)
def test_level_name(code: str | None, expected: str) -> None:
    assert level_name(code) == expected
    assert unicodedata.is_normalized("NFC", level_name(code))


@pytest.mark.parametrize("bad", ["htxsnv", "XS", ""])
def test_level_name_refuses_unknown_codes(bad: str) -> None:
    with pytest.raises(ValueError):
        level_name(bad)


@pytest.mark.parametrize(
    "text", ["Nguyễn Thị Ánh Tuyết", "Đặng Thu Thủy", "Hoàng Văn Ước", "TỈNH ỦY SƠN HÀ"]
)
def test_nfc(text: str) -> None:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    assert nfc(decomposed) == text
    assert nfc(text) == text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("commune_forms", "Phiếu nhận xét cán bộ theo dõi xã", 151, 151, 151, 151),
            "151/151 đảng ủy xã đã gửi phiếu nhận xét cán bộ theo dõi xã",
        ),
        (
            ("council_scores", "Phiếu chấm điểm của hội đồng tư vấn", 8, 7, 7, 7),
            "7/8 thành viên hội đồng đã gửi phiếu chấm điểm",
        ),
        (
            ("collective", "Tự đánh giá, xếp loại tập thể", 40, 38, 37, 35),
            "38/40 đơn vị đã gửi báo cáo tự đánh giá, xếp loại tập thể (37 hợp lệ, 35 đúng hạn)",
        ),
        (
            ("quarterly_progress", "Báo cáo tiến độ hằng quý", 1200, 1187, 1187, 1187),
            "Đã nhận 1.187/1.200 báo cáo tiến độ hằng quý",
        ),
        (("new_kind", "Biên bản họp", 3, 0), "0/3 đơn vị đã gửi biên bản họp"),
    ],
)
def test_submission_sentence(args: tuple, expected: str) -> None:
    assert submission_sentence(*args) == expected
