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

import numpy as np
import pandas as pd

from danhgia.classify import classify_cadres
from danhgia.cycle_config import load_cycle_config
from danhgia.kinds import LEVELS
from danhgia.settings import get_settings


def synthetic_facts(n: int, seed: int = 2025) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    tasks = rng.integers(0, 20, n)
    return pd.DataFrame(
        {
            "cadre_code": [f"CB{i:06d}" for i in rng.permutation(n)],
            "group_code": rng.choice(["BT_HUYEN", "NDD_SO", "NDD_DOANTHE", "CAP_PHO"], n),
            "is_head": rng.random(n) < 0.5,
            "total": np.round(rng.uniform(40, 100, n), 1),
            "tasks_total": tasks,
            "tasks_on_time": tasks - (rng.random(n) < 0.1) * (tasks > 0),
            "tasks_exceeded": (tasks * rng.random(n)).astype(int),
            "discipline_measure": rng.choice(np.array([None, "Khiển trách"]), n, p=[0.98, 0.02]),
            "unit_level": rng.choice(np.array((*LEVELS, None), dtype=object), n),
            "unit_completion_rate": rng.uniform(0.6, 1.0, n),
            "subordinate_units": rng.integers(0, 10, n),
            "subordinate_khtnv": 0,
            "unit_leader_disciplined": rng.random(n) < 0.05,
            "low_confidence_share": rng.uniform(0, 0.6, n),
            "months_worked": rng.choice([12.0, 12.0, 12.0, 5.0], n),
            "months_off": rng.choice([0.0, 0.0, 4.0], n),
        }
    )


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
