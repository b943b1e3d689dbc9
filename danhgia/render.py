"""From a context dict to a signed-ready PDF: Jinja2 templates, WeasyPrint, nothing fetched.

Three things matter more than speed here:

* **What users typed stays text.** Names, task contents, comments and reasons come from
  submitted files; autoescaping is on for every template, and even if markup slipped through,
  the URL fetcher serves nothing but the bundled assets (no ``file:///etc/passwd``, no network).
* **No half-written file.** A dossier is written to a temporary name beside its final path and
  moved into place with ``os.replace``, so a crash never leaves a truncated PDF to be signed.
* **Same input, same bytes.** The PDF's dates come from the document's own date
  (``dcterms.created`` in the template) and its ID from a hash of the content, so a rerun can
  be checked by comparing hashes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import mimetypes
import os
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import jinja2
import weasyprint
from markupsafe import Markup, escape
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from danhgia import vnformat
from danhgia.kinds import LEVELS, NO, YES

LOGGER = logging.getLogger(__name__)

ASSETS_DIRNAME = "assets"
STYLESHEET_NAME = "report.css"
LANGUAGE = "vi"
#: The @font-face family of the bundled Liberation Serif (report.css). A name of its own, so
#: that a different Liberation Serif installed on the system can never be picked instead.
FONT_FAMILY = "Liberation Serif Bundled"
PDF_VARIANTS = ("pdf/a-3b",)
DASH = "—"


# --- the URL fetcher ----------------------------------------------------------------------


class ResourceRefused(ValueError):
    """A document asked for something outside the bundled assets; WeasyPrint logs and skips."""


class AssetsOnlyFetcher(URLFetcher):
    """Serve ``file:`` URLs under one folder and refuse everything else.

    A subclass of WeasyPrint's fetcher rather than a plain function: WeasyPrint 70 reads
    attributes of the fetcher (``_fail_on_errors``) when a fetch fails, and a function without
    them would turn a refusal into a crash.
    """

    def __init__(self, root: Path) -> None:
        super().__init__(fail_on_errors=False)
        self.root = root.resolve()
        self.served: set[str] = set()
        self.refused: list[str] = []

    def resolve(self, url: str) -> Path:
        """The file an URL names, if it is a regular file under the root; else ResourceRefused."""
        try:
            parts = urlsplit(url)
            if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
                raise ResourceRefused(f"only bundled files may be loaded, not {url!r}")
            path = Path(url2pathname(unquote(parts.path))).resolve()
        except (ValueError, OSError) as exc:
            raise self._refuse(url, exc) from None
        if not path.is_relative_to(self.root) or not path.is_file():
            raise self._refuse(url, "outside the bundled assets")
        return path

    def _refuse(self, url: str, why: object) -> ResourceRefused:
        self.refused.append(url)
        LOGGER.warning("refused to load %r while rendering: %s", url, why)
        return why if isinstance(why, ResourceRefused) else ResourceRefused(f"{url!r}: {why}")

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        path = self.resolve(url)
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.served.add(path.relative_to(self.root).as_posix())
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": mime_type}
        )


# --- Jinja2 -------------------------------------------------------------------------------


def _or_dash(format_fn: Callable[..., str]) -> Callable[..., str]:
    """A filter that prints a dash for a missing value, as Vietnamese tables do."""

    def apply(value: Any, *args: Any, **kwargs: Any) -> str:
        return DASH if value is None else format_fn(value, *args, **kwargs)

    apply.__doc__ = format_fn.__doc__
    return apply


def yes_no(value: bool | None) -> str:
    """``Có`` / ``Không`` / dash: the answers a form gives, not True/False."""
    if value is None:
        return DASH
    return YES if value else NO


def ratio(part: float, whole: float) -> float | None:
    """``part / whole``, or None when there is nothing to divide by (shown as a dash)."""
    return part / whole if whole else None


def make_environment(templates_dir: Path) -> jinja2.Environment:
    """A strict environment: a missing context key fails the render instead of printing ''.

    Autoescape is on for every template (and for strings), because every free-text field
    comes from files sent by units.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=jinja2.select_autoescape(default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        number=_or_dash(vnformat.format_number),
        quantity=_or_dash(vnformat.format_quantity),
        percent=_or_dash(vnformat.format_percent),
        date_long=vnformat.format_date_long,
        date_short=_or_dash(vnformat.format_date_short),
        level_name=vnformat.level_name,
        yes_no=yes_no,
    )
    env.globals.update(
        place_date_line=vnformat.place_date_line,
        submission_sentence=vnformat.submission_sentence,
        ratio=ratio,
        progress_chart=progress_chart,
        level_comparison_chart=level_comparison_chart,
        LEVELS=LEVELS,
    )
    return env


