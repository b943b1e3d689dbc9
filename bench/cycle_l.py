"""Size L (about 100,000 evaluated cadres, 176,000 CSV files): intake, validation, scoring and
classification of the generated province, in a process of its own so that its peak memory
is its own (``ru_maxrss`` of this process: the inbox copy made before is in it too, but it
is small).

    .venv/bin/python -m bench.cycle_l SOURCE WORKDIR

SOURCE is the generated province (``bench/.cache/L-2025``), WORKDIR an empty folder for the
copy, the store and the warehouse. Prints one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import time
from pathlib import Path
from typing import Any

from danhgia.completeness import build_completeness
from danhgia.cycle_config import load_cycle_config
from danhgia.intake.collect import collect
from danhgia.intake.feedback import send_feedback, submission_facts
from danhgia.intake.quarantine import quarantine
from danhgia.intake.storage import LocalStore
from danhgia.scoring import build_scores
from danhgia.settings import get_settings
from danhgia.warehouse import connect

SETTLE_S = 30.0
LOGGED = "select count(*), coalesce(sum(n_rows), 0) from submissions"  # as bench.run counts


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def intake_reports(con, work: Path, outcomes: list, config) -> int:
    """What the collection task writes after ``collect``: each refused file's report, each
    unit's receipt or marked-up file (as ``bench.run.run_intake_reports``)."""
    store = LocalStore(work / "store")
    facts = submission_facts(con, [o.file_hash for o in outcomes])
    written = 0
    for o in outcomes:
        original = store.path_of(o.stored)
        if o.status == "quarantined":
            quarantine(o, original, work / "quarantine", config.cycle)
        written += len(send_feedback(o, original, work / "outbox", config, facts.get(o.file_hash)))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--cycle", type=int, default=2025)
    args = parser.parse_args()
    config = load_cycle_config(get_settings().cycle_config_path(args.cycle))
    shutil.rmtree(args.work, ignore_errors=True)
    start = time.perf_counter()
    shutil.copytree(args.source / "inbox", args.work / "inbox", copy_function=shutil.copy2)
    os.sync()  # the copy's 1.2 GB reach the disk now, not while collect writes the store
    time.sleep(SETTLE_S)  # and the file system settles after 175,000 files were created
    out: dict[str, Any] = {"copy_s": time.perf_counter() - start, "peak_mib_after_copy": peak_mib()}

    wall = time.perf_counter()
    con = connect(args.work / "warehouse.duckdb")
    start = time.perf_counter()
    outcomes = collect(con, args.work / "inbox", LocalStore(args.work / "store"), config)
    out["collect_s"] = time.perf_counter() - start
    out["peak_mib_after_collect"] = peak_mib()
    files, rows = con.execute(LOGGED).fetchone()
    out |= {
        "files": int(files),
        "rows": int(rows),
        "loaded": sum(o.status == "loaded" for o in outcomes),
        "quarantined": sum(o.status == "quarantined" for o in outcomes),
        "files_per_s": files / out["collect_s"],
        "rows_per_s": rows / out["collect_s"],
    }

    start = time.perf_counter()
    counts = build_scores(con, config)
    out["build_scores_s"] = time.perf_counter() - start
    out["cadre_levels"] = int(counts["cadre_levels"])
    out["peak_mib_after_scores"] = peak_mib()
    out["cycle_s"] = time.perf_counter() - wall  # intake, validation, scoring, classification

    start = time.perf_counter()
    out["files_written"] = intake_reports(con, args.work, outcomes, config)
    out["intake_reports_s"] = time.perf_counter() - start
    start = time.perf_counter()
    build_completeness(con, config)
    out["completeness_s"] = time.perf_counter() - start
    con.close()
    out["peak_rss_mib"] = peak_mib()
    out["peak_rss_children_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(out))


if __name__ == "__main__":
    main()
