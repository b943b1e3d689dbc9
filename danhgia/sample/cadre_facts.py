"""Synthetic classification inputs at any size: the one-row-per-cadre frame the rules engine
reads, without generating and collecting the files behind it (national scale: 100,000)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from danhgia.kinds import LEVELS


def synthetic_cadre_facts(n: int, seed: int = 2025) -> pd.DataFrame:
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
