"""What an official signs, end to end: one annual run on a small province whose every free-text
cell (and every cadre's name) is hostile, then the dossiers, the summary and the index are read
back and compared with the warehouse.

The hostile strings are markup, CSS, a template expression and a spreadsheet formula. They
must come out of every PDF as the literal text that was typed, where it was typed; nothing
may be fetched, embedded or evaluated.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from danhgia.cycle_config import CycleConfig
from danhgia.dossiers import cadre_contexts, summary_context
from danhgia.kinds import DATA_SHEET, KINDS, LEVELS, META_KEYS, META_SHEET
from danhgia.render import Renderer, make_environment, render_html
from danhgia.settings import PROJECT_ROOT
from danhgia.unit_dossiers import unit_contexts
from danhgia.vnformat import format_number, format_percent, level_name, submission_sentence
from danhgia.workbook import HEADER_ROW
from tests.conftest import DataDir, copy_province
from tests.test_pipeline import pdf_text

pytestmark = pytest.mark.slow

TEMPLATES = PROJECT_ROOT / "report_templates"
HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel=stylesheet href="http://127.0.0.1:9/x.css">',
    "url(file:///etc/passwd)",
    "</td></tr></table><h1>X</h1>",
    "{{ 7*7 }}",
    '=HYPERLINK("http://x")',
]
INJECTED = "{{ 7*7 }}"
FONTS = {
    f"fonts/LiberationSerif-{style}.ttf" for style in ("Regular", "Bold", "Italic", "BoldItalic")
}


# --- a province that types hostile text everywhere ------------------------------------------


def hostile_columns(kind_code: str) -> list[str]:
    """The headers whose cells a person types: every free-text column, and cadres' names."""
    kind = KINDS[kind_code]
    headers = [c.header for c in kind.columns if c.free_text]
    if kind_code == "cadres":
        headers.append(kind.column("full_name").header)
    return headers


def poison_inbox(inbox: Path) -> Counter:
    """Rewrite every free-text cell of every workbook with a hostile string, in turn.

    Each row stays otherwise valid, and each file keeps its modification time (the receipt
    time), so nothing becomes late. Returns how many cells got each string.
    """
    placed: Counter = Counter()
    n = 0
    for path in sorted(inbox.rglob("*.xlsx")):
        stat = path.stat()
        wb = load_workbook(path)
        meta = {r[0].value: r[1].value for r in wb[META_SHEET].iter_rows() if r[0].value}
        kind_code = meta.get(META_KEYS["kind"])
        if kind_code not in KINDS or DATA_SHEET not in wb.sheetnames:
            continue
        wanted = set(hostile_columns(kind_code))
        ws = wb[DATA_SHEET]
        columns = [c.column for c in ws[HEADER_ROW] if c.value in wanted]
        if not columns:
            continue
        for row in range(HEADER_ROW + 1, ws.max_row + 1):
            if all(c.value in (None, "") for c in ws[row]):
                continue
            for col in columns:
                value = HOSTILE[n % len(HOSTILE)]
                n += 1
                cell = ws.cell(row, col)
                cell.value = value
                cell.data_type = "s"  # '=HYPERLINK(...)' typed as text, not as a formula
                placed[value] += 1
        tmp = path.with_name(f".{path.name}.tmp")
        wb.save(tmp)
        os.replace(tmp, path)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return placed


@pytest.fixture(scope="module")
def run(prefect_harness, small_inbox: Path, tmp_path_factory) -> dict:
    from flows.annual import annual_cycle

    root = copy_province(small_inbox, tmp_path_factory.mktemp("hostile") / "data")
    placed = poison_inbox(root / "inbox")
    with DataDir(root):
        result = annual_cycle(2025)
    out = root / "output" / "2025"
    return {"root": root, "out": out, "result": result, "placed": placed}


@pytest.fixture(scope="module")
def con(run: dict):
    with duckdb.connect(str(run["root"] / "warehouse.duckdb"), read_only=True) as c:
        yield c


@pytest.fixture(scope="module")
def texts(run: dict) -> dict[str, str]:
    """Every PDF's text, by path relative to the cycle's output folder."""
    return {
        p.relative_to(run["out"]).as_posix(): pdf_text(p) for p in sorted(run["out"].rglob("*.pdf"))
    }


def squeeze(text: str) -> str:
    """Text without whitespace: a long string wraps inside a table cell wherever it must."""
    return "".join(text.split())