def render_html(env: jinja2.Environment, template_name: str, context: dict) -> str:
    """The filled template, in NFC so that the PDF's text layer compares equal to the data."""
    return vnformat.nfc(env.get_template(template_name).render(context))


# --- charts (inline SVG: no files, no scripts) ---------------------------------------------

QUARTER_LABELS = {"Q1": "Quý I", "Q2": "Quý II", "Q3": "Quý III", "Q4": "Quý IV"}


def _svg(width: int, height: int, body: Iterable[str], label: str) -> Markup:
    """An SVG whose user unit is one point, so that font-size 10 prints as 10 pt."""
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="{height}pt" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'font-family="{FONT_FAMILY}">' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, size: float = 10, anchor: str = "middle") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}">'
        f"{escape(text)}</text>"
    )


def _rect(x: float, y: float, w: float, h: float, fill: str) -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{max(h, 0):.1f}" fill="{fill}"/>'


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str = "#000") -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="{stroke}" stroke-width="0.6"/>'
    )


def progress_chart(quarterly: list[Mapping[str, Any]]) -> Markup:
    """Bars of the average task progress at each quarter, 0–100% (longer bars are capped)."""
    width, height, left, top, bottom = 380, 165, 40, 18, 26
    plot_h = height - top - bottom
    body: list[str] = []
    for share in (0, 0.25, 0.5, 0.75, 1.0):
        y = top + plot_h * (1 - share)
        body.append(_line(left, y, width - 8, y, "#bbb" if share else "#000"))
        body.append(_text(left - 4, y + 3, vnformat.format_percent(share, 0), 9.5, "end"))
    slot = (width - left - 8) / max(len(quarterly), 1)
    for i, row in enumerate(quarterly):
        progress = row["progress"]
        x = left + slot * i + slot * 0.25
        label = QUARTER_LABELS.get(str(row["quarter"]), str(row["quarter"]))
        body.append(_text(x + slot * 0.25, height - bottom + 15, label, 11))
        if progress is None:
            body.append(_text(x + slot * 0.25, top + plot_h - 4, "chưa báo cáo", 8))
            continue
        bar_h = plot_h * min(max(progress, 0.0), 1.0)
        body.append(_rect(x, top + plot_h - bar_h, slot * 0.5, bar_h, "#4a4a4a"))
        text_y = top + plot_h - bar_h - 3
        body.append(_text(x + slot * 0.25, text_y, vnformat.format_percent(progress), 10))
    return _svg(width, height, body, "Tiến độ thực hiện nhiệm vụ theo quý")


def level_comparison_chart(
    current: Mapping[Any, int],
    previous: Mapping[Any, int],
    cycle: int,
    previous_cycle: int,
) -> Markup:
    """Grouped bars: how many cadres at each level this year and the year before."""
    categories = [*LEVELS, None]
    counts = [(current.get(c, 0) or 0, previous.get(c, 0) or 0) for c in categories]
    top_value = max([1, *(n for pair in counts for n in pair)])
    width, height, left, top, bottom = 440, 200, 8, 20, 44
    plot_h = height - top - bottom
    slot = (width - left - 8) / len(categories)
    body = [_line(left, top + plot_h, width - 8, top + plot_h)]
    for i, (category, pair) in enumerate(zip(categories, counts, strict=True)):
        x0 = left + slot * i + slot * 0.15
        for j, (value, fill) in enumerate(zip(pair, ("#3a3a3a", "#b5b5b5"), strict=True)):
            bar_h = plot_h * value / top_value
            x = x0 + j * slot * 0.35
            body.append(_rect(x, top + plot_h - bar_h, slot * 0.33, bar_h, fill))
            label_y = top + plot_h - bar_h - 3
            body.append(_text(x + slot * 0.165, label_y, vnformat.format_number(int(value)), 10))
        label = category or "Không xếp loại"
        body.append(_text(x0 + slot * 0.34, top + plot_h + 15, label, 10.5))
    legend_y = height - 8
    for j, (year, fill) in enumerate(((cycle, "#3a3a3a"), (previous_cycle, "#b5b5b5"))):
        x = width / 2 - 110 + 130 * j
        body.append(_rect(x, legend_y - 8, 10, 10, fill))
        body.append(_text(x + 14, legend_y, f"Năm {year}", 10.5, "start"))
    caption = f"So sánh kết quả xếp loại năm {cycle} với năm {previous_cycle}"
    return _svg(width, height, body, caption)


# --- PDF ----------------------------------------------------------------------------------


