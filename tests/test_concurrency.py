"""Two runs at once: the second waits for the first, or gives up with a clear message;
nothing is loaded twice and the warehouse stays whole."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from danhgia.warehouse import WarehouseBusy, exclusive, open_warehouse
from tests.conftest import copy_province

COLLECT = (
    "from pathlib import Path; import sys\n"
    "from danhgia.cycle_config import load_cycle_config\n"
    "from danhgia.intake.collect import collect\n"
    "from danhgia.intake.storage import LocalStore\n"
    "from danhgia.warehouse import open_warehouse\n"
    "root = Path(sys.argv[1])\n"
    "config = load_cycle_config(Path('cycles/2025.yaml'))\n"
    "with open_warehouse(root / 'warehouse.duckdb') as con:\n"
    "    print(len(collect(con, root / 'inbox', LocalStore(root / 'store'), config)))\n"
)


def test_a_second_run_gives_up_with_a_clear_message(tmp_path) -> None:
    path = tmp_path / "warehouse.duckdb"
    with (
        exclusive(path),
        pytest.raises(WarehouseBusy, match="đang được một lần chạy khác"),
        exclusive(path, wait_seconds=0.5),
    ):
        pass


@pytest.mark.slow
def test_two_collections_started_together_load_each_file_once(small_inbox, tmp_path) -> None:
    root = copy_province(small_inbox, tmp_path / "data")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", COLLECT, str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-2000:] for _, err in results]
    counts = sorted(int(out.strip().splitlines()[-1]) for out, _ in results)
    files = sum(1 for p in (root / "inbox").rglob("*") if p.is_file())
    assert counts == [0, files]  # one run took every file, the other found nothing new
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute("select count(*), count(distinct file_hash) from submissions")
        total, distinct = rows.fetchall()[0]
        assert total == distinct == files
        loaded = con.execute("select count(*) from submissions where status = 'loaded'")
        assert loaded.fetchall()[0][0] > 0


def test_lock_is_released_when_the_block_ends(tmp_path) -> None:
    path = tmp_path / "warehouse.duckdb"
    with open_warehouse(path):
        pass
    with exclusive(path, wait_seconds=0):  # would raise WarehouseBusy if still held
        pass
