"""Real PDFs, read back: what an official signs must say what the data says, and nothing else.

Each PDF is rendered once per module (WeasyPrint takes about a second per document) and read
back with pypdf and pdftotext.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from fontTools.misc.timeTools import timestampSinceEpoch
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from danhgia.dossiers import task_remarks
from danhgia.render import (
    AssetsOnlyFetcher,
    Renderer,
    ResourceRefused,
    make_environment,
    render_html,
    render_pdf,
)
from danhgia.settings import PROJECT_ROOT

TEMPLATES = PROJECT_ROOT / "report_templates"
DOSSIER = "dossier_cadre.html.j2"
SUMMARY = "summary.html.j2"
DOC_DATE = dt.date(2025, 12, 14)
HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel=stylesheet href="http://example.com/x.css">',
    "url(file:///etc/passwd)",
    "</td></tr></table><h1>X</h1>",
]
pdftotext_missing = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler")


# --- realistic contexts --------------------------------------------------------------------


def doc_block(title: str, subtitle: str, number: str) -> dict:
    return {
        "issuing_body": "TỈNH ỦY SƠN HÀ",
        "department": "BAN TỔ CHỨC",
        "number": number,
        "place": "Sơn Hà",
        "date": DOC_DATE,
        "title": title,
        "subtitle": subtitle,
        "confidentiality": "MẬT",
        "signer_title": "T/M BAN THƯỜNG VỤ",
        "signer_role": "BÍ THƯ",
        "signer_name": "Hoàng Thị Thu Hường",
    }


TASK_CONTENTS = [
    "Hoàn thành xây dựng nông thôn mới nâng cao tại xã Mường Khương",
    "Tỷ lệ hộ nghèo giảm theo chỉ tiêu Nghị quyết Đại hội",
    "Kết nạp đảng viên mới trong năm",
    "Trồng rừng tập trung, nâng độ che phủ rừng",
    "Giải ngân vốn đầu tư công đúng tiến độ",
    "Xây dựng đường giao thông liên xã Đồng Tâm – Yên Lạc",
]


def make_task(i: int, content: str | None = None) -> dict:
    long_term = i % 11 == 0
    target = float(10 * (i % 7 + 1))
    achieved = None if i % 13 == 5 else target * (0.8 + (i % 5) * 0.1)
    ratio = None if achieved is None else achieved / target
    return {
        "task_code": f"NV{i:03d}",
        "content": content or TASK_CONTENTS[i % len(TASK_CONTENTS)],
        "origin": "Ban Thường vụ giao" if i % 2 else "Cam kết trách nhiệm",
        "measure_unit": "km" if i % 3 == 0 else "%",
        "target": target,
        "achieved": achieved,
        "completed": None if long_term or achieved is None else ratio >= 1,
        "on_time": None if achieved is None else i % 4 != 1,
        "long_term": long_term,
        "ratio": ratio,
        "score": None if ratio is None else min(ratio, 1.2),
        "evidence": None if achieved is None else f"Báo cáo số {40 + i}/BC-UBND ngày 15/11/2025",
        "obstacles": "Thiếu vốn đối ứng của ngân sách huyện" if i % 4 == 2 else None,
        "proposals": "Đề nghị tỉnh bổ sung kinh phí thực hiện" if i % 4 in (2, 3) else " ",
    }


def dossier_context(n_tasks: int = 8, **override: object) -> dict:
    tasks = [make_task(i) for i in range(1, n_tasks + 1)]
    context = {
        "doc": doc_block(
            "HỒ SƠ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM 2025",
            "Đồng chí Nguyễn Thị Ánh Tuyết – Bí thư Huyện ủy Mường Khương",
            "12-HSĐG/TU",
        ),
        "cycle": 2025,
        "cadre": {
            "code": "CB0042",
            "full_name": "Nguyễn Thị Ánh Tuyết",
            "gender": "Nữ",
            "birth_year": 1972,
            "group_name": "Bí thư huyện ủy, thành ủy",
            "unit_name": "Huyện ủy Mường Khương",
            "position_title": "Bí thư Huyện ủy",
        },
        "posts": [
            {
                "unit_name": "Huyện ủy Mường Khương",
                "position_title": "Bí thư Huyện ủy",
                "start_date": dt.date(2025, 3, 1),
                "end_date": None,
            },
            {
                "unit_name": "Sở Nông nghiệp và Phát triển nông thôn",
                "position_title": "Giám đốc Sở",
                "start_date": dt.date(2021, 6, 15),
                "end_date": dt.date(2025, 2, 28),
            },
        ],
        "tasks": tasks,
        "task_remarks": task_remarks(tasks),
        "task_summary": {
            "count": n_tasks,
            "completed": max(n_tasks - 2, 0),
            "on_time": max(n_tasks - 3, 0),
            "exceeded": min(3, n_tasks),
            "exceeded_share": min(3, n_tasks) / n_tasks if n_tasks else 0.0,
        },
        "quarterly": [
            {"quarter": "Q1", "progress": 0.31},
            {"quarter": "Q2", "progress": 0.55},
            {"quarter": "Q3", "progress": 0.78},
            {"quarter": "Q4", "progress": 1.04},
        ],
        "criteria": [
            {
                "code": "TC1",
                "name": "Phẩm chất chính trị, tư tưởng",
                "points": 5.0,
                "score": 4.75,
                "source": "council",
                "mean": 4.75,
                "min": 4.0,
                "max": 5.0,
                "n_members": 7,
                "spread_flag": False,
            },
            {
                "code": "TC2",
                "name": "Đạo đức, lối sống",
                "points": 5.0,
                "score": 4.5,
                "source": "council",
                "mean": 4.5,
                "min": 2.5,
                "max": 5.0,
                "n_members": 7,
                "spread_flag": True,
            },
            {
                "code": "KQ1",
                "name": "Kết quả thực hiện nhiệm vụ được giao",
                "points": 45.0,
                "score": 40.5,
                "source": "tasks",
                "mean": None,
                "min": None,
                "max": None,
                "n_members": None,
                "spread_flag": False,
            },
            {
                "code": "KQ2",
                "name": "Kết quả xếp loại tập thể do mình lãnh đạo",
                "points": 20.0,
                "score": 16.0,
                "source": "unit_result",
                "mean": None,
                "min": None,
                "max": None,
                "n_members": None,
                "spread_flag": False,
            },
            {
                "code": "KQ3",
                "name": "Kết quả theo dõi địa bàn xã",
                "points": 25.0,
                "score": 21.5,
                "source": "commune_forms",
                "mean": None,
                "min": None,
                "max": None,
                "n_members": None,
                "spread_flag": False,
            },
        ],
        "commune_forms": [
            {
                "commune_name": "Xã Bản Lầu",
                "visits": 6,
                "meetings": 4,
                "has_plan": True,
                "reports_on_time": True,
                "level": "HTXSNV",
                "recommend_commendation": True,
                "request_replacement": False,
                "comment": "Đồng chí thường xuyên về cơ sở.",
            },
            {
                "commune_name": "Xã Lùng Vai",
                "visits": 2,
                "meetings": 1,
                "has_plan": False,
                "reports_on_time": False,
                "level": "HTNV",
                "recommend_commendation": False,
                "request_replacement": True,
                "comment": "Ít về xã; đề nghị bố trí người khác.",
            },
        ],
        "self_proposed_level": "HTXSNV",
        "total": 87.25,
        "points_level": "HTTNV",
        "final_level": "HTNV",
        "explanations": [
            {
                "step": "Điều kiện mức tốt",
                "from_level": "HTTNV",
                "to_level": "HTNV",
                "reason": "2 nhiệm vụ hoàn thành chậm so với thời hạn được giao.",
                "rule_ref": "QĐ 366-QĐ/TW",
            },
        ],
    }
    context.update(override)
    return context


def summary_context() -> dict:
    groups = [
        (
            "BT_HUYEN",
            "Bí thư huyện ủy, thành ủy",
            {"HTXSNV": 2, "HTTNV": 7, "HTNV": 1, "KHTNV": 0, None: 1},
        ),
        (
            "NDD_SO",
            "Người đứng đầu sở, ban, ngành, cơ quan ngành dọc",
            {"HTXSNV": 4, "HTTNV": 18, "HTNV": 3, "KHTNV": 1, None: 0},
        ),
    ]
    previous = {"HTXSNV": 9, "HTTNV": 20, "HTNV": 5, "KHTNV": 0, None: 0}
    by_group = [
        {
            "group_code": code,
            "group_name": name,
            "total": sum(counts.values()),
            "counts": counts,
            "previous": {k: v // 2 for k, v in previous.items()},
        }
        for code, name, counts in groups
    ]
    totals = {k: sum(g["counts"][k] for g in by_group) for k in groups[0][2]}
    names = ["Lê Văn Đức", "Phạm Thị Hồng Nhung", "Vũ Quốc Khánh", "Đặng Thu Thủy"]
    return {
        "doc": doc_block(
            "BÁO CÁO TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI NĂM 2025",
            "Người đứng đầu các cơ quan, đơn vị trực thuộc Tỉnh ủy",
            "215-BC/TU",
        ),
        "cycle": 2025,
        "previous_cycle": 2024,
        "by_group": by_group,
        "totals": {
            "counts": totals,
            "previous": previous,
            "total": sum(g["total"] for g in by_group),
        },
        "cadres": [
            {
                "code": f"CB{i:04d}",
                "full_name": names[i % 4],
                "unit_name": f"Huyện ủy Bắc Hà {i}",
                "group_name": "Bí thư huyện ủy, thành ủy",
                "total": 70 + i * 0.75,
                "level": ("HTXSNV", "HTTNV", "HTNV", None)[i % 4],
            }
            for i in range(37)
        ],
        "moved": [
            {
                "full_name": "Lê Văn Đức",
                "unit_name": "Huyện ủy Bắc Hà",
                "step": "Hạn mức xuất sắc",
                "from_level": "HTXSNV",
                "to_level": "HTTNV",
                "reason": "Vượt tỉ lệ 20% số cán bộ hoàn thành tốt nhiệm vụ trong nhóm.",
            },
        ],
        "completeness": [
            {
                "kind": "commune_forms",
                "kind_title": "Phiếu nhận xét cán bộ theo dõi xã",
                "expected": 151,
                "received": 151,
                "accepted": 151,
                "on_time": 148,
            },
            {
                "kind": "self_assessment",
                "kind_title": "Báo cáo tự đánh giá",
                "expected": 37,
                "received": 35,
                "accepted": 34,
                "on_time": 30,
            },
            {
                "kind": "council_scores",
                "kind_title": "Phiếu chấm điểm của hội đồng tư vấn",
                "expected": 8,
                "received": 8,
                "accepted": 8,
                "on_time": 8,
            },
        ],
        "missing": [
            {"unit_name": "Sở Tài chính", "kind_title": "Báo cáo tự đánh giá", "scope": "CN"}
        ],
        "quarantined": [
            {
                "unit_code": "SO_TC",
                "file_name": "tu_danh_gia.xlsx",
                "kind_title": "Báo cáo tự đánh giá",
                "errors": ["Dòng 4: thiếu cột «Chỉ tiêu»", "Mã nhiệm vụ trùng"],
            }
        ],
        "coverage": {
            "communes_without_monitor": ["Xã Tả Van"],
            "cadres_with_two_communes": ["Vũ Quốc Khánh"],
            "cadres_left": [],
        },
    }


# --- reading PDFs back ---------------------------------------------------------------------


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def pdftotext(path: Path, *args: str) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def top_margin_text(path: Path, page: int) -> str:
    """Text printed in the top margin (first 60 pt) of one page: where page numbers go."""
    return pdftotext(
        path, "-f", str(page), "-l", str(page), "-x", "0", "-y", "0", "-W", "600", "-H", "60"
    ).strip()


def embedded_fonts(path: Path) -> Iterator[tuple[str, TTFont]]:
    reader = PdfReader(path)
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                name = str(descriptor["/FontName"])
                if name in seen:
                    continue
                seen.add(name)
                data = descriptor["/FontFile2"].get_object().get_data()
                yield name, TTFont(io.BytesIO(data))


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(TEMPLATES)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def dossier_pdf(renderer: Renderer, out_dir: Path) -> Path:
    return renderer.render(
        DOSSIER,
        dossier_context(),
        out_dir / "CB0042.pdf",
        title="Hồ sơ đánh giá — Nguyễn Thị Ánh Tuyết",
    )


@pytest.fixture(scope="module")
def long_pdf(renderer: Renderer, out_dir: Path) -> Path:
    return renderer.render(DOSSIER, dossier_context(60), out_dir / "long.pdf", title="Hồ sơ")


@pytest.fixture(scope="module")
def summary_pdf(renderer: Renderer, out_dir: Path) -> Path:
    return renderer.render(
        SUMMARY, summary_context(), out_dir / "summary.pdf", title="Báo cáo tổng hợp năm 2025"
    )


# --- the dossier says what the data says ---------------------------------------------------


def test_dossier_text_is_nfc_vietnamese(dossier_pdf: Path) -> None:
    text = "\n".join(page_texts(dossier_pdf))
    assert unicodedata.is_normalized("NFC", text)
    for expected in [
        "Nguyễn Thị Ánh Tuyết",
        "87,25",
        "Hoàn thành tốt nhiệm vụ",  # level by points
        "Hoàn thành xuất sắc nhiệm vụ",  # self-proposed
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "TỈNH ỦY SƠN HÀ",
        "BAN TỔ CHỨC",
        "Số 12-HSĐG/TU",
        "Sơn Hà, ngày 14 tháng 12 năm 2025",
        "HỒ SƠ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM 2025",
        "MẬT",
        "Xã Lùng Vai",
        "4,75 / 4,00 / 5,00",
        "01/03/2025",
        "T/M BAN THƯỜNG VỤ",
        "Hoàng Thị Thu Hường",
    ]:
        assert expected in text, expected
    assert "HOÀN THÀNH NHIỆM VỤ" in text  # final level, bold capitals
    assert "Số: " not in text  # HD 36: no colon after "Số"


def test_dossier_prints_what_the_cadre_wrote(dossier_pdf: Path) -> None:
    """Evidence beside each reported task; obstacles and proposals listed together, with the
    task's number in the table, and a blank cell not mistaken for a proposal."""
    text = " ".join(" ".join(page_texts(dossier_pdf)).split())
    assert "Minh chứng: Báo cáo số 41/BC-UBND ngày 15/11/2025" in text
    assert "Minh chứng: Báo cáo số 45/" not in text  # task 5 was not reported
    heading = "Khó khăn, vướng mắc và đề xuất, kiến nghị của cán bộ"
    section = text[text.index(heading) : text.index("III. TIẾN ĐỘ")]
    listed = re.findall(r"\b(\d) (NV\d{3})\b", section)
    assert listed == [("2", "NV002"), ("3", "NV003"), ("6", "NV006"), ("7", "NV007")]
    assert section.count("Thiếu vốn đối ứng của ngân sách huyện") == 2
    assert section.count("Đề nghị tỉnh bổ sung kinh phí thực hiện") == 4
    assert section.count("không nêu") == 2  # tasks 3 and 7 name no obstacle


