"""Rendering every dossier of a cycle across worker processes, and the index of them.

PDF layout is the one unavoidable cost, and it is CPU-bound: each worker process loads the
templates, CSS and fonts once and renders a share of the dossiers. A dossier whose input
(context and template version) has not changed since the last run is not rendered again.

Two sets of dossiers share this machinery: one per evaluated cadre (``ho-so-ca-nhan/``) and
one per collective (``ho-so-tap-the/``). Each set, once rendered, rewrites the index of the
cycle (JSON for the digests, HTML and CSV for people) with its own entries and the other
set's, so the index always lists every dossier on disk and nothing else.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from danhgia.dossiers import context_digest
from danhgia.intake.quarantine import neutralise_cell
from danhgia.render import Renderer, make_environment, render_html
from danhgia.settings import get_settings
from danhgia.vnformat import format_percent

DOSSIER_TEMPLATE = "dossier_cadre.html.j2"
UNIT_DOSSIER_TEMPLATE = "dossier_unit.html.j2"
SUMMARY_TEMPLATE = "summary.html.j2"
INDEX_TEMPLATE = "index.html.j2"
CADRE_FOLDER = "ho-so-ca-nhan"
UNIT_FOLDER = "ho-so-tap-the"
SUMMARY_FILE = "bao-cao-tong-hop.pdf"
INDEX_JSON = "danh-muc-ho-so.json"
INDEX_CSV = "danh-muc-ho-so.csv"
UNIT_INDEX_CSV = "danh-muc-ho-so-tap-the.csv"
INDEX_HTML = "danh-muc-ho-so.html"

_worker_renderer: Renderer | None = None


def template_version(templates_dir: Path) -> str:
    """A fingerprint of the templates, CSS and PDF variant: a change re-renders every dossier."""
    digest = hashlib.sha256(str(get_settings().pdf_variant).encode())
    for path in sorted(templates_dir.glob("*.j2")) + sorted(templates_dir.glob("*.css")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _percent_cell(value: float | None) -> str:
    return "" if value is None else format_percent(value)


def _total_cell(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


@dataclass(frozen=True)
class DossierSet:
    """One kind of dossier: its template, its folder, and its part of the index."""

    kind: str  # the entries' "kind" in the JSON index
    template: str
    folder: str
    csv_name: str
    csv_header: tuple[str, ...]
    csv_row: Callable[[dict[str, Any]], tuple[Any, ...]]


CADRES = DossierSet(
    kind="ca-nhan",
    template=DOSSIER_TEMPLATE,
    folder=CADRE_FOLDER,
    csv_name=INDEX_CSV,
    csv_header=("Mã cán bộ", "Họ và tên", "Đơn vị", "Tổng điểm", "Xếp loại", "Tệp"),
    csv_row=lambda e: (
        e["code"],
        e["name"],
        e["unit_name"],
        _total_cell(e["total"]),
        e["level"] or "Không xếp loại",
        e["file"],
    ),
)
UNITS = DossierSet(
    kind="tap-the",
    template=UNIT_DOSSIER_TEMPLATE,
    folder=UNIT_FOLDER,
    csv_name=UNIT_INDEX_CSV,
    csv_header=(
        "Mã đơn vị",
        "Tên đơn vị",
        "Đơn vị cấp trên",
        "Tỉ lệ hoàn thành nhiệm vụ",
        "Xếp loại",
        "Tệp",
    ),
    csv_row=lambda e: (
        e["code"],
        e["name"],
        e["unit_name"] or "",
        _percent_cell(e["completion_rate"]),
        e["level"] or "Chưa xếp loại",
        e["file"],
    ),
)
DOSSIER_SETS = (CADRES, UNITS)


@dataclass(frozen=True)
class Job:
    template: str
    out_path: Path
    title: str
    context: dict[str, Any]


def _init_worker(templates_dir: str) -> None:
    global _worker_renderer
    _worker_renderer = Renderer(Path(templates_dir), pdf_variant=get_settings().pdf_variant)


def _render_batch(jobs: list[Job]) -> int:
    assert _worker_renderer is not None
    for job in jobs:
        _worker_renderer.render(job.template, job.context, job.out_path, title=job.title)
    return len(jobs)


def _batches(jobs: list[Job], n: int) -> list[list[Job]]:
    return [jobs[i::n] for i in range(n) if jobs[i::n]]


def _render_jobs(jobs: list[Job], templates_dir: Path, workers: int) -> None:
    """Render the jobs in up to ``workers`` processes (in this one when one is enough)."""
    if not jobs:
        return
    n = max(1, min(workers, len(jobs)))
    if n == 1:
        _init_worker(str(templates_dir))
        _render_batch(jobs)
        return
    with ProcessPoolExecutor(n, initializer=_init_worker, initargs=(str(templates_dir),)) as pool:
        list(pool.map(_render_batch, _batches(jobs, n)))


def _file_name(code: str) -> str:
    """``<code>.pdf``; a code that is not a plain file name is refused, never followed."""
    name = f"{code}.pdf"
    if not code or Path(name).name != name or name.startswith("."):
        raise ValueError(f"dossier code {code!r} is not a plain file name")
    return name


def _publish(
    dossiers: DossierSet,
    items: Iterable[tuple[dict[str, Any], dict[str, Any], str]],
    out_dir: Path,
    templates_dir: Path,
    workers: int,
    cycle: int | None,
) -> dict[str, int]:
    """Render the changed dossiers of one set, remove those no longer due, update the index.

    ``items`` are ``(index entry, context, PDF title)``; an entry has at least ``code``.
    """
    folder = out_dir / dossiers.folder
    folder.mkdir(parents=True, exist_ok=True)
    version = template_version(templates_dir)
    previous = {e["file"]: e.get("digest") for e in _read_entries(out_dir)}
    entries, jobs = [], []
    for entry, context, title in items:
        name = _file_name(entry["code"])
        file = f"{dossiers.folder}/{name}"
        digest = context_digest(context, version)
        entries.append({"kind": dossiers.kind, **entry, "file": file, "digest": digest})
        out_path = folder / name
        if previous.get(file) != digest or not out_path.exists():
            jobs.append(Job(dossiers.template, out_path, title, context))
    _render_jobs(jobs, templates_dir, workers)
    keep = {Path(e["file"]).name for e in entries}
    removed = 0
    for stale in folder.glob("*.pdf"):
        if stale.name not in keep:
            stale.unlink()
            removed += 1
    _update_index(out_dir, templates_dir, dossiers, entries, cycle)
    return {
        "dossiers": len(entries),
        "rendered": len(jobs),
        "kept": len(entries) - len(jobs),
        "removed": removed,
    }


def render_cadre_dossiers(
    contexts: list[dict[str, Any]],
    out_dir: Path,
    templates_dir: Path,
    workers: int,
    cycle: int | None = None,
) -> dict[str, Any]:
    """Render what changed, remove dossiers of cadres no longer evaluated, write the index."""
    items = [
        (
            {
                "code": ctx["cadre"]["code"],
                "name": ctx["cadre"]["full_name"],
                "unit_name": ctx["cadre"]["unit_name"],
                "total": ctx["total"],
                "level": ctx["final_level"],
            },
            ctx,
            ctx["doc"]["title"] + " — " + ctx["cadre"]["full_name"],
        )
        for ctx in contexts
    ]
    return _publish(CADRES, items, out_dir, templates_dir, workers, cycle)


def render_unit_dossiers(
    contexts: list[dict[str, Any]],
    out_dir: Path,
    templates_dir: Path,
    workers: int,
    cycle: int | None = None,
) -> dict[str, Any]:
    """The same for the collectives' dossiers (``danhgia.unit_dossiers.unit_contexts``)."""
    items = [
        (
            {
                "code": ctx["unit"]["code"],
                "name": ctx["unit"]["name"],
                "unit_name": ctx["unit"]["parent_name"],
                "completion_rate": ctx["completion_rate"],
                "level": ctx["final_level"],
            },
            ctx,
            ctx["doc"]["title"] + " — " + ctx["unit"]["name"],
        )
        for ctx in contexts
    ]
    return _publish(UNITS, items, out_dir, templates_dir, workers, cycle)


