"""``make bench``: the annual cycle timed stage by stage on generated provinces (issue #7).

    .venv/bin/python -m bench.run                 # sizes S and M (BENCH_SIZES overrides)
    .venv/bin/python -m bench.run --sizes S       # only the sample province

Each size's province is generated once into ``bench/.cache/<size>-<seed>/`` (generation is
timed but is not part of the cycle) and every measurement works on copies of it under a
temporary folder. Results go to ``bench/results/<timestamp>.json`` and ``.md`` and
``bench/results/latest.md``. See ``bench/README.md`` for what is and is not measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb
import weasyprint
from openpyxl import load_workbook

from danhgia.collector import lean_cyclic_gc
from danhgia.completeness import build_completeness
from danhgia.cycle_config import CycleConfig, load_cycle_config
from danhgia.dossiers import cadre_contexts, mark_drafts, summary_context
from danhgia.intake.collect import LOCAL_TZ, collect
from danhgia.intake.feedback import send_feedback, submission_facts
from danhgia.intake.quarantine import quarantine
from danhgia.intake.storage import LocalStore
from danhgia.kinds import DATA_SHEET, KINDS
from danhgia.publish import (
    CADRE_FOLDER,
    DOSSIER_TEMPLATE,
    INDEX_JSON,
    SUMMARY_WEIGHT_PER_CADRE,
    UNIT_DOSSIER_WEIGHT,
    UNIT_FOLDER,
    context_digest,
    plan_cycle,
    render_cadre_dossiers,
    render_cycle_locally,
    template_version,
)
from danhgia.render import Renderer
from danhgia.sample.generator import MANIFEST_NAME, generate_province
from danhgia.scoring import build_scores
from danhgia.settings import PROJECT_ROOT, get_settings
from danhgia.unit_dossiers import unit_contexts
from danhgia.warehouse import connect
from danhgia.workbook import FIRST_DATA_ROW, HEADER_ROW

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
CACHE_DIR = BENCH_DIR / ".cache"
SIZE_NAMES = {"S": "sample", "M": "M", "L": "L"}
#: How each size's files are written: L's 176,000 files as CSV (openpyxl would take hours).
SIZE_FORMATS = {"S": "xlsx", "M": "xlsx", "L": "csv"}
CYCLE = 2025
SEED = 2025
PACKAGES = ("prefect", "duckdb", "weasyprint", "pandas", "pandera", "pydyf", "jinja2", "openpyxl")
#: Seconds to wait, after large folders are removed, before province L's run.
SETTLE_S = 60.0

#: A stage is repeated only while one run stays under this (a slow stage runs once).
CHEAP_S = 60.0
#: Issue #7's targets.
TARGETS = {
    "S_cycle_s": 90.0,
    "M_cycle_s": 15 * 60.0,
    "pipeline_over_floor": 1.15,
    "speedup_2_workers": 1.7,
    "incremental_share_M": 0.10,
    "L_cycle_s": 120.0,
    "L_peak_mib": 4 * 1024.0,
}


# --- measuring ----------------------------------------------------------------------------


def peak_mib() -> dict[str, float]:
    """Peak resident memory so far of this process and of its (waited-for) children."""
    return {
        "self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def repeated(fn: Callable[[], Any], repeat: int) -> tuple[Any, list[float]]:
    """Run ``fn`` up to ``repeat`` times (once only if it is slow); its last result and times."""
    times: list[float] = []
    result = None
    for _ in range(repeat):
        result, seconds = timed(fn)
        times.append(seconds)
        if seconds > CHEAP_S:
            break
    return result, times


def load1() -> float:
    """The 1-minute load average: above the number of CPUs, something else was running."""
    return os.getloadavg()[0]


def stage(seconds: list[float] | float, **extra: Any) -> dict[str, Any]:
    runs = seconds if isinstance(seconds, list) else [seconds]
    return {
        "s": statistics.median(runs),
        "runs": runs,
        "peak_mib": peak_mib(),
        "load1": load1(),
        **extra,
    }


def log(message: str) -> None:
    stamp = dt.datetime.now(dt.UTC).strftime("%H:%M:%S")
    print(f"[bench {stamp}] {message}", flush=True)


# --- the machine ----------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu, ram_kib = "?", 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_kib = int(line.split()[1])
    except OSError:
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return {
        "nproc": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": cpu,
        "ram_gib": round(ram_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "python_executable": os.path.realpath(sys.executable),
        "platform": platform.platform(),
        "packages": versions,
    }


#: The fixed page that times this machine's rendering: a title and a table of Vietnamese text,
#: in the project's own fonts and CSS (a dossier's typical content, not a dossier).
REFERENCE_ROWS = 120
REFERENCE_RUNS = 5


def reference_html() -> str:
    rows = "".join(
        f"<tr><td>{i}</td><td>Nhiệm vụ trọng tâm số {i}: triển khai Nghị quyết của Tỉnh ủy về "
        f"chuyển đổi số trong công tác tổ chức, cán bộ</td><td class='num'>{i % 17},{i % 10}"
        "</td><td>Hoàn thành đúng tiến độ, bảo đảm chất lượng</td></tr>"
        for i in range(1, REFERENCE_ROWS + 1)
    )
    return (
        "<html lang='vi'><body><h1>Trang đối chiếu tốc độ máy</h1>"
        "<table class='grid'><thead><tr><th>STT</th><th>Nội dung</th><th>Điểm</th>"
        f"<th>Kết quả</th></tr></thead><tbody>{rows}</tbody></table></body></html>"
    )


def python_reference() -> None:
    """Plain interpreter work (loops, dicts, strings, JSON): what intake and scoring cost."""
    table = {}
    for i in range(200_000):
        table[f"CB{i:06d}"] = (i * 7919) % 1000 / 10
    json.loads(json.dumps(sorted(table.items())))


def bare_weasyprint(renderer: Renderer) -> Callable[[str], bytes]:
    """WeasyPrint alone, with the renderer's fonts, CSS and URL fetcher: HTML in, PDF out."""
    resources = renderer.resources
    base_url = resources.base_dir.as_uri() + "/"

    def pdf_of(html: str) -> bytes:
        return (
            weasyprint.HTML(string=html, base_url=base_url, url_fetcher=resources.fetcher)
            .render(font_config=resources.font_config, stylesheets=[resources.stylesheet])
            .write_pdf()
        )

    return pdf_of