def test_dossier_says_when_the_cadre_raised_nothing(renderer: Renderer, tmp_path: Path) -> None:
    tasks = [{**make_task(i), "obstacles": None, "proposals": ""} for i in range(1, 4)]
    context = dossier_context(3, tasks=tasks, task_remarks=task_remarks(tasks))
    out = renderer.render(DOSSIER, context, tmp_path / "quiet.pdf", title="Hồ sơ")
    text = " ".join(" ".join(page_texts(out)).split())
    assert (
        "Báo cáo tự đánh giá cuối năm không nêu khó khăn, vướng mắc hay đề xuất, kiến nghị nào."
        in text
    )
    assert "Khó khăn, vướng mắc Đề xuất, kiến nghị" not in text  # no table of nothing


def test_dossier_metadata(dossier_pdf: Path) -> None:
    reader = PdfReader(dossier_pdf)
    assert reader.metadata.title == "Hồ sơ đánh giá — Nguyễn Thị Ánh Tuyết"
    assert reader.metadata.author == "TỈNH ỦY SƠN HÀ"
    assert reader.metadata["/CreationDate"].startswith("D:20251214")
    assert reader.trailer["/Root"]["/Lang"] == "vi"
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4


def test_fonts_are_the_bundled_liberation_serif(dossier_pdf: Path, renderer: Renderer) -> None:
    fonts = dict(embedded_fonts(dossier_pdf))
    assert fonts, "no embedded TrueType font"
    # The subsets carry the document's date (or the font's own), never the clock.
    doc_day = dt.datetime(2025, 12, 14, tzinfo=dt.UTC).timestamp()
    originals = {
        TTFont(path)["head"].modified
        for path in (TEMPLATES / "assets/fonts").glob("LiberationSerif-*.ttf")
    }
    for name, font in fonts.items():
        assert font["name"].getDebugName(1) == "Liberation Serif", name
        assert font["head"].modified in {timestampSinceEpoch(doc_day), *originals}, name
    assert {
        "fonts/LiberationSerif-Regular.ttf",
        "fonts/LiberationSerif-Bold.ttf",
        "fonts/LiberationSerif-Italic.ttf",
    } <= renderer.fetcher.served