def render_summary(context: dict[str, Any], out_dir: Path, templates_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    return Renderer(templates_dir, pdf_variant=get_settings().pdf_variant).render(
        SUMMARY_TEMPLATE, context, out_dir / SUMMARY_FILE, title=context["doc"]["title"]
    )


# --- the index ----------------------------------------------------------------------------


def _read_entries(out_dir: Path) -> list[dict[str, Any]]:
    """The entries of the index last written; an entry without a kind is a cadre's (the
    index listed only cadres before collectives had dossiers)."""
    path = out_dir / INDEX_JSON
    if not path.exists():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        return [
            {"kind": CADRES.kind, **e}
            for e in entries
            if isinstance(e, dict) and isinstance(e.get("file"), str) and "code" in e
        ]
    except (ValueError, TypeError, AttributeError):
        return []  # a damaged index only costs a full re-render


def _atomic_write(path: Path, text: str, encoding: str = "utf-8") -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding=encoding)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _csv_text(dossiers: DossierSet, entries: list[dict[str, Any]]) -> str:
    """The CSV of one set; every cell is safe to open in a spreadsheet (no formulas)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(dossiers.csv_header)
    for e in entries:
        writer.writerow([neutralise_cell(v) for v in dossiers.csv_row(e)])
    return buf.getvalue()


def _update_index(
    out_dir: Path,
    templates_dir: Path,
    dossiers: DossierSet,
    entries: list[dict[str, Any]],
    cycle: int | None,
) -> None:
    """Replace one set's entries in the index, keep the other sets' entries whose PDF is still
    there, and write the JSON, the CSV of each set and the HTML page."""
    kept = [
        e
        for e in _read_entries(out_dir)
        if e["kind"] != dossiers.kind
        and e["kind"] in {s.kind for s in DOSSIER_SETS}
        and (out_dir / e["file"]).is_file()
    ]
    by_kind: dict[str, list[dict[str, Any]]] = {s.kind: [] for s in DOSSIER_SETS}
    for e in [*kept, *entries]:
        by_kind[e["kind"]].append(e)
    everything = [e for s in DOSSIER_SETS for e in by_kind[s.kind]]
    _atomic_write(out_dir / INDEX_JSON, json.dumps(everything, ensure_ascii=False, indent=1))
    for s in DOSSIER_SETS:
        _atomic_write(out_dir / s.csv_name, _csv_text(s, by_kind[s.kind]), encoding="utf-8-sig")
    html = render_html(
        make_environment(templates_dir),
        INDEX_TEMPLATE,
        {
            "cycle": cycle or out_dir.name,
            "cadres": by_kind[CADRES.kind],
            "units": by_kind[UNITS.kind],
        },
    )
    _atomic_write(out_dir / INDEX_HTML, html)
