"""Rendering every dossier of a cycle across worker processes, and the index of them.

PDF layout is the one unavoidable cost, and it is CPU-bound: each worker process loads the
templates, CSS and fonts once and renders a share of the dossiers. A dossier whose input
(context and template version) has not changed since the last run is not rendered again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from danhgia.dossiers import context_digest
from danhgia.intake.quarantine import neutralise_cell
from danhgia.render import Renderer

DOSSIER_TEMPLATE = "dossier_cadre.html.j2"
SUMMARY_TEMPLATE = "summary.html.j2"
CADRE_FOLDER = "ho-so-ca-nhan"
SUMMARY_FILE = "bao-cao-tong-hop.pdf"
INDEX_JSON = "danh-muc-ho-so.json"
INDEX_CSV = "danh-muc-ho-so.csv"

_worker_renderer: Renderer | None = None


def template_version(templates_dir: Path) -> str:
    """A fingerprint of the templates and CSS: a layout change re-renders every dossier."""
    digest = hashlib.sha256()
    for path in sorted(templates_dir.glob("*.j2")) + sorted(templates_dir.glob("*.css")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Job:
    code: str
    out_path: Path
    title: str
    context: dict[str, Any]


def _init_worker(templates_dir: str) -> None:
    global _worker_renderer
    _worker_renderer = Renderer(Path(templates_dir))


def _render_batch(jobs: list[Job]) -> list[str]:
    assert _worker_renderer is not None
    for job in jobs:
        _worker_renderer.render(DOSSIER_TEMPLATE, job.context, job.out_path, title=job.title)
    return [job.code for job in jobs]


def _batches(jobs: list[Job], n: int) -> list[list[Job]]:
    return [jobs[i::n] for i in range(n) if jobs[i::n]]


def render_cadre_dossiers(
    contexts: list[dict[str, Any]], out_dir: Path, templates_dir: Path, workers: int
) -> dict[str, Any]:
    """Render what changed, remove dossiers of cadres no longer evaluated, write the index."""
    folder = out_dir / CADRE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    version = template_version(templates_dir)
    previous = _read_index(out_dir)
    entries, jobs = [], []
    for ctx in contexts:
        code = ctx["cadre"]["code"]
        digest = context_digest(ctx, version)
        out_path = folder / f"{code}.pdf"
        entries.append(
            {
                "code": code,
                "full_name": ctx["cadre"]["full_name"],
                "unit_name": ctx["cadre"]["unit_name"],
                "total": ctx["total"],
                "level": ctx["final_level"],
                "file": f"{CADRE_FOLDER}/{code}.pdf",
                "digest": digest,
            }
        )
        if previous.get(code) != digest or not out_path.exists():
            jobs.append(
                Job(code, out_path, ctx["doc"]["title"] + " — " + ctx["cadre"]["full_name"], ctx)
            )
    if jobs:
        n = max(1, min(workers, len(jobs)))
        if n == 1:
            _init_worker(str(templates_dir))
            _render_batch(jobs)
        else:
            with ProcessPoolExecutor(
                n, initializer=_init_worker, initargs=(str(templates_dir),)
            ) as pool:
                list(pool.map(_render_batch, _batches(jobs, n)))
    keep = {f"{e['code']}.pdf" for e in entries}
    removed = 0
    for stale in folder.glob("*.pdf"):
        if stale.name not in keep:
            stale.unlink()
            removed += 1
    _write_index(out_dir, entries)
    return {
        "dossiers": len(entries),
        "rendered": len(jobs),
        "kept": len(entries) - len(jobs),
        "removed": removed,
    }


def render_summary(context: dict[str, Any], out_dir: Path, templates_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    return Renderer(templates_dir).render(
        SUMMARY_TEMPLATE, context, out_dir / SUMMARY_FILE, title=context["doc"]["title"]
    )


def _read_index(out_dir: Path) -> dict[str, str]:
    path = out_dir / INDEX_JSON
    if not path.exists():
        return {}
    try:
        return {e["code"]: e["digest"] for e in json.loads(path.read_text(encoding="utf-8"))}
    except (ValueError, KeyError, TypeError):
        return {}  # a damaged index only costs a full re-render


def _atomic_write(path: Path, text: str, encoding: str = "utf-8") -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding=encoding)
    os.replace(tmp, path)


def _write_index(out_dir: Path, entries: list[dict[str, Any]]) -> None:
    _atomic_write(out_dir / INDEX_JSON, json.dumps(entries, ensure_ascii=False, indent=1))
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["Mã cán bộ", "Họ và tên", "Đơn vị", "Tổng điểm", "Xếp loại", "Tệp"])
    for e in entries:
        total = "" if e["total"] is None else f"{e['total']:.2f}".replace(".", ",")
        writer.writerow(
            [
                neutralise_cell(v)
                for v in (
                    e["code"],
                    e["full_name"],
                    e["unit_name"],
                    total,
                    e["level"] or "Không xếp loại",
                    e["file"],
                )
            ]
        )
    _atomic_write(out_dir / INDEX_CSV, buf.getvalue(), encoding="utf-8-sig")