def machine_speed(runs: int = REFERENCE_RUNS) -> dict[str, Any]:
    """How fast this machine is today, on two fixed workloads (medians of ``runs``): the same
    figures taken on two machines say how their timings of the cycle compare."""
    pdf_of = bare_weasyprint(Renderer(get_settings().templates_dir))
    html = reference_html()

    def render() -> int:
        return len(pdf_of(html))

    render()  # imports and font caches, untimed
    return {
        "python_s": statistics.median(timed(python_reference)[1] for _ in range(runs)),
        "render_s": statistics.median(timed(render)[1] for _ in range(runs)),
    }


def cpu_times() -> list[int] | None:
    """The machine's CPU time counters (``/proc/stat``), to tell the steal afterwards."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            return [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None


def steal_share(before: list[int] | None, after: list[int] | None) -> float | None:
    """The share of CPU time the hypervisor gave to other machines in between (``steal``,
    the eighth counter): a shared host that is busy slows every figure."""
    if not before or not after or len(before) < 8 or len(after) < 8:
        return None
    spent = [b - a for a, b in zip(before, after, strict=False)]
    total = sum(spent[:8])
    return spent[7] / total if total else None


# --- provinces ------------------------------------------------------------------------------


def province(size: str, config: CycleConfig) -> tuple[Path, float | None]:
    """The generated province of a size (generated once, then reused); generation seconds."""
    target = CACHE_DIR / f"{size}-{SEED}"
    if (target / MANIFEST_NAME).exists():
        return target, None
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    fmt = SIZE_FORMATS[size]
    log(f"generating province {size} (size {SIZE_NAMES[size]!r}, {fmt}) into {target}")
    _, seconds = timed(
        lambda: generate_province(tmp, config, size=SIZE_NAMES[size], seed=SEED, fmt=fmt)
    )
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return target, seconds


def fresh_copy(source: Path, target: Path) -> Path:
    """A copy of the province's inbox and manifest, mtimes kept (they are the received times)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, copy_function=shutil.copy2)
    return target