@pdftotext_missing
def test_page_numbers_from_page_two(long_pdf: Path) -> None:
    assert top_margin_text(long_pdf, 1) == ""
    head = top_margin_text(long_pdf, 2)
    assert head.splitlines()[0] == "2"
    assert "HỒ SƠ ĐÁNH GIÁ" in head and "Nguyễn Thị Ánh Tuyết" in head


def test_long_task_table_repeats_its_header_and_never_cuts_a_row(long_pdf: Path) -> None:
    pages = page_texts(long_pdf)
    assert len(pages) >= 3
    # the task table ends where the list of obstacles and proposals begins
    heading = "Khó khăn, vướng mắc và đề xuất, kiến nghị của cán bộ"
    at = next(i for i, text in enumerate(pages) if heading in text)
    table = [*pages[:at], pages[at].split(heading)[0]]
    task_pages = [t for t in table if re.search(r"\bNV0\d\d\b", t)]
    assert len(task_pages) >= 2
    for text in task_pages:
        assert "Nội dung nhiệm vụ" in text and "Đúng hạn" in text
        # A row cut in two would leave its last line (origin, unit) on the next page.
        assert len(re.findall(r"\bNV\d{3}\b", text)) == text.count("đơn vị tính:")
    everything = "\n".join(table)
    for i in range(1, 61):
        assert len(re.findall(rf"\bNV{i:03d}\b", everything)) == 1, i
    remarks = "\n".join([pages[at].split(heading)[1], *pages[at + 1 :]]).split("III. TIẾN ĐỘ")[0]
    raised = [f"NV{i:03d}" for i in range(1, 61) if i % 4 in (2, 3)]
    assert re.findall(r"\bNV\d{3}\b", remarks) == raised


