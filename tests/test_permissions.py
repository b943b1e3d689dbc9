"""Who may see what: everything a run writes is readable by its owner (and the configured
group) only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from danhgia.prefect_env import private_umask


@pytest.mark.parametrize(("share", "mode"), [(False, 0o077), (True, 0o027)])
def test_private_umask(share: bool, mode: int) -> None:
    assert private_umask(share) == mode


@pytest.mark.slow
@pytest.mark.parametrize("share", [False, True])
def test_outputs_are_not_world_readable(tmp_path, share: bool) -> None:
    data = tmp_path / "data"
    env = {
        **os.environ,
        "DANHGIA_DATA_DIR": str(data),
        "DANHGIA_SHARE_WITH_GROUP": "true" if share else "false",
    }
    # the sample, then a collection without Prefect: every file it writes is checked
    code = (
        "from danhgia.prefect_env import apply_defaults; apply_defaults()\n"
        "from pathlib import Path\n"
        "from danhgia.cycle_config import load_cycle_config\n"
        "from danhgia.intake.collect import collect\n"
        "from danhgia.intake.quarantine import quarantine\n"
        "from danhgia.intake.storage import LocalStore\n"
        "from danhgia.sample.generator import generate_province\n"
        "from danhgia.warehouse import open_warehouse\n"
        f"root = Path({str(data)!r})\n"
        "config = load_cycle_config(Path('cycles/2025.yaml'))\n"
        "generate_province(root, config, size='small')\n"
        "store = LocalStore(root / 'store')\n"
        "with open_warehouse(root / 'warehouse.duckdb') as con:\n"
        "    for o in collect(con, root / 'inbox', store, config):\n"
        "        if o.status == 'quarantined':\n"
        "            quarantine(o, store.path_of(o.stored), root / 'quarantine', 2025)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=300)
    written = [p for p in data.rglob("*")]
    assert any(p.suffix == ".duckdb" for p in written)
    assert any("quarantine" in p.parts for p in written)
    for path in [data, *written]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o007 == 0, f"{path}: {oct(mode)}"
        if not share:
            assert mode & 0o070 == 0, f"{path}: {oct(mode)}"