class Work:
    """One data folder: inbox, store, warehouse, quarantine, outbox, output."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.inbox = root / "inbox"
        self.store = LocalStore(root / "store")
        self.warehouse = root / "warehouse.duckdb"

    def connect(self) -> duckdb.DuckDBPyConnection:
        return connect(self.warehouse)


# --- the stages -------------------------------------------------------------------------------


def run_collect(work: Work, config: CycleConfig) -> tuple[list, dict[str, int]]:
    with work.connect() as con:
        outcomes = collect(con, work.inbox, work.store, config)
        files, rows = con.execute(
            "select count(*), coalesce(sum(n_rows), 0) from submissions"
        ).fetchone()
    return outcomes, {"files": int(files), "rows": int(rows)}


def run_intake_reports(work: Work, outcomes: list, config: CycleConfig) -> int:
    """What ``tasks.intake.collect_inbox`` does after ``collect``: quarantine and feedback."""
    with work.connect() as con:
        facts = submission_facts(con, [o.file_hash for o in outcomes])
    written = 0
    for o in outcomes:
        original = work.store.path_of(o.stored)
        if o.status == "quarantined":
            quarantine(o, original, work.root / "quarantine", config.cycle)
        written += len(
            send_feedback(o, original, work.root / "outbox", config, facts.get(o.file_hash))
        )
    return written


def contexts_of(work: Work, config: CycleConfig) -> tuple[list[dict], list[dict]]:
    with work.connect() as con:
        cadres = mark_drafts(cadre_contexts(con, config), True)
        units = mark_drafts(unit_contexts(con, config), True)
    return cadres, units


def sample_of(items: list, n: int | None) -> list:
    """Every k-th item, n of them (all when n is None or not smaller)."""
    if n is None or n >= len(items):
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def render_cadres_once(contexts: list[dict], out_dir: Path, workers: int) -> tuple[int, float]:
    """One run into an empty folder (nothing kept from the run before): dossiers, seconds."""
    settings = get_settings()
    shutil.rmtree(out_dir, ignore_errors=True)
    result, seconds = timed(
        lambda: render_cadre_dossiers(contexts, out_dir, settings.templates_dir, workers, CYCLE)
    )
    return result["rendered"], seconds


def round_ratios(numerators: list[float], denominators: list[float]) -> list[float]:
    """Two renderings compared round by round (each round runs both, minutes apart at most)."""
    return [a / b for a, b in zip(numerators, denominators, strict=True)]


def render_stage(runs: list[float], rendered: int, workers: int) -> dict[str, Any]:
    med = statistics.median(runs)
    return stage(
        runs,
        workers=workers,
        rendered=rendered,
        per_s=rendered / med if med else None,
        s_per_dossier=med / max(rendered, 1),
    )


#: The renderings of one round, in the order of the even rounds (the odd ones reverse it).
RENDER_ORDER = ("floor", "w1", "w2")
RENDER_STEP_NAMES = {"floor": "the floor (bare WeasyPrint)", "w1": "1 worker", "w2": "2 workers"}


class Floor:
    """WeasyPrint alone on the very same HTML: the fastest these PDFs can be made here."""

    def __init__(self, contexts: list[dict]) -> None:
        renderer = Renderer(get_settings().templates_dir)
        self.pdf_of = bare_weasyprint(renderer)
        self.htmls, self.html_s = timed(
            lambda: [renderer.html(DOSSIER_TEMPLATE, c) for c in contexts]
        )
        self.runs: list[float] = []
        self.size = 0

    def run(self) -> None:
        def loop() -> int:
            # The collector as the pipeline's workers set it: the floor is the same
            # interpreter doing only WeasyPrint's work, so pipeline ÷ floor is the
            # pipeline's own cost.
            with lean_cyclic_gc(get_settings().render_gc_young_threshold):
                return sum(len(self.pdf_of(html)) for html in self.htmls)

        self.size, seconds = timed(loop)
        self.runs.append(seconds)

    def stage(self) -> dict[str, Any]:
        med = statistics.median(self.runs)
        return stage(
            self.runs,
            dossiers=len(self.htmls),
            s_per_dossier=med / len(self.htmls),
            per_s=len(self.htmls) / med,
            jinja_s=self.html_s,
            jinja_s_per_dossier=self.html_s / len(self.htmls),
            pdf_mib=self.size / 2**20,
        )


def one_self_assessment(work: Work, config: CycleConfig) -> dict[str, Any]:
    """Rewrite one unit's self-assessment: one achieved value changed, a minute later than
    the file it supersedes and still before the deadline."""
    due = config.deadlines.due("self_assessment", "CN")
    with work.connect() as con:
        rows = con.execute(
            "select unit_code, file_name from submissions where kind = 'self_assessment' "
            "and status = 'loaded' and not late and n_warnings = 0 order by unit_code"
        ).fetchall()
    for unit, name in rows:
        path = work.inbox / unit / name
        if not path.exists():
            continue
        new_time = path.stat().st_mtime + 60
        if dt.datetime.fromtimestamp(new_time, tz=LOCAL_TZ).date() > due:
            continue
        wb = load_workbook(path)
        ws = wb[DATA_SHEET]
        header = KINDS["self_assessment"].columns
        column = 1 + [c.name for c in header].index("achieved")
        assert ws.cell(HEADER_ROW, column).value == header[column - 1].header
        cell = ws.cell(FIRST_DATA_ROW, column)
        old = cell.value
        if not isinstance(old, int | float):
            continue
        cell.value = old + 1
        tmp = path.with_name(f".{path.name}.bench.tmp")
        wb.save(tmp)
        os.replace(tmp, path)
        os.utime(path, (new_time, new_time))
        return {"unit": unit, "file": name, "achieved_from": old, "achieved_to": old + 1}
    raise RuntimeError("no on-time, clean self-assessment to rewrite")


def _index_entry(kind: str, ctx: dict[str, Any]) -> dict[str, Any]:
    """The index entry ``danhgia.publish`` writes for a dossier (see render_*_dossiers)."""
    if kind == "ca-nhan":
        c = ctx["cadre"]
        return {
            "code": c["code"],
            "name": c["full_name"],
            "unit_name": c["unit_name"],
            "total": ctx["total"],
            "level": ctx["final_level"],
        }
    u = ctx["unit"]
    return {
        "code": u["code"],
        "name": u["name"],
        "unit_name": u["parent_name"],
        "completion_rate": ctx["completion_rate"],
        "level": ctx["final_level"],
    }


def fake_previous_render(cadres: list[dict], units: list[dict], out_dir: Path) -> None:
    """For M, whose dossiers are not all rendered: the index with every dossier's digest and
    a placeholder PDF each, as a full render would leave them, so that the digest skip runs
    for real."""
    version = template_version(get_settings().templates_dir)
    entries = []
    for kind, folder, contexts in (
        ("ca-nhan", CADRE_FOLDER, cadres),
        ("tap-the", UNIT_FOLDER, units),
    ):
        (out_dir / folder).mkdir(parents=True, exist_ok=True)
        for ctx in contexts:
            entry = _index_entry(kind, ctx)
            name = f"{entry['code']}.pdf"
            (out_dir / folder / name).write_bytes(b"%PDF-placeholder\n")
            entries.append(
                {
                    "kind": kind,
                    **entry,
                    "file": f"{folder}/{name}",
                    "digest": context_digest(ctx, version),
                }
            )
    (out_dir / INDEX_JSON).write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")


def incremental(work: Work, config: CycleConfig, out_dir: Path) -> dict[str, Any]:
    """After a full run into ``out_dir``: one unit re-sends its self-assessment; the cycle
    is run again (collect, scores, contexts, dossiers with the digest skip)."""
    settings = get_settings()
    changed = one_self_assessment(work, config)
    out: dict[str, Any] = {"changed": changed}
    start = time.perf_counter()
    (outcomes, _), out["collect_s"] = timed(lambda: run_collect(work, config))
    out["new_files"] = [{"file": o.file_name, "status": o.status} for o in outcomes]
    with work.connect() as con:
        _, out["scores_s"] = timed(lambda: build_scores(con, config))
    (cadres, units), out["contexts_s"] = timed(lambda: contexts_of(work, config))
    with work.connect() as con:
        summary = mark_drafts([summary_context(con, config)], True)[0]
    plan = plan_cycle(cadres, units, summary, out_dir, settings.templates_dir)
    out["summary_rendered"] = bool(plan.summary_jobs)
    result, out["render_s"] = timed(
        lambda: render_cycle_locally(plan, settings.render_workers, CYCLE)
    )
    out["cadres"] = {k: result["dossiers"][k] for k in ("dossiers", "rendered", "kept")}
    out["units"] = {k: result["unit_dossiers"][k] for k in ("dossiers", "rendered", "kept")}
    out["total_s"] = time.perf_counter() - start
    out["peak_mib"] = peak_mib()
    return out


def median_run(runs: list[dict[str, Any]], keys: tuple[str, ...]) -> dict[str, Any]:
    """The run whose first key is the median, with each key's median and every run's value
    beside it (``<key>_runs``); the breakdown shown is that run's."""
    ordered = sorted(runs, key=lambda r: r[keys[0]])
    out = dict(ordered[(len(ordered) - 1) // 2])
    for key in keys:
        out[key] = statistics.median(r[key] for r in runs)
        out[key + "_runs"] = [r[key] for r in runs]
    return out


def run_flows(source: Path, tmp: Path, repeat: int) -> dict[str, Any]:
    """The flow ``repeat`` times, each on fresh data and a fresh Prefect home; the medians."""
    runs = []
    for i in range(repeat):
        log(f"  flow run {i + 1} of {repeat}")
        one = run_flow(source, tmp / f"flow-{i}")
        runs.append(one)
        if "error" in one:
            return one
    return median_run(runs, ("flow_s", "wall_s", "api_start_s", "import_s"))


def run_flow(source: Path, tmp: Path) -> dict[str, Any]:
    """``flows.annual.annual_cycle`` end to end in a fresh process, Prefect and data in tmp."""
    data = fresh_copy(source, tmp / "flow-data")
    home = tmp / "prefect-home"
    home.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "DANHGIA_DATA_DIR": str(data),
    }
    env.pop("PREFECT_API_URL", None)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.flow_once", str(CYCLE)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout)[-2000:], "wall_s": wall}
    inner = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"wall_s": wall, **inner}


