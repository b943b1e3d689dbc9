"""Size L (100,000 cadres) without the spreadsheets: ``classify_cadres`` on a synthetic
``cadre_facts`` frame, in a process of its own so that its peak memory is its own.

Prints one JSON object on its last line. The frame is built as in
``tests/test_classify.py::test_100k_cadres_classify_and_replay``.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time

import pandas as pd

from danhgia.classify import classify_cadres
from danhgia.cycle_config import load_cycle_config
from danhgia.sample.cadre_facts import synthetic_cadre_facts
from danhgia.settings import get_settings


def synthetic_facts(n: int, seed: int = 2025) -> pd.DataFrame:
    return synthetic_cadre_facts(n, seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cadres", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    settings = get_settings()
    config = load_cycle_config(settings.cycle_config_path(2025))
    start = time.perf_counter()
    frame = synthetic_facts(args.cadres)
    build_s = time.perf_counter() - start
    times, rows = [], (0, 0)
    for _ in range(args.repeat):
        start = time.perf_counter()
        levels, explanations = classify_cadres(frame, config)
        times.append(time.perf_counter() - start)
        rows = (len(levels), len(explanations))
        del levels, explanations
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "cadres": args.cadres,
                "frame_build_s": build_s,
                "classify_s": times,
                "classify_median_s": statistics.median(times),
                "levels_rows": rows[0],
                "explanation_rows": rows[1],
                "peak_rss_mib": peak_kib / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