class _Resources:
    """What every document of one templates folder shares: fetcher, fonts, parsed CSS.

    Loading the four font files and parsing the stylesheet is most of the fixed cost of a
    render; a worker keeps one of these for all its dossiers. Not thread-safe (WeasyPrint's
    font configuration is not): one per process or thread.
    """

    def __init__(self, templates_dir: Path) -> None:
        self.base_dir = templates_dir.resolve()
        self.fetcher = AssetsOnlyFetcher(self.base_dir / ASSETS_DIRNAME)
        self.font_config = FontConfiguration()
        self.stylesheet = weasyprint.CSS(
            filename=self.base_dir / STYLESHEET_NAME,
            base_url=self.base_dir.as_uri() + "/",
            url_fetcher=self.fetcher,
            font_config=self.font_config,
        )


def _check_variant(pdf_variant: str | None) -> None:
    if pdf_variant is not None and pdf_variant not in PDF_VARIANTS:
        raise ValueError(f"unsupported PDF variant {pdf_variant!r}; use one of {PDF_VARIANTS}")


def _temporary_sibling(out_path: Path) -> Path:
    return out_path.with_name(f".{out_path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _write_atomically(out_path: Path, write: Callable[[Any], None]) -> Path:
    """Write through a temporary sibling file and move it into place in one step."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary_sibling(out_path)
    try:
        with open(tmp, "xb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out_path


_SOURCE_DATE_LOCK = threading.Lock()


def _epoch_of(w3c_date: str | None) -> int:
    """Seconds since 1970 at the start of the document's date; 0 when it has none."""
    try:
        day = dt.date.fromisoformat((w3c_date or "")[:10])
    except ValueError:
        return 0
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


@contextlib.contextmanager
def _pinned_font_timestamps(w3c_date: str | None) -> Iterator[None]:
    """Make the embedded font subsets carry the document's date instead of the clock.

    Without libharfbuzz-subset, WeasyPrint subsets fonts with fontTools, which stamps each
    subset's ``head.modified`` with the current time unless ``SOURCE_DATE_EPOCH`` is set (the
    reproducible-builds convention). The variable is set only while the PDF is written, under
    a lock, and restored afterwards.
    """
    with _SOURCE_DATE_LOCK:
        previous = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(_epoch_of(w3c_date))
        try:
            yield
        finally:
            if previous is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = previous


def _write_pdf(
    html: str,
    out_path: Path,
    resources: _Resources,
    *,
    title: str,
    author: str,
    pdf_variant: str | None,
) -> Path:
    _check_variant(pdf_variant)
    document = weasyprint.HTML(
        string=html, base_url=resources.base_dir.as_uri() + "/", url_fetcher=resources.fetcher
    ).render(
        font_config=resources.font_config,
        stylesheets=[resources.stylesheet],
        pdf_variant=pdf_variant,
    )
    metadata = document.metadata
    metadata.title = vnformat.nfc(title)
    metadata.authors = [vnformat.nfc(author)]
    metadata.lang = LANGUAGE
    with _pinned_font_timestamps(metadata.created):
        return _write_atomically(
            out_path,
            lambda fh: document.write_pdf(fh, pdf_variant=pdf_variant, pdf_identifier=True),
        )


def render_pdf(
    html: str,
    out_path: Path,
    *,
    base_dir: Path,
    title: str,
    author: str,
    pdf_variant: str | None = None,
) -> Path:
    """One PDF from HTML, loading fonts and CSS for this call only (see Renderer for batches).

    ``base_dir`` is the templates folder: relative URLs resolve against it, ``report.css`` is
    read from it, and only files under its ``assets/`` may be loaded. ``author`` is the
    issuing body. The document's dates come from its ``dcterms.created``/``modified`` meta.
    """
    return _write_pdf(
        html, out_path, _Resources(base_dir), title=title, author=author, pdf_variant=pdf_variant
    )


class Renderer:
    """Templates, stylesheet and fonts loaded once, for many dossiers in one worker process."""

    def __init__(self, templates_dir: Path, *, pdf_variant: str | None = None) -> None:
        _check_variant(pdf_variant)
        self.templates_dir = templates_dir
        self.pdf_variant = pdf_variant
        self.env = make_environment(templates_dir)
        self.resources = _Resources(templates_dir)

    @property
    def fetcher(self) -> AssetsOnlyFetcher:
        return self.resources.fetcher

    def html(self, template_name: str, context: dict) -> str:
        return render_html(self.env, template_name, context)

    def render(self, template_name: str, context: dict, out_path: Path, *, title: str) -> Path:
        """Render one document; its author is the issuing body named in ``context['doc']``."""
        return _write_pdf(
            self.html(template_name, context),
            out_path,
            self.resources,
            title=title,
            author=context["doc"]["issuing_body"],
            pdf_variant=self.pdf_variant,
        )