#: What L's report reads from each run: the medians of these (the first picks the run shown).
L_TIMES = ("cycle_s", "collect_s", "build_scores_s", "intake_reports_s", "completeness_s")
#: Peak memories: the highest of the runs.
L_PEAKS = ("pass_peak_mib", "peak_rss_mib", "peak_rss_children_mib")


def run_l(config: CycleConfig, tmp: Path, repeat: int) -> dict[str, Any]:
    """Province L (generated once, CSV): intake, validation, scoring and classification in a
    process of its own (``bench/cycle_l.py``), so that its peak memory is its own; ``repeat``
    times, each on a fresh copy, the medians reported."""
    source, gen_s = province("L", config)
    manifest = json.loads((source / MANIFEST_NAME).read_text(encoding="utf-8"))
    common = {
        "generate_s": gen_s,
        "cadres_generated": manifest["cadre_count"],
        "files_generated": manifest["counts"]["files"],
    }
    runs = []
    for i in range(repeat):
        log(f"  L run {i + 1} of {repeat}")
        # removing large folders (the earlier sizes', or the last L run's 350,000 files) slows
        # creating files on this ext4 (mounted with discard) for about half a minute
        os.sync()
        time.sleep(SETTLE_S)
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "bench.cycle_l", str(source), str(tmp / "L")],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        wall = time.perf_counter() - start
        shutil.rmtree(tmp / "L", ignore_errors=True)
        if proc.returncode != 0:
            return {"error": proc.stderr[-2000:], "process_wall_s": wall, **common}
        one = {"process_wall_s": wall, **json.loads(proc.stdout.strip().splitlines()[-1])}
        # the pass's peak: its process's and its helper process's, as if at once
        one["pass_peak_mib"] = one["peak_rss_mib"] + one.get("peak_rss_children_mib", 0.0)
        runs.append(one)
    out = median_run(runs, (*L_TIMES, "process_wall_s"))
    out["files_per_s"] = out["files"] / out["collect_s"]
    out["rows_per_s"] = out["rows"] / out["collect_s"]
    for key in L_PEAKS:
        out[key] = max(r.get(key, 0.0) for r in runs)
        out[key + "_runs"] = [r.get(key, 0.0) for r in runs]
    return {**common, **out, "runs": len(runs)}


# --- one size ---------------------------------------------------------------------------------