# --- user-typed text is text ---------------------------------------------------------------


def test_hostile_strings_render_as_literal_text(renderer: Renderer, out_dir: Path) -> None:
    tasks = [make_task(i, content=s) for i, s in enumerate(HOSTILE, start=1)]
    context = dossier_context(len(HOSTILE), tasks=tasks)
    context["cadre"] = {**context["cadre"], "full_name": HOSTILE[3]}
    forms = [{**f, "comment": s} for f, s in zip(context["commune_forms"], HOSTILE, strict=False)]
    context["commune_forms"] = forms
    html = renderer.html(DOSSIER, context)
    assert "<img" not in html and "<link rel=stylesheet" not in html
    assert "<h1>X</h1>" not in html
    refused_before = len(renderer.fetcher.refused)
    pdf = renderer.render(DOSSIER, context, out_dir / "hostile.pdf", title="x")
    text = " ".join(" ".join(page_texts(pdf)).split())
    for s in HOSTILE:
        assert s in text, s
    assert len(renderer.fetcher.refused) == refused_before  # nothing even tried


def test_strict_undefined_refuses_missing_keys() -> None:
    env = make_environment(TEMPLATES)
    context = dossier_context()
    del context["cadre"]
    with pytest.raises(jinja2.UndefinedError):
        render_html(env, DOSSIER, context)