def rows(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


# --- the hostile strings are text, where they were typed -----------------------------------


def test_every_hostile_string_reached_the_warehouse(run, con):
    assert set(run["placed"]) == set(HOSTILE)
    assert {n for (n,) in rows(con, "select full_name from evaluated_cadres")} <= set(HOSTILE)
    contents = rows(con, "select distinct content from task_scores")
    units = rows(con, "select distinct measure_unit from task_scores")
    comments = rows(con, "select distinct comment from cur_commune_forms")
    written = rows(
        con,
        "select distinct unnest([evidence, obstacles, proposals]) from cur_self_assessment",
    )
    seen = {v for (v,) in contents + units + comments + written if v is not None}
    assert seen == set(HOSTILE)  # loaded verbatim: nothing stripped, escaped or refused


def assert_literal(text: str, expected: Counter, where: str) -> None:
    """Each expected string is in the text at least as often as it was placed there."""
    flat = squeeze(text)
    for value, times in expected.items():
        assert flat.count(squeeze(value)) >= times, (where, value, times)


def test_cadre_dossiers_show_the_typed_text(run, con, texts):
    cadres = rows(con, "select cadre_code, full_name from evaluated_cadres order by 1")
    assert len(cadres) == len([k for k in texts if k.startswith("ho-so-ca-nhan/")])
    for code, name in cadres:
        placed = Counter([name])
        for content, unit in rows(
            con, "select content, measure_unit from task_scores where cadre_code = ?", code
        ):
            placed.update([content, unit])
        for (comment,) in rows(
            con,
            "select comment from cur_commune_forms where cadre_code = ? and comment is not null",
            code,
        ):
            placed[comment] += 1
        for written in rows(
            con,
            "select a.evidence, a.obstacles, a.proposals from task_scores t"
            " join task_assessments a using (task_code, cadre_code) where t.cadre_code = ?",
            code,
        ):
            placed.update(v for v in written if v is not None)
        assert_literal(texts[f"ho-so-ca-nhan/{code}.pdf"], placed, code)


def test_unit_dossiers_show_the_typed_text(con, texts):
    for (unit,) in rows(con, "select distinct unit_code from task_scores"):
        placed = Counter()
        for content, measure_unit in rows(
            con, "select content, measure_unit from task_scores where unit_code = ?", unit
        ):
            placed.update([content, measure_unit])
        for (name,) in rows(
            con, "select full_name from evaluated_cadres where unit_code = ?", unit
        ):
            placed[name] += 1
        assert_literal(texts[f"ho-so-tap-the/{unit}.pdf"], placed, unit)


def test_summary_shows_every_name_as_typed(con, texts):
    names = Counter(n for (n,) in rows(con, "select full_name from evaluated_cadres"))
    assert names[INJECTED] > 0
    assert_literal(texts["bao-cao-tong-hop.pdf"], names, "summary")


def test_nothing_was_fetched_embedded_or_evaluated(run, con, config: CycleConfig, texts):
    for name, text in texts.items():
        assert "root:" not in text, name  # no /etc/passwd
        reader = PdfReader(run["out"] / name)
        assert not reader.attachments, name
        for page in reader.pages:
            xobjects = page.get("/Resources", {}).get("/XObject", {})
            for xobject in xobjects.values():
                assert xobject.get_object().get("/Subtype") != "/Image", name
    # One context of each kind, rendered directly: the fetcher was asked for fonts only.
    renderer = Renderer(TEMPLATES)
    cadre = next(c for c in cadre_contexts(con, config) if c["cadre"]["full_name"] == INJECTED)
    unit = next(u for u in unit_contexts(con, config) if u["tasks"])
    out = run["root"] / "direct"
    for template, context in (("dossier_cadre.html.j2", cadre), ("dossier_unit.html.j2", unit)):
        html = renderer.html(template, context)
        assert "<img" not in html and "<link" not in html and "<h1>X</h1>" not in html
        assert INJECTED in html
        renderer.render(template, context, out / f"{template}.pdf", title="x")
    assert renderer.fetcher.refused == []
    assert renderer.fetcher.served <= FONTS


def test_template_expression_was_not_evaluated(con, config: CycleConfig):
    """Where '{{ 7*7 }}' was typed, the dossier says '{{ 7*7 }}', not '49'."""
    renderer = Renderer(TEMPLATES)
    cadre = next(c for c in cadre_contexts(con, config) if c["cadre"]["full_name"] == INJECTED)
    html = renderer.html("dossier_cadre.html.j2", cadre)
    facts = re.search(r"Họ và tên:</td><td class=\"value\">(.*?)</td>", html)
    assert facts and facts.group(1) == INJECTED
    assert f"Đồng chí {INJECTED} —" in html


def test_index_cells_are_text_not_formulas(run):
    for name in ("danh-muc-ho-so.csv", "danh-muc-ho-so-tap-the.csv"):
        text = (run["out"] / name).read_text(encoding="utf-8-sig")
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert not any(c.startswith(("=", "+", "-", "@")) for c in cells), name
    cadres = (run["out"] / "danh-muc-ho-so.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in cadres


# --- the numbers are the warehouse's ---------------------------------------------------------

CELL = r" (\d[\d.]*) (?:[\d,]+%|—) \d{4}: (\d[\d.]*)"


def test_summary_counts_per_group_and_level_equal_the_warehouse(con, config, texts):
    text = texts["bao-cao-tong-hop.pdf"]
    counts = {
        (g, lv): n
        for g, lv, n in rows(
            con,
            "select group_code, final_level, count(*) from cadre_levels group by all",
        )
    }
    for g in config.groups:
        match = re.search(re.escape(g.name) + r" (\d[\d.]*)" + CELL * 5, text)
        assert match, g.name
        numbers = [int(x.replace(".", "")) for x in match.groups()]
        total, cells = numbers[0], numbers[1::2]
        expected = [counts.get((g.code, lv), 0) for lv in (*LEVELS, None)]
        assert cells == expected, g.name
        assert total == sum(expected)


def test_year_over_year_chart_shows_both_years(con, config, texts):
    context = summary_context(con, config)
    current, previous = context["totals"]["counts"], context["totals"]["previous"]
    # In the PDF: each bar's number over it, then the category, then the legend.
    bars = " ".join(
        f"{format_number(current[c])} {format_number(previous[c])} {c or 'Không xếp loại'}"
        for c in (*LEVELS, None)
    )
    assert f"{bars} Năm 2025 Năm 2024" in texts["bao-cao-tong-hop.pdf"]
    # In the HTML: one SVG whose text labels name both years.
    html = render_html(make_environment(TEMPLATES), "summary.html.j2", context)
    svg = re.search(r"<svg .*?</svg>", html, re.S)
    assert svg and "So sánh kết quả xếp loại năm 2025 với năm 2024" in svg.group(0)
    labels = re.findall(r"<text [^>]*>([^<]*)</text>", svg.group(0))
    assert "Năm 2025" in labels and "Năm 2024" in labels


def test_summary_says_in_words_who_sent_what(con, texts):
    flat = squeeze(texts["bao-cao-tong-hop.pdf"])
    status = rows(
        con,
        "select kind, count(*), count(*) filter (where received), "
        "count(*) filter (where accepted), count(*) filter (where on_time) "
        "from submission_status group by kind",
    )
    assert len(status) >= 5
    for kind, expected, received, accepted, on_time in status:
        line = submission_sentence(kind, KINDS[kind].title, expected, received, accepted, on_time)
        assert squeeze(line) in flat, line
    communes = next(s for s in status if s[0] == "commune_forms")
    assert squeeze(f"{communes[2]}/{communes[1]} đảng ủy xã đã gửi phiếu nhận xét") in flat


def test_one_unit_dossier_per_collective_with_its_level_and_rate(run, con, config, texts):
    units = rows(
        con,
        "select u.unit_code, l.completion_rate, l.final_level "
        "from (select unit_code from evaluated_cadres union "
        "      select unit_code from cur_collective where unit_code = sender_code) u "
        "left join unit_levels l using (unit_code) "
        "left join cur_units c using (unit_code) "
        "where coalesce(c.unit_kind, '') not in ('XA', 'TINH') and u.unit_code <> ? "
        "order by 1",
        config.province.board_unit_code,
    )
    assert len(units) >= 2
    folder = sorted(k for k in texts if k.startswith("ho-so-tap-the/"))
    assert folder == [f"ho-so-tap-the/{u}.pdf" for u, _, _ in units]
    assert run["result"]["unit_dossiers"]["dossiers"] == len(units)
    for seq, (unit, rate, level) in enumerate(units, start=1):
        text = texts[f"ho-so-tap-the/{unit}.pdf"]
        assert f"Số {seq}-{config.documents.unit_dossier_symbol}/TU" in text
        shown_rate = "—" if rate is None else format_percent(rate)
        assert f"Tỉ lệ hoàn thành nhiệm vụ: {shown_rate}" in text, unit
        shown_level = level_name(level).upper() if level else "CHƯA XẾP LOẠI"
        assert f"Kết quả xếp loại tập thể: {shown_level}" in text, unit
        for code, total in rows(
            con,
            "select cadre_code, total from evaluated_cadres join cadre_levels using (cadre_code) "
            "where unit_code = ?",
            unit,
        ):
            assert f"{code} " in text and format_number(total, 2) in text


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


def test_html_index_links_every_dossier_and_nothing_else(run):
    out = run["out"]
    html = (out / "danh-muc-ho-so.html").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(html)
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.glob("ho-so-*/*.pdf"))
    assert sorted(parser.hrefs) == on_disk
    assert len(parser.hrefs) == len(set(parser.hrefs))
    assert all((out / href).is_file() for href in parser.hrefs)
    for s in HOSTILE:
        if "<" in s:
            assert s not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "<script" not in html.lower() and "<img" not in html and "<link" not in html