def bench_size(
    size: str,
    config: CycleConfig,
    tmp: Path,
    repeat: int,
    render_sample: int | None,
    with_floor: bool,
    flow_repeat: int,
    render_repeat: int,
) -> dict[str, Any]:
    settings = get_settings()
    source, gen_s = province(size, config)
    manifest = json.loads((source / MANIFEST_NAME).read_text(encoding="utf-8"))
    r: dict[str, Any] = {
        "size": size,
        "generator_size": SIZE_NAMES[size],
        "cadres_generated": manifest["cadre_count"],
        "files_generated": manifest["counts"]["files"],
        "generate_s": gen_s,
        "stages": {},
    }
    st = r["stages"]
    root = tmp / size

    # collect: each run on a fresh copy of the inbox and an empty warehouse
    runs: list[float] = []
    for i in range(repeat):
        work = Work(fresh_copy(source, root / f"collect-{i}"))
        log(f"{size}: collect, run {i + 1}")
        (outcomes, counts), seconds = timed(lambda w=work: run_collect(w, config))
        runs.append(seconds)
        if seconds > CHEAP_S or i == repeat - 1:
            break
        shutil.rmtree(work.root)
    med = statistics.median(runs)
    st["collect"] = stage(
        runs,
        **counts,
        loaded=sum(o.status == "loaded" for o in outcomes),
        quarantined=sum(o.status == "quarantined" for o in outcomes),
        files_per_s=counts["files"] / med,
        rows_per_s=counts["rows"] / med,
    )
    log(f"{size}: quarantine and feedback")
    written, seconds = timed(lambda: run_intake_reports(work, outcomes, config))
    st["intake_reports"] = stage(seconds, files_written=written)
    with work.connect() as con:
        _, seconds = timed(lambda: build_completeness(con, config))
    st["completeness"] = stage(seconds)

    log(f"{size}: build_scores")
    with work.connect() as con:
        counts, runs = repeated(lambda: build_scores(con, config), repeat)
    st["build_scores"] = stage(runs, cadre_levels=counts["cadre_levels"])

    log(f"{size}: contexts")
    (cadres, units), runs = repeated(lambda: contexts_of(work, config), repeat)
    st["contexts"] = stage(runs, cadre_contexts=len(cadres), unit_contexts=len(units))
    r["cadres"] = len(cadres)
    r["units_with_dossier"] = len(units)

    chosen = sample_of(cadres, render_sample)
    r["render_sample"] = len(chosen)
    # untimed warm-up in this process (imports, font and layout caches), so that neither the
    # 1-worker run nor the floor, which both render here, pays it for the other
    render_cadre_dossiers(chosen[:3], root / "warm-up", settings.templates_dir, 1, CYCLE)

    # the flow's rendering: every dossier and the summary planned together, one pool of 2
    out_dir = root / "out-all"  # the full run to which the incremental run is compared
    unit_sample = sample_of(units, None if render_sample is None else max(render_sample // 4, 1))
    with work.connect() as con:
        summary, ctx_s = timed(lambda: mark_drafts([summary_context(con, config)], True)[0])
    bare = Floor(chosen) if with_floor else None

    # Rounds: each round runs every rendering once, one after the other, so that a machine
    # slowing down over the minutes slows all of them alike; the ratios (2 workers ÷ 1,
    # pipeline ÷ floor) are taken within each round and their median reported. The 1-worker
    # run sits between the two it is compared with, and every other round reverses the
    # order (floor, 1, 2 / 2, 1, floor): a host that speeds up or slows down during a round
    # then favours neither side of a ratio round after round.
    w1_runs: list[float] = []
    w2_runs: list[float] = []
    all_runs: list[float] = []
    for i in range(render_repeat):
        order = RENDER_ORDER if i % 2 == 0 else RENDER_ORDER[::-1]
        if bare is None:
            order = tuple(step for step in order if step != "floor")
        log(
            f"{size}: rendering round {i + 1} of {render_repeat}: {len(chosen)} cadre dossiers, "
            + ", ".join(RENDER_STEP_NAMES[step] for step in order)
            + f"; then {len(unit_sample)} unit dossiers and the summary with the cadre dossiers "
            "in one pool of 2"
        )
        for step in order:
            if step == "floor":
                bare.run()
                continue
            workers, runs = (1, w1_runs) if step == "w1" else (2, w2_runs)
            rendered, seconds = render_cadres_once(chosen, root / f"out-w{workers}", workers)
            runs.append(seconds)
        shutil.rmtree(out_dir, ignore_errors=True)  # everything is rendered
        plan = plan_cycle(chosen, unit_sample, summary, out_dir, settings.templates_dir)
        result, seconds = timed(lambda p=plan: render_cycle_locally(p, 2, CYCLE))
        all_runs.append(seconds)
    st["render_cadres_w1"] = render_stage(w1_runs, rendered, 1)
    st["render_cadres_w2"] = render_stage(w2_runs, rendered, 2)
    r["speedup_2_workers_rounds"] = round_ratios(w1_runs, w2_runs)
    r["speedup_2_workers"] = statistics.median(r["speedup_2_workers_rounds"])
    seconds = statistics.median(all_runs)
    n_pdfs = result["dossiers"]["rendered"] + result["unit_dossiers"]["rendered"] + 1
    st["render_all_w2"] = stage(
        all_runs,
        cadres=result["dossiers"]["rendered"],
        units=result["unit_dossiers"]["rendered"],
        summary_context_s=ctx_s,
        pdfs=n_pdfs,
        per_s=n_pdfs / seconds,
    )

    # the cycle as the flow runs it (2 render workers), from the stages' medians; with a
    # sample of the dossiers, the rendering is scaled by the jobs' weights
    full_render = len(chosen) == len(cadres) and len(unit_sample) == len(units)
    summary_weight = SUMMARY_WEIGHT_PER_CADRE * len(summary["cadres"])
    weight_done = len(chosen) + UNIT_DOSSIER_WEIGHT * len(unit_sample) + summary_weight
    weight_all = len(cadres) + UNIT_DOSSIER_WEIGHT * len(units) + summary_weight
    r["cycle_total_s"] = (
        sum(st[k]["s"] for k in ("collect", "intake_reports", "completeness", "build_scores"))
        + st["contexts"]["s"]
        + ctx_s
        + seconds * weight_all / weight_done
    )
    r["cycle_total_extrapolated"] = not full_render

    if bare is not None:
        st["floor"] = bare.stage()
        # per dossier, as both render the same dossiers
        r["pipeline_over_floor_rounds"] = round_ratios(w1_runs, bare.runs)
        r["pipeline_over_floor"] = statistics.median(r["pipeline_over_floor_rounds"])

    log(f"{size}: incremental re-run")
    if not full_render:
        out_dir = root / "out-incremental"
        shutil.rmtree(out_dir, ignore_errors=True)
        fake_previous_render(cadres, units, out_dir)
    try:
        r["incremental"] = inc = incremental(work, config, out_dir)
        inc["share_of_full"] = inc["total_s"] / r["cycle_total_s"]
        inc["previous_render"] = "real" if full_render else "simulated (index + placeholders)"
    except Exception as exc:  # report what was measured rather than nothing
        log(f"{size}: incremental re-run failed: {exc!r}")
        r["incremental"] = {"error": repr(exc)}

    if flow_repeat:
        log(f"{size}: the whole Prefect flow, {flow_repeat} time(s)")
        r["flow"] = run_flows(source, root, flow_repeat)
    r["peak_mib"] = peak_mib()
    shutil.rmtree(root, ignore_errors=True)
    return r


# --- the report -------------------------------------------------------------------------------


def _f(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _ok(met: bool | None) -> str:
    return "n/a" if met is None else ("**met**" if met else "**not met**")


def targets(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    sizes, rows = results["sizes"], []
    s, m, lsize = sizes.get("S"), sizes.get("M"), results.get("L")
    for name, r, limit, unit, scale in (
        ("S", s, TARGETS["S_cycle_s"], "s", 1),
        ("M", m, TARGETS["M_cycle_s"], "min", 60),
    ):
        if not r:
            continue
        flow = r.get("flow") or {}
        stages = f"{_f(r['cycle_total_s'] / scale, 1)} {unit} as stages" + (
            " (extrapolated)" if r["cycle_total_extrapolated"] else ""
        )
        if "flow_s" in flow:
            n = len(flow.get("flow_s_runs", [0]))
            measured = (
                f"flow {_f(flow['flow_s'] / scale, 1)} {unit} with the API up (median of {n}), "
                f"{_f(flow['wall_s'] / scale, 1)} {unit} from a cold start; {stages}"
            )
            met = _ok(flow["flow_s"] < limit) + (
                "" if flow["wall_s"] < limit else " (not from a cold start)"
            )
        else:
            measured, met = stages, _ok(r["cycle_total_s"] < limit) + " (stages only)"
        label = "S whole cycle < 90 s" if name == "S" else "M whole cycle < 15 min"
        rows.append((label, measured, met))
    if s and "pipeline_over_floor" in s:
        rows.append(
            (
                "render pipeline ÷ floor ≤ 1.15 (1 worker, S)",
                _f(s["pipeline_over_floor"]),
                _ok(s["pipeline_over_floor"] <= TARGETS["pipeline_over_floor"]),
            )
        )
    for name, r in (("S", s), ("M", m)):
        if r:
            rows.append(
                (
                    f"2 workers ≥ 1.7× one ({name})",
                    f"{_f(r['speedup_2_workers'])}×",
                    _ok(r["speedup_2_workers"] >= TARGETS["speedup_2_workers"]),
                )
            )
    for name, r in (("S", s), ("M", m)):
        if r and "error" not in r["incremental"]:
            inc = r["incremental"]
            rows.append(
                (
                    f"incremental re-run < 10% of full run ({name})",
                    f"{_f(inc['total_s'], 1)} s = {_f(100 * inc['share_of_full'], 1)}%",
                    _ok(inc["share_of_full"] < TARGETS["incremental_share_M"])
                    if name == "M"
                    else f"(target is on M) {_ok(inc['share_of_full'] < 0.10)}",
                )
            )
    if lsize and "error" not in lsize:
        rows.append(
            (
                "L < 2 min & < 4 GiB (intake, validation, scoring, classification)",
                f"{_f(lsize['cycle_s'], 1)} s (median of {lsize.get('runs', 1)}: collect "
                f"{_f(lsize['collect_s'], 1)} s + build_scores "
                f"{_f(lsize['build_scores_s'], 1)} s), peak RSS {_f(_l_peak(lsize), 0)} MiB "
                "(the pass + its helper, highest run)",
                _ok(
                    lsize["cycle_s"] < TARGETS["L_cycle_s"]
                    and _l_peak(lsize) < TARGETS["L_peak_mib"]
                ),
            )
        )
    return rows


def _runs(r: dict[str, Any], key: str, digits: int = 1) -> str:
    """Every run's value of a key, as measured (one value when the key was not repeated)."""
    return ", ".join(_f(x, digits) for x in r.get(key + "_runs", [r.get(key)]))


def _l_peak(lsize: dict[str, Any]) -> float:
    """The pass's peak memory (its process's and its helper process's, as if at once), the
    highest of the runs."""
    if "pass_peak_mib" in lsize:
        return lsize["pass_peak_mib"]
    return lsize["peak_rss_mib"] + lsize.get("peak_rss_children_mib", 0.0)


STAGE_LABELS = {
    "collect": "collect (read, validate, load)",
    "intake_reports": "quarantine + feedback files",
    "completeness": "build_completeness",
    "build_scores": "build_scores (SQL marts + classify)",
    "contexts": "cadre + unit contexts",
    "render_cadres_w1": "render cadre dossiers, 1 worker",
    "render_cadres_w2": "render cadre dossiers, 2 workers",
    "render_all_w2": "render every dossier + the summary, one pool of 2 workers",
    "floor": "floor: bare WeasyPrint, same HTML, 1 process",
}


def _stage_note(name: str, st: dict[str, Any]) -> str:
    if name == "collect":
        return (
            f"{st['files']} files ({st['loaded']} loaded, {st['quarantined']} quarantined), "
            f"{st['rows']:,} rows; {_f(st['files_per_s'], 1)} files/s, "
            f"{_f(st['rows_per_s'], 0)} rows/s"
        )
    if name == "render_all_w2":
        return (
            f"{st['cadres']} cadre + {st['units']} unit dossiers + summary = {st['pdfs']} PDFs; "
            f"{_f(st['per_s'])} /s; summary context {_f(st['summary_context_s'])} s"
        )
    if name.startswith("render") or name == "floor":
        n = st.get("rendered", st.get("dossiers"))
        note = f"{n} PDFs; {_f(st['per_s'])} /s; {_f(st['s_per_dossier'], 3)} s each"
        if name == "floor":
            note += f" (+ Jinja {_f(st['jinja_s_per_dossier'], 3)} s each, not in the floor)"
        return note
    if name == "contexts":
        return f"{st['cadre_contexts']} cadres, {st['unit_contexts']} units"
    if name == "build_scores":
        return f"{st['cadre_levels']} cadre levels"
    if name == "intake_reports":
        return f"{st['files_written']} files written"
    return ""


def _flow_runs(runs: dict[str, Any]) -> list[str]:
    """Prefect's own record of the flow: where the time went."""
    if "error" in runs:
        return [f"  * (no breakdown: {runs['error']})"]
    if not runs:
        return []
    first = runs.get("first_flow_start_after_call_s")
    flows = ", ".join(f"`{f['name']}` {_f(f['s'], 1)} s" for f in runs["flows"])
    tasks = ", ".join(f"`{t['name']}` {_f(t['s'], 1)} s" for t in runs["tasks"])
    return [
        f"  * first flow run started {_f(first, 1)} s after the call (API start-up)",
        f"  * flow runs: {flows}",
        f"  * task runs, in order: {tasks}",
    ]


def _incremental_lines(inc: dict[str, Any]) -> list[str]:
    ch = inc["changed"]
    return [
        f"* Incremental re-run ({inc['previous_render']} previous render): unit "
        f"{ch['unit']} re-sent {ch['file']} with one achieved value "
        f"{ch['achieved_from']} → {ch['achieved_to']}; new files: "
        + ", ".join(f"{x['file']} {x['status']}" for x in inc["new_files"]),
        f"  * {_f(inc['total_s'], 1)} s in all = {_f(100 * inc['share_of_full'], 1)}% of "
        f"the full cycle: collect {_f(inc['collect_s'])} s, scores "
        f"{_f(inc['scores_s'])} s, contexts {_f(inc['contexts_s'])} s, rendering "
        f"{_f(inc['render_s'])} s: cadre dossiers {inc['cadres']['rendered']} re-rendered, "
        f"{inc['cadres']['kept']} kept; unit dossiers {inc['units']['rendered']} "
        f"re-rendered, {inc['units']['kept']} kept; summary "
        + ("re-rendered (its content changed)" if inc["summary_rendered"] else "kept"),
    ]


def _per_size(results: dict[str, Any], key: str) -> str:
    """How many runs S and M had of a stage, naming only the sizes that were run."""
    counts = {"S": results.get(key, 1), "M": results.get(f"m_{key}", 1)}
    named = [
        f"{n} run{'' if n == 1 else 's'} on {size}"
        for size, n in counts.items()
        if size in results["sizes"]
    ]
    return ", ".join(named) or "none"


def _rounds(ratios: list[float] | None) -> str:
    """A ratio's value in each rendering round, beside their median."""
    if ratios is None or len(ratios) < 2:
        return ""
    return " (median of the rounds: " + ", ".join(_f(x) for x in ratios) + ")"


def _speed_lines(results: dict[str, Any]) -> list[str]:
    """The machine's own speed, so that runs on different machines can be compared."""
    start, end = results.get("speed_start"), results.get("speed_end")
    if not start:
        return []
    line = (
        f"* Machine speed (fixed workloads, median of {REFERENCE_RUNS}): plain Python "
        f"{_f(start['python_s'], 3)} s, WeasyPrint reference page {_f(start['render_s'], 3)} s "
        "at the start"
    )
    for part, speed in results.get("speed_before", {}).items():
        line += f"; {_f(speed['python_s'], 3)} s and {_f(speed['render_s'], 3)} s before {part}"
    if end:
        line += f"; {_f(end['python_s'], 3)} s and {_f(end['render_s'], 3)} s at the end"
    steal = results.get("steal_share")
    if steal is not None:
        line += (
            f"; CPU steal during the bench {_f(100 * steal, 1)}% (time the host gave "
            "these CPUs to other machines)"
        )
    return [line + ". A slower machine scales every time here: compare these first."]


def markdown(results: dict[str, Any]) -> str:
    mc = results["machine"]
    pk = ", ".join(f"{k} {v}" for k, v in mc["packages"].items())
    lines = [
        f"# Benchmark — {results['started']}",
        "",
        f"* Machine: {mc['nproc']} CPUs (affinity {mc['affinity']}), {mc['cpu']}, "
        f"{mc['ram_gib']} GiB RAM; {mc['platform']}",
        f"* Python {mc['python']} ({mc.get('python_executable', '?')}); {pk}",
        f"* Sizes: {', '.join(results['sizes']) or 'none'}; repeats: {results['repeat']} "
        f"(median shown) for collect (fresh inbox copy + empty warehouse each time), "
        f"build_scores and contexts; render stages: {_per_size(results, 'render_repeat')}, in"
        " rounds that run each rendering once (median shown; the ratios are each round's, their"
        f" median shown); a collect, build_scores or contexts run slower than {CHEAP_S:.0f} s"
        f" ran once; the Prefect flow: {_per_size(results, 'flow_repeat')}; province L: "
        + (f"{results.get('l_repeat', 1)} runs." if "L" in results else "not run."),
        *_speed_lines(results),
        f"* Total bench time: {_f(results['bench_s'], 0)} s; 1-minute load average "
        f"{_f(results.get('load_start'))} at the start, {_f(results.get('load_end'))} at the "
        f"end (above {mc['nproc']}: other processes shared the CPUs and the times are "
        "inflated)",
        "",
        "## Issue #7 targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        *[f"| {a} | {b} | {c} |" for a, b, c in targets(results)],
        "",
    ]
    for size, r in results["sizes"].items():
        gen = "cached" if r["generate_s"] is None else f"{_f(r['generate_s'], 1)} s"
        lines += [
            f"## Province {size} (generator size {r['generator_size']!r})",
            "",
            f"{r['cadres']} evaluated cadres, {r['units_with_dossier']} unit dossiers, "
            f"{r['files_generated']} files; generation {gen} (not part of the cycle).",
            "",
            "| stage | s (median) | runs | notes | peak RSS self / children MiB | load after |",
            "|---|---:|---|---|---|---:|",
        ]
        for name, st in r["stages"].items():
            runs = ", ".join(_f(x) for x in st["runs"])
            lines.append(
                f"| {STAGE_LABELS.get(name, name)} | {_f(st['s'])} | {runs} | "
                f"{_stage_note(name, st)} | {_f(st['peak_mib']['self'], 0)} / "
                f"{_f(st['peak_mib']['children'], 0)} | {_f(st.get('load1'))} |"
            )
        extra = ""
        if r["cycle_total_extrapolated"]:
            extra = (
                f" — **extrapolated**: {r['render_sample']} of {r['cadres']} cadre dossiers "
                f"and {r['stages']['render_all_w2']['units']} of {r['units_with_dossier']} "
                "unit dossiers were rendered (with the summary); the render time is scaled by "
                "the jobs' weights"
            )
        lines += [
            "",
            f"* **Whole cycle (sum of stages, 2 render workers): "
            f"{_f(r['cycle_total_s'], 1)} s**{extra}",
            f"* 2 workers ÷ 1 worker speed-up: {_f(r['speedup_2_workers'])}×"
            + _rounds(r.get("speedup_2_workers_rounds")),
        ]
        if "pipeline_over_floor" in r:
            lines.append(
                f"* Render pipeline (1 worker) ÷ floor, per dossier: {_f(r['pipeline_over_floor'])}"
                + _rounds(r.get("pipeline_over_floor_rounds"))
            )
        inc = r["incremental"]
        if "error" in inc:
            lines.append(f"* Incremental re-run **failed**: {inc['error']}")
        else:
            lines += _incremental_lines(inc)
        flow = r.get("flow")
        if flow:
            if "error" in flow:
                lines.append(f"* Prefect flow: **failed** after {_f(flow['wall_s'], 1)} s:")
                lines += ["", "```", flow["error"], "```"]
            else:
                n_runs = len(flow.get("flow_s_runs", [flow["flow_s"]]))
                lines.append(
                    f"* **Prefect flow `annual_cycle({CYCLE})` with the local API up: "
                    f"{_f(flow['flow_s'], 1)} s** (median of {n_runs}: "
                    + ", ".join(_f(x, 1) for x in flow.get("flow_s_runs", [flow["flow_s"]]))
                    + f"); from a cold start (new process: imports {_f(flow['import_s'], 1)} s, "
                    f"API start {_f(flow['api_start_s'], 1)} s) {_f(flow['wall_s'], 1)} s wall; "
                    f"{flow['files']} files, cadre dossiers "
                    f"{flow['dossiers']['rendered']}, unit dossiers "
                    f"{flow['unit_dossiers']['rendered']}; peak RSS "
                    f"{_f(flow['peak_rss_mib'], 0)} MiB (children "
                    f"{_f(flow['peak_rss_children_mib'], 0)} MiB)"
                )
                lines += _flow_runs(flow.get("runs", {}))
        lines.append("")
    lsize = results.get("L")
    if lsize:
        gen = "cached" if lsize.get("generate_s") is None else f"{_f(lsize['generate_s'], 1)} s"
        lines += [
            "## Province L (generator size 'L', CSV files)",
            "",
            f"{lsize['cadres_generated']:,} evaluated cadres, {lsize['files_generated']:,} "
            f"files; generation {gen} (not part of the cycle). {lsize.get('runs', 1)} run(s), "
            "each in a process of its own on a fresh copy of the inbox and an empty warehouse; "
            "times are medians (every run's beside it); peak RSS is that process's plus its "
            "helper process's (keeping and reading files), the highest of the runs.",
            "",
        ]
        if "error" in lsize:
            lines += ["```", lsize["error"], "```", ""]
        else:
            lines += [
                "| stage | s (median) | runs | notes | peak RSS MiB after |",
                "|---|---:|---|---|---:|",
                f"| collect (read, validate, load) | {_f(lsize['collect_s'], 1)} | "
                f"{_runs(lsize, 'collect_s')} | "
                f"{lsize['files']:,} files ({lsize['loaded']:,} loaded, "
                f"{lsize['quarantined']} quarantined), {lsize['rows']:,} rows; "
                f"{_f(lsize['files_per_s'], 0)} files/s, {_f(lsize['rows_per_s'], 0)} rows/s | "
                f"{_f(lsize['peak_mib_after_collect'], 0)} |",
                f"| build_scores (SQL marts + classify) | {_f(lsize['build_scores_s'], 1)} | "
                f"{_runs(lsize, 'build_scores_s')} | {lsize['cadre_levels']:,} cadre levels | "
                f"{_f(lsize['peak_mib_after_scores'], 0)} |",
                f"| quarantine + feedback files | {_f(lsize['intake_reports_s'], 1)} | "
                f"{_runs(lsize, 'intake_reports_s')} | {lsize['files_written']:,} files "
                "written (not in the target's reading) | |",
                f"| build_completeness | {_f(lsize['completeness_s'], 1)} | "
                f"{_runs(lsize, 'completeness_s')} | | |",
                "",
                f"* **Intake, validation, scoring and classification: "
                f"{_f(lsize['cycle_s'], 1)} s** (median; runs {_runs(lsize, 'cycle_s')}); "
                f"**peak RSS {_f(_l_peak(lsize), 0)} MiB** (the pass "
                f"{_f(lsize['peak_rss_mib'], 0)} MiB + its helper process "
                f"{_f(lsize.get('peak_rss_children_mib'), 0)} MiB; runs "
                f"{_runs(lsize, 'pass_peak_mib', 0)}).",
                "* Not run at L: contexts, rendering 100,000 dossiers, the summary, the flow.",
                "",
            ]
    return "\n".join(lines)


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the annual cycle (issue #7).")
    parser.add_argument(
        "--sizes",
        default=os.environ.get("BENCH_SIZES", "S,M"),
        help="comma-separated sizes among S, M (default S,M or $BENCH_SIZES; '' for none)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of the cheap stages")
    parser.add_argument(
        "--m-render-sample",
        type=int,
        default=100,
        help="cadre dossiers rendered on M (0: all); unit dossiers: a quarter as many",
    )
    parser.add_argument("--no-flow", action="store_true", help="skip the Prefect flow runs")
    parser.add_argument("--flow-repeat", type=int, default=3, help="flow runs on S (median)")
    parser.add_argument(
        "--m-flow-repeat", type=int, default=3, help="flow runs on M (each ~10 min; 0: none)"
    )
    parser.add_argument("--no-l", action="store_true", help="skip province L (own process)")
    parser.add_argument(
        "--l-repeat", type=int, default=3, help="runs of province L (each ~4 min; median)"
    )
    parser.add_argument(
        "--render-repeat", type=int, default=5, help="runs of each render stage on S (median)"
    )
    parser.add_argument(
        "--m-render-repeat", type=int, default=3, help="runs of each render stage on M (median)"
    )
    args = parser.parse_args(argv)
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in ("S", "M")]  # L has a run of its own (--no-l)
    if unknown:
        parser.error(f"unknown size(s) {unknown}; choose among S, M (L: see --no-l)")

    started = dt.datetime.now(dt.UTC)
    settings = get_settings()
    config = load_cycle_config(settings.cycle_config_path(CYCLE))
    results: dict[str, Any] = {
        "started": started.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "machine": machine(),
        "repeat": args.repeat,
        "render_repeat": args.render_repeat,
        "m_render_repeat": args.m_render_repeat,
        "flow_repeat": 0 if args.no_flow else args.flow_repeat,
        "m_flow_repeat": 0 if args.no_flow else args.m_flow_repeat,
        "l_repeat": 0 if args.no_l else args.l_repeat,
        "targets": TARGETS,
        "sizes": {},
        "load_start": load1(),
    }
    log("machine speed: reference workloads")
    results["speed_start"] = machine_speed()
    results["speed_before"] = {}
    cpu_start = cpu_times()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="danhgia-bench-") as tmp:
        for size in sizes:
            if size != sizes[0]:
                log(f"machine speed before {size}")
                results["speed_before"][size] = machine_speed()
            sample = None if size == "S" or args.m_render_sample == 0 else args.m_render_sample
            results["sizes"][size] = bench_size(
                size,
                config,
                Path(tmp),
                args.repeat,
                render_sample=sample,
                with_floor=size == "S",
                flow_repeat=0
                if args.no_flow
                else (args.flow_repeat if size == "S" else args.m_flow_repeat),
                render_repeat=args.render_repeat if size == "S" else args.m_render_repeat,
            )
            write_results(results, started, partial=True)
    if not args.no_l:
        if sizes:
            log("machine speed before L")
            results["speed_before"]["L"] = machine_speed()
        log("L: collect and build_scores on 100,000 cadres (own process)")
        with tempfile.TemporaryDirectory(prefix="danhgia-bench-l-") as tmp:
            results["L"] = run_l(config, Path(tmp), args.l_repeat)
    results["bench_s"] = time.perf_counter() - start
    results["load_end"] = load1()
    results["steal_share"] = steal_share(cpu_start, cpu_times())
    results["speed_end"] = machine_speed()

    report = write_results(results, started, partial=False)
    print(report)
    return 0


def write_results(results: dict[str, Any], started: dt.datetime, partial: bool) -> str:
    """The JSON and the report; after each size too, so that a failure loses nothing."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    results.setdefault("bench_s", None)
    report = markdown(results)
    if partial:
        report = "**Partial: the bench is still running or stopped early.**\n\n" + report
    (RESULTS_DIR / f"{stamp}.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    (RESULTS_DIR / f"{stamp}.md").write_text(report, encoding="utf-8")
    (RESULTS_DIR / "latest.md").write_text(report, encoding="utf-8")
    log(f"written {RESULTS_DIR / stamp}.json, .md and latest.md")
    return report


if __name__ == "__main__":
    raise SystemExit(main())