# --- the fetcher serves the bundled assets and nothing else ---------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.css",
        "https://example.com/font.ttf",
        "data:text/css,body{}",
        "ftp://example.com/x",
        (TEMPLATES / "assets").as_uri() + "/../report.css",
        (TEMPLATES / "assets").as_uri() + "/fonts/%2e%2e/%2e%2e/report.css",
        (TEMPLATES / "assets").as_uri() + "/fonts/../../../../../../etc/passwd",
        "file://example.com" + (TEMPLATES / "assets/fonts/LiberationSerif-Regular.ttf").as_posix(),
        (TEMPLATES / "assets").as_uri() + "/fonts/missing.ttf",
        (TEMPLATES / "assets").as_uri() + "/fonts",  # a folder, not a file
    ],
)
def test_fetcher_refuses(url: str) -> None:
    fetcher = AssetsOnlyFetcher(TEMPLATES / "assets")
    with pytest.raises(ResourceRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_bundled_font() -> None:
    fetcher = AssetsOnlyFetcher(TEMPLATES / "assets")
    url = (TEMPLATES / "assets/fonts/LiberationSerif-Regular.ttf").as_uri()
    response = fetcher.fetch(url)
    assert response.read()[:4] == b"\x00\x01\x00\x00"
    assert response.content_type == "font/ttf"


def test_markup_bypassing_autoescape_fetches_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Even raw HTML asking for local files and the network renders, and loads nothing."""
    html = (
        '<html lang="vi"><head><link rel="stylesheet" href="http://example.com/x.css">'
        '<link rel="attachment" href="file:///etc/hostname"></head><body>'
        '<p>Thử nghiệm</p><img src="file:///etc/passwd"><img src="../report.css">'
        '<div style="background: url(file:///etc/passwd)">x</div></body></html>'
    )
    with caplog.at_level(logging.WARNING, logger="danhgia.render"):
        out = render_pdf(
            html, tmp_path / "raw.pdf", base_dir=TEMPLATES, title="Thử", author="TỈNH ỦY SƠN HÀ"
        )
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert any("/etc/passwd" in m for m in refused)
    assert any("example.com" in m for m in refused)
    assert any("/etc/hostname" in m for m in refused)
    assert any("report.css" in m for m in refused)
    text = "".join(page_texts(out))
    assert "Thử nghiệm" in text and "root:" not in text
    assert not PdfReader(out).attachments


# --- writing ----------------------------------------------------------------------------


def test_same_context_gives_identical_bytes(
    renderer: Renderer, dossier_pdf: Path, out_dir: Path
) -> None:
    again = renderer.render(
        DOSSIER,
        dossier_context(),
        out_dir / "again.pdf",
        title="Hồ sơ đánh giá — Nguyễn Thị Ánh Tuyết",
    )
    fresh = Renderer(TEMPLATES).render(
        DOSSIER,
        dossier_context(),
        out_dir / "fresh.pdf",
        title="Hồ sơ đánh giá — Nguyễn Thị Ánh Tuyết",
    )
    digest = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (dossier_pdf, again, fresh)}
    assert len(digest) == 1


def test_no_temporary_file_left_and_failure_keeps_old_pdf(
    renderer: Renderer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")

    def broken(*args: object, **kwargs: object) -> None:
        fh = args[1] if len(args) > 1 else kwargs.get("target")
        fh.write(b"%PDF-half")
        raise RuntimeError("disk full")

    monkeypatch.setattr("weasyprint.document.Document.write_pdf", broken)
    with pytest.raises(RuntimeError):
        renderer.render(DOSSIER, dossier_context(2), target, title="x")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_pdf_a3b_variant(tmp_path: Path) -> None:
    out = Renderer(TEMPLATES, pdf_variant="pdf/a-3b").render(
        DOSSIER, dossier_context(2), tmp_path / "a.pdf", title="Hồ sơ"
    )
    reader = PdfReader(out)
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in metadata and b'pdfaid:conformance="B"' in metadata
    assert b"<xmp:CreateDate>2025-12-14</xmp:CreateDate>" in metadata
    assert "/OutputIntents" in reader.trailer["/Root"]


def test_unknown_pdf_variant_is_refused() -> None:
    with pytest.raises(ValueError):
        Renderer(TEMPLATES, pdf_variant="pdf/x-1a")


# --- the summary -------------------------------------------------------------------------


def test_summary(summary_pdf: Path) -> None:
    pages = page_texts(summary_pdf)
    text = " ".join(" ".join(pages).split())  # cells wrap: compare words, not lines
    assert unicodedata.is_normalized("NFC", text)
    for expected in [
        "BÁO CÁO TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI NĂM 2025",
        "Số 215-BC/TU",
        "Phạm Thị Hồng Nhung",
        "151/151 (100,0%)",
        "148/151 (98,0%)",
        "Năm 2024",
        "giảm 3",  # 6 excellent this year against 9
        "Xã Tả Van",
        "151/151 đảng ủy xã đã gửi phiếu nhận xét cán bộ theo dõi xã (151 hợp lệ, 148 đúng hạn).",
        "35/37 đơn vị đã gửi báo cáo tự đánh giá cuối năm (34 hợp lệ, 30 đúng hạn).",
        "8/8 thành viên hội đồng đã gửi phiếu chấm điểm.",
        "Dòng 4: thiếu cột «Chỉ tiêu»; Mã nhiệm vụ trùng",
        "Vượt tỉ lệ 20%",
        "97,00",  # 70 + 36 * 0.75
    ]:
        assert expected in text, expected
    for i in range(1, 38):
        assert f"CB{i:04d}" not in text  # codes are not shown; names and units are
    assert len(pages) >= 2


# --- optional parts -----------------------------------------------------------------------


def test_dossier_without_optional_parts(renderer: Renderer, tmp_path: Path) -> None:
    """No forms, no tasks, not classified: sections renumber and nothing says 'None'."""
    context = dossier_context(
        0,
        tasks=[],
        quarterly=[],
        commune_forms=[],
        explanations=[],
        self_proposed_level=None,
        final_level=None,
        posts=[],
    )
    context["doc"] = {**context["doc"], "department": "", "confidentiality": ""}
    html = renderer.html(DOSSIER, context)
    assert "NHẬN XÉT CỦA CÁC XÃ" not in html
    assert "V. KẾT QUẢ XẾP LOẠI" in html and "VI." not in html
    assert "BAN TỔ CHỨC" not in html and 'class="confidential"' not in html
    out = renderer.render(DOSSIER, context, tmp_path / "bare.pdf", title="Hồ sơ")
    text = " ".join(" ".join(page_texts(out)).split())
    for expected in [
        "KHÔNG XẾP LOẠI",
        "Không tự xếp loại",
        "Mức xếp loại được xác định theo tổng điểm",
        "Cán bộ không được giao nhiệm vụ nào trong năm.",
        "Không có báo cáo tiến độ hằng quý.",
    ]:
        assert expected in text, expected
    assert "None" not in text and "MẬT" not in text


def test_summary_with_nothing_to_report(renderer: Renderer) -> None:
    context = summary_context()
    context.update(moved=[], missing=[], quarantined=[])
    context["coverage"] = {
        "communes_without_monitor": [],
        "cadres_with_two_communes": [],
        "cadres_left": [],
    }
    html = renderer.html(SUMMARY, context)
    assert "Không có cán bộ nào được điều chỉnh mức xếp loại." in html
    assert "Đã nhận đủ các biểu mẫu." in html
    assert "None" not in html


# --- the collective's dossier --------------------------------------------------------------

UNIT_DOSSIER = "dossier_unit.html.j2"


def unit_context(**override: object) -> dict:
    tasks = [
        {
            **make_task(i),
            "cadre_code": "CB0042" if i < 4 else "CB0077",
            "cadre_name": "Nguyễn Thị Ánh Tuyết" if i < 4 else "Lò Văn Páo",
            "cadre_now_in": None if i < 4 else "Sở Nội vụ",
            "year_target": 10.0,
            "exceeded": i == 2,
        }
        for i in range(1, 6)
    ]
    context = {
        "doc": doc_block(
            "HỒ SƠ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG TẬP THỂ NĂM 2025",
            "Tập thể Huyện ủy Mường Khương",
            "3-HSĐGTT/TU",
        ),
        "cycle": 2025,
        "unit": {
            "code": "H07",
            "name": "Huyện ủy Mường Khương",
            "kind_name": "Huyện ủy, thành ủy",
            "parent_name": "Tỉnh ủy Sơn Hà",
        },
        "collective": {
            "planned_tasks": 45,
            "completed_tasks": 38,
            "subordinate_units": 16,
            "subordinate_khtnv": 1,
            "leader_disciplined": False,
            "proposed_level": "HTXSNV",
        },
        "submission": {
            "received": True,
            "accepted": True,
            "on_time": False,
            "due_date": dt.date(2025, 12, 15),
        },
        "completion_rate": 38 / 45,
        "final_level": "HTNV",
        "explanations": [
            {
                "step": "Đơn vị tự xếp loại",
                "from_level": None,
                "to_level": "HTXSNV",
                "reason": "Đơn vị tự xếp loại Hoàn thành xuất sắc nhiệm vụ",
                "rule_ref": "QĐ 124-QĐ/TW",
            },
            {
                "step": "Tỉ lệ hoàn thành nhiệm vụ kế hoạch",
                "from_level": "HTXSNV",
                "to_level": "HTNV",
                "reason": "Hoàn thành 38/45 nhiệm vụ kế hoạch (84,4%), chưa đạt 100%",
                "rule_ref": "QĐ 124-QĐ/TW",
            },
        ],
        "cadres": [
            {
                "code": "CB0042",
                "full_name": "Nguyễn Thị Ánh Tuyết",
                "position_title": "Bí thư Huyện ủy",
                "is_head": True,
                "group_name": "Bí thư huyện ủy, thành ủy",
                "total": 87.25,
                "final_level": "HTNV",
            },
            {
                "code": "CB0043",
                "full_name": "Giàng Seo Phử",
                "position_title": "Phó Bí thư Thường trực Huyện ủy",
                "is_head": False,
                "group_name": "Cấp phó các đơn vị",
                "total": 28.5,
                "final_level": None,
            },
        ],
        "tasks": tasks,
        "task_summary": {
            "count": 5,
            "completed": 3,
            "on_time": 3,
            "exceeded": 1,
            "exceeded_share": 0.2,
        },
    }
    context.update(override)
    return context


@pytest.fixture(scope="module")
def unit_pdf(renderer: Renderer, out_dir: Path) -> Path:
    return renderer.render(
        UNIT_DOSSIER, unit_context(), out_dir / "H07.pdf", title="Hồ sơ tập thể — H07"
    )


def test_unit_dossier_says_what_the_data_says(unit_pdf: Path) -> None:
    pages = page_texts(unit_pdf)
    text = " ".join(" ".join(pages).split())
    assert unicodedata.is_normalized("NFC", text)
    for expected in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 3-HSĐGTT/TU",
        "Sơn Hà, ngày 14 tháng 12 năm 2025",
        "HỒ SƠ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG TẬP THỂ NĂM 2025",
        "Tập thể Huyện ủy Mường Khương",
        "đã nhận, sau thời hạn (hạn 15/12/2025)",
        "Số nhiệm vụ theo kế hoạch 45",
        "Tỉ lệ hoàn thành nhiệm vụ kế hoạch 84,4%",
        "Số đơn vị trực thuộc không hoàn thành nhiệm vụ 1",
        "Nguyễn Thị Ánh Tuyết CB0042 Bí thư Huyện ủy Người đứng đầu 87,25 Hoàn thành nhiệm vụ",
        "Giàng Seo Phử CB0043 Phó Bí thư Thường trực Huyện ủy 28,50 Không xếp loại",
        "Lò Văn Páo nay công tác tại Sở Nội vụ",
        "Tổng số 5 nhiệm vụ; hoàn thành 3/5 (60,0%)",
        "Tỉ lệ hoàn thành nhiệm vụ: 84,4%",
        "Đơn vị tự xếp loại: Hoàn thành xuất sắc nhiệm vụ",
        "Kết quả xếp loại tập thể: HOÀN THÀNH NHIỆM VỤ",
        "Tỉ lệ hoàn thành nhiệm vụ kế hoạch Hoàn thành xuất sắc nhiệm vụ Hoàn thành nhiệm vụ",
        "T/M BAN THƯỜNG VỤ",
    ]:
        assert expected in text, expected
    for i in range(1, 6):
        assert f"NV{i:03d}" in text
    assert "None" not in text and "Số: " not in text


@pdftotext_missing
def test_unit_dossier_page_numbers_from_page_two(renderer: Renderer, tmp_path: Path) -> None:
    tasks = [
        {**t, "task_code": f"NV{i:03d}"} for i, t in enumerate(unit_context()["tasks"] * 8, start=1)
    ]
    out = renderer.render(UNIT_DOSSIER, unit_context(tasks=tasks), tmp_path / "u.pdf", title="x")
    assert top_margin_text(out, 1) == ""
    head = top_margin_text(out, 2)
    assert head.splitlines()[0] == "2"
    assert "TẬP THỂ" in head and "Huyện ủy Mường Khương" in head


def test_unit_dossier_of_a_unit_that_sent_nothing(renderer: Renderer) -> None:
    context = unit_context(
        collective=None,
        submission={"received": False, "accepted": False, "on_time": False, "due_date": None},
        completion_rate=None,
        final_level=None,
        explanations=[],
        tasks=[],
        task_summary={"count": 0, "completed": 0, "on_time": 0, "exceeded": 0, "exceeded_share": 0},
    )
    html = renderer.html(UNIT_DOSSIER, context)
    for expected in [
        "chưa nhận được",
        "Đơn vị chưa gửi báo cáo tự đánh giá, xếp loại tập thể hợp lệ",
        "Đơn vị chưa đăng ký nhiệm vụ nào trong năm.",
        "Chưa tự xếp loại",
        "Chưa xếp loại",
    ]:
        assert expected in html, expected
    assert "None" not in html


def test_unit_dossier_hostile_strings_are_text(renderer: Renderer, out_dir: Path) -> None:
    hostile = [*HOSTILE, "{{ 7*7 }}"]
    tasks = [
        {**t, "content": s, "cadre_name": s, "measure_unit": s}
        for t, s in zip(unit_context()["tasks"], hostile, strict=True)
    ]
    cadres = [
        {**c, "full_name": s} for c, s in zip(unit_context()["cadres"], hostile, strict=False)
    ]
    context = unit_context(tasks=tasks, cadres=cadres)
    context["unit"] = {**context["unit"], "name": hostile[3]}
    html = renderer.html(UNIT_DOSSIER, context)
    assert "<img" not in html and "<link rel=stylesheet" not in html and "<h1>X</h1>" not in html
    refused_before = len(renderer.fetcher.refused)
    pdf = renderer.render(UNIT_DOSSIER, context, out_dir / "hostile-unit.pdf", title="x")
    text = "".join("".join(page_texts(pdf)).split())
    for s in hostile:
        assert "".join(s.split()) in text, s
    assert "49" not in text.replace("{{7*7}}", "")
    assert len(renderer.fetcher.refused) == refused_before


# --- the index of dossiers -------------------------------------------------------------------


def test_index_lists_what_is_on_disk_and_escapes_names(tmp_path: Path) -> None:
    from danhgia import publish

    out = tmp_path / "2025"
    first = dossier_context(1, cadre={**dossier_context()["cadre"], "code": "CB0001"})
    second = dossier_context(1)
    second["cadre"] = {**second["cadre"], "code": "CB0002", "full_name": HOSTILE[0]}
    second["total"] = 44.5
    unit = unit_context()
    unit["unit"] = {**unit["unit"], "name": '=HYPERLINK("http://x")'}

    result = publish.render_cadre_dossiers([first, second], out, TEMPLATES, 1, 2025)
    assert result == {"dossiers": 2, "rendered": 2, "kept": 0, "removed": 0}
    assert publish.render_unit_dossiers([unit], out, TEMPLATES, 1, 2025)["rendered"] == 1

    html = (out / "danh-muc-ho-so.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]*)"', html)
    assert links == [
        "ho-so-ca-nhan/CB0001.pdf",
        "ho-so-ca-nhan/CB0002.pdf",
        "ho-so-tap-the/H07.pdf",
    ]
    assert HOSTILE[0] not in html and "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "<script" not in html and "http://x" in html  # the name is there, as text
    cadres_csv = (out / "danh-muc-ho-so.csv").read_text(encoding="utf-8-sig")
    units_csv = (out / "danh-muc-ho-so-tap-the.csv").read_text(encoding="utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"")"' in units_csv  # quoted, not a formula
    assert "44,50" in cadres_csv and "84,4%" in units_csv
    assert not any(
        cell.startswith(("=", "+", "-", "@"))
        for row in csv.reader(io.StringIO(cadres_csv + units_csv))
        for cell in row
    )

    # Nothing changed: nothing is rendered, the index stays the same.
    before = (out / "danh-muc-ho-so.json").read_bytes()
    again = publish.render_cadre_dossiers([first, second], out, TEMPLATES, 1, 2025)
    assert again["rendered"] == 0 and again["kept"] == 2
    assert publish.render_unit_dossiers([unit], out, TEMPLATES, 1, 2025)["rendered"] == 0
    assert (out / "danh-muc-ho-so.json").read_bytes() == before

    # A cadre no longer evaluated: the PDF goes, and so does its line; the units' stay.
    assert publish.render_cadre_dossiers([first], out, TEMPLATES, 1, 2025)["removed"] == 1
    html = (out / "danh-muc-ho-so.html").read_text(encoding="utf-8")
    assert re.findall(r'href="([^"]*)"', html) == [
        "ho-so-ca-nhan/CB0001.pdf",
        "ho-so-tap-the/H07.pdf",
    ]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf")) == [
        "ho-so-ca-nhan/CB0001.pdf",
        "ho-so-tap-the/H07.pdf",
    ]
    assert not list(out.rglob("*.tmp")) and not list(out.rglob(".*"))


def test_a_code_that_is_not_a_file_name_is_refused(tmp_path: Path) -> None:
    from danhgia import publish

    context = dossier_context(1, cadre={**dossier_context()["cadre"], "code": "../x"})
    with pytest.raises(ValueError):
        publish.render_cadre_dossiers([context], tmp_path, TEMPLATES, 1, 2025)


# --- layout -------------------------------------------------------------------------------


def laid_out_tables(renderer: Renderer, template: str, context: dict) -> Iterator[tuple]:
    """(table's right edge, content box's right edge, page number) of every table, as
    WeasyPrint lays them out (its page boxes are not public API: a test may look, code not)."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import TableBox

    res = renderer.resources
    document = HTML(
        string=renderer.html(template, context),
        base_url=res.base_dir.as_uri() + "/",
        url_fetcher=res.fetcher,
    ).render(font_config=res.font_config, stylesheets=[res.stylesheet])
    for number, page in enumerate(document.pages, start=1):
        box = page._page_box
        right = box.content_box_x() + box.width
        for child in box.descendants():
            if isinstance(child, TableBox):
                yield child.border_box_x() + child.border_width(), right, number


@pytest.mark.parametrize(
    ("template", "make_context"),
    [(DOSSIER, dossier_context), (UNIT_DOSSIER, unit_context), (SUMMARY, summary_context)],
)
def test_every_table_stays_inside_the_margins(
    renderer: Renderer, template: str, make_context
) -> None:
    """The binding margin (30 mm left, HD 36) and the right one hold for every table: a
    table whose fixed columns add up to more than the text width would run into the right
    margin."""
    tables = list(laid_out_tables(renderer, template, make_context()))
    assert tables
    for table_right, content_right, page in tables:
        assert table_right <= content_right + 0.5, (template, page, table_right, content_right)
