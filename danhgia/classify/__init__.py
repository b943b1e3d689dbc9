"""The classification engine: pure functions over pandas frames (no I/O, no orchestration).

Levels are ordered HTXSNV > HTTNV > HTNV > KHTNV (``danhgia.kinds.LEVELS``). Totals are computed
upstream (SQL); every number the rules use comes from the cycle's ``CycleConfig``.

* ``classify_collectives`` — units first (QĐ 124-QĐ/TW art. 11);
* ``classify_cadres`` — then their heads and the other evaluated cadres;
* ``replay`` — the level an explanation trail leads to, to check it against ``final_level``.

Both classifiers return ``(levels, explanations)``; explanations have the columns
``EXPLANATION_COLUMNS``: one row per step that changed a subject's level (plus the first row,
always written), with a Vietnamese reason carrying the numbers and the rule it applies.
"""

from danhgia.classify._trail import EXPLANATION_COLUMNS, replay
from danhgia.classify.cadres import CADRE_COLUMNS, classify_cadres
from danhgia.classify.collectives import UNIT_COLUMNS, classify_collectives

#: The ``step`` codes of the explanation rows, in the order the steps run.
COLLECTIVE_STEPS = ("proposed", "completion")
CADRE_STEPS = ("points", "top_condition", "not_completed", "time_in_post", "unit_cap", "quota")

__all__ = [
    "CADRE_COLUMNS",
    "CADRE_STEPS",
    "COLLECTIVE_STEPS",
    "EXPLANATION_COLUMNS",
    "UNIT_COLUMNS",
    "classify_cadres",
    "classify_collectives",
    "replay",
]
