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
import datetime as dt
import hashlib
import io
import json
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from danhgia.collector import lean_cyclic_gc
from danhgia.formula_safety import neutralise_cell
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


def context_digest(context: dict[str, Any], template_version: str) -> str:
    """A fingerprint of a dossier's input: same digest, same PDF."""

    def default(o: Any) -> str:
        if isinstance(o, dt.date):
            return o.isoformat()
        raise TypeError(type(o))

    def keys_as_text(o: Any) -> Any:
        # the summary counts by level, and "no level" is the key None
        if isinstance(o, dict):
            return {str(k): keys_as_text(v) for k, v in o.items()}
        if isinstance(o, list | tuple):
            return [keys_as_text(v) for v in o]
        return o

    payload = json.dumps(
        [template_version, keys_as_text(context)],
        sort_keys=True,
        default=default,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


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
    """One PDF to render. ``weight`` is its cost relative to a cadre's dossier, so the
    scheduler can start the long ones first and balance the rest."""

    template: str
    out_path: Path
    title: str
    context: dict[str, Any]
    weight: float = 1.0


class Batch:
    """The jobs one worker renders in one go, handed to it as one value. Deliberately not a
    list or a dataclass: orchestrators walk those looking for futures (Prefect several times
    per task run, Dask once more), and each dossier's context holds thousands of values."""

    __slots__ = ("jobs",)

    def __init__(self, jobs: Iterable[Job]) -> None:
        self.jobs = tuple(jobs)

    def __len__(self) -> int:
        return len(self.jobs)


@dataclass
class SetPlan:
    """What one set of dossiers needs this run: every entry of its index, and the jobs for
    the dossiers whose input changed (or whose PDF is missing)."""

    dossiers: DossierSet
    entries: list[dict[str, Any]]
    jobs: list[Job]


# Relative costs measured with `make bench`: a collective's dossier takes about 1.6 times a
# cadre's; the summary grows with the number of cadres it lists.
UNIT_DOSSIER_WEIGHT = 1.6
SUMMARY_WEIGHT_PER_CADRE = 0.055

_worker_renderers: dict[tuple[str, str | None], Renderer] = {}


def worker_renderer(templates_dir: Path) -> Renderer:
    """This process's renderer: templates, CSS and fonts are loaded once per process."""
    variant = get_settings().pdf_variant
    key = (str(templates_dir), variant)
    if key not in _worker_renderers:
        _worker_renderers[key] = Renderer(Path(templates_dir), pdf_variant=variant)
    return _worker_renderers[key]


def warm_worker(templates_dir: str) -> None:
    """A process pool's initializer: load the templates, CSS and fonts before the first job."""
    worker_renderer(Path(templates_dir))


def render_batch(jobs: Sequence[Job], templates_dir: Path) -> int:
    """Render a batch of jobs in this process (each PDF written to a temporary name and
    renamed, so a killed batch leaves no half-written file)."""
    renderer = worker_renderer(templates_dir)
    with lean_cyclic_gc(get_settings().render_gc_young_threshold):
        for job in jobs:
            renderer.render(job.template, job.context, job.out_path, title=job.title)
    return len(jobs)


#: The least a batch weighs (in cadre dossiers): each batch is a Prefect task run, whose
#: bookkeeping (its run and states through the API) costs a third to a half of a dossier;
#: four dossiers keep it small, and the last batches short enough to end together.
MIN_BATCH_WEIGHT = 4.0


def chunk_jobs(jobs: list[Job], workers: int) -> list[list[Job]]:
    """Batches in the order they should start: heaviest jobs first, then chunks that shrink
    as the work left shrinks (guided scheduling), so no worker idles at the end while
    another still has a long batch. One batch is at least one job, and weighs at least
    ``MIN_BATCH_WEIGHT`` while jobs are left."""
    ordered = sorted(jobs, key=lambda j: -j.weight)
    remaining = sum(j.weight for j in ordered)
    parts = max(1, workers) * 3
    chunks: list[list[Job]] = []
    current: list[Job] = []
    current_weight = 0.0
    target = max(MIN_BATCH_WEIGHT, remaining / parts)
    for job in ordered:
        current.append(job)
        current_weight += job.weight
        if current_weight >= target:
            chunks.append(current)
            remaining -= current_weight
            current, current_weight = [], 0.0
            target = max(MIN_BATCH_WEIGHT, remaining / parts)
    if current:
        chunks.append(current)
    return chunks


def render_jobs_locally(jobs: list[Job], templates_dir: Path, workers: int) -> None:
    """Render the jobs in up to ``workers`` local processes (in this one when one is enough).
    The flows do the same through Prefect's task runner (``tasks.reports``)."""
    if not jobs:
        return
    chunks = chunk_jobs(jobs, workers)
    n = max(1, min(workers, len(chunks)))
    if n == 1:
        for chunk in chunks:
            render_batch(chunk, templates_dir)
        return
    with ProcessPoolExecutor(n, initializer=warm_worker, initargs=(str(templates_dir),)) as pool:
        list(pool.map(render_batch, chunks, [templates_dir] * len(chunks)))


def _file_name(code: str) -> str:
    """``<code>.pdf``; a code that is not a plain file name is refused, never followed."""
    name = f"{code}.pdf"
    if not code or Path(name).name != name or name.startswith("."):
        raise ValueError(f"dossier code {code!r} is not a plain file name")
    return name


def plan_set(
    dossiers: DossierSet,
    items: Iterable[tuple[dict[str, Any], dict[str, Any], str]],
    out_dir: Path,
    templates_dir: Path,
    weight: float = 1.0,
) -> SetPlan:
    """Which dossiers of one set must be rendered: those whose digest differs from the one
    in the index, or whose PDF is missing.

    ``items`` are ``(index entry, context, PDF title)``; an entry has at least ``code``.
    """
    folder = out_dir / dossiers.folder
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
            jobs.append(Job(dossiers.template, out_path, title, context, weight))
    return SetPlan(dossiers, entries, jobs)


def finish_set(
    plan: SetPlan, out_dir: Path, templates_dir: Path, cycle: int | None
) -> dict[str, int]:
    """After the jobs are rendered: remove dossiers no longer due and update the index."""
    folder = out_dir / plan.dossiers.folder
    folder.mkdir(parents=True, exist_ok=True)
    keep = {Path(e["file"]).name for e in plan.entries}
    _remove_leftovers(folder)
    removed = 0
    for stale in folder.glob("*.pdf"):
        if stale.name not in keep:
            stale.unlink()
            removed += 1
    _update_index(out_dir, templates_dir, plan.dossiers, plan.entries, cycle)
    return {
        "dossiers": len(plan.entries),
        "rendered": len(plan.jobs),
        "kept": len(plan.entries) - len(plan.jobs),
        "removed": removed,
    }


def cadre_items(contexts: list[dict[str, Any]]) -> list[tuple[dict, dict, str]]:
    return [
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


def unit_items(contexts: list[dict[str, Any]]) -> list[tuple[dict, dict, str]]:
    return [
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


def plan_cadre_dossiers(
    contexts: list[dict[str, Any]], out_dir: Path, templates_dir: Path
) -> SetPlan:
    return plan_set(CADRES, cadre_items(contexts), out_dir, templates_dir)


def plan_unit_dossiers(
    contexts: list[dict[str, Any]], out_dir: Path, templates_dir: Path
) -> SetPlan:
    return plan_set(UNITS, unit_items(contexts), out_dir, templates_dir, UNIT_DOSSIER_WEIGHT)


def _publish(
    plan: SetPlan, out_dir: Path, templates_dir: Path, workers: int, cycle: int | None
) -> dict[str, int]:
    render_jobs_locally(plan.jobs, templates_dir, workers)
    return finish_set(plan, out_dir, templates_dir, cycle)


def render_cadre_dossiers(
    contexts: list[dict[str, Any]],
    out_dir: Path,
    templates_dir: Path,
    workers: int,
    cycle: int | None = None,
) -> dict[str, Any]:
    """Render what changed, remove dossiers of cadres no longer evaluated, write the index."""
    plan = plan_cadre_dossiers(contexts, out_dir, templates_dir)
    return _publish(plan, out_dir, templates_dir, workers, cycle)


def render_unit_dossiers(
    contexts: list[dict[str, Any]],
    out_dir: Path,
    templates_dir: Path,
    workers: int,
    cycle: int | None = None,
) -> dict[str, Any]:
    """The same for the collectives' dossiers (``danhgia.unit_dossiers.unit_contexts``)."""
    plan = plan_unit_dossiers(contexts, out_dir, templates_dir)
    return _publish(plan, out_dir, templates_dir, workers, cycle)


def _summary_digest_path(out_dir: Path) -> Path:
    return out_dir / f".{SUMMARY_FILE}.digest"


def plan_summary(context: dict[str, Any], out_dir: Path, templates_dir: Path) -> list[Job]:
    """The summary's job, or none when its input and templates are those of the PDF on disk
    (its digest is written beside it once the PDF is in place)."""
    out_path = out_dir / SUMMARY_FILE
    digest = context_digest(context, template_version(templates_dir))
    marker = _summary_digest_path(out_dir)
    if out_path.exists() and marker.exists() and marker.read_text().strip() == digest:
        return []
    weight = max(1.0, SUMMARY_WEIGHT_PER_CADRE * len(context.get("cadres", ())))
    return [Job(SUMMARY_TEMPLATE, out_path, context["doc"]["title"], context, weight)]


def _remove_leftovers(folder: Path) -> None:
    """Temporary PDFs of a run that was killed mid-write (every job of this run is done by
    now): never listed, but a half-written file must not stay beside the dossiers."""
    for leftover in folder.glob(".*.pdf.*.tmp"):
        leftover.unlink(missing_ok=True)


def finish_summary(context: dict[str, Any], out_dir: Path, templates_dir: Path) -> Path:
    """Record the digest of the summary now on disk."""
    _remove_leftovers(out_dir)
    digest = context_digest(context, template_version(templates_dir))
    _atomic_write(_summary_digest_path(out_dir), digest + "\n")
    return out_dir / SUMMARY_FILE


def render_summary(context: dict[str, Any], out_dir: Path, templates_dir: Path) -> Path:
    """Render the board's summary unless the one on disk already has this input."""
    out_dir.mkdir(parents=True, exist_ok=True)
    render_batch(plan_summary(context, out_dir, templates_dir), templates_dir)
    return finish_summary(context, out_dir, templates_dir)


@dataclass
class CyclePlan:
    """Everything a cycle's rendering needs: both sets of dossiers and the summary."""

    out_dir: Path
    templates_dir: Path
    cadres: SetPlan
    units: SetPlan
    summary_context: dict[str, Any]
    summary_jobs: list[Job]

    @property
    def jobs(self) -> list[Job]:
        return [*self.summary_jobs, *self.units.jobs, *self.cadres.jobs]


def plan_cycle(
    cadres: list[dict[str, Any]],
    units: list[dict[str, Any]],
    summary: dict[str, Any],
    out_dir: Path,
    templates_dir: Path,
) -> CyclePlan:
    """The jobs of a whole cycle, so one pool of workers renders them all: the summary and
    the collectives' dossiers (the longest) start first instead of waiting for the cadres."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return CyclePlan(
        out_dir,
        templates_dir,
        plan_cadre_dossiers(cadres, out_dir, templates_dir),
        plan_unit_dossiers(units, out_dir, templates_dir),
        summary,
        plan_summary(summary, out_dir, templates_dir),
    )


def finish_cycle(plan: CyclePlan, cycle: int | None) -> dict[str, Any]:
    """Once every job is rendered: prune, index, and note the summary's digest."""
    return {
        "dossiers": finish_set(plan.cadres, plan.out_dir, plan.templates_dir, cycle),
        "unit_dossiers": finish_set(plan.units, plan.out_dir, plan.templates_dir, cycle),
        "summary": str(finish_summary(plan.summary_context, plan.out_dir, plan.templates_dir)),
    }


def render_cycle_locally(plan: CyclePlan, workers: int, cycle: int | None) -> dict[str, Any]:
    """The flow's rendering without Prefect (benchmarks, tests of the rendering itself)."""
    render_jobs_locally(plan.jobs, plan.templates_dir, workers)
    return finish_cycle(plan, cycle)


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
