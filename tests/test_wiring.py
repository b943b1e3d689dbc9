"""Every piece the project names exists and loads: deployments, schemas, templates, SQL."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
import yaml

from danhgia.kinds import KINDS
from danhgia.render import make_environment
from danhgia.settings import PROJECT_ROOT
from danhgia.warehouse import SQL_DIR, connect
from schemas import SCHEMAS

PREFECT_YAML = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("deployment", PREFECT_YAML["deployments"], ids=lambda d: d["name"])
def test_every_deployment_entrypoint_loads(deployment: dict) -> None:
    path, name = deployment["entrypoint"].split(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    flow = getattr(module, name)
    assert hasattr(flow, "fn"), f"{name} is not a Prefect flow"
    for schedule in deployment["schedules"]:
        assert schedule["timezone"] == "Asia/Ho_Chi_Minh"


def test_one_schema_per_kind() -> None:
    assert set(SCHEMAS) == set(KINDS)
    for code, schema in SCHEMAS.items():
        columns = set(schema.to_schema().columns)
        assert columns == set(KINDS[code].column_names), code


@pytest.mark.parametrize("template", sorted((PROJECT_ROOT / "report_templates").glob("*.j2")))
def test_every_template_compiles(template: Path) -> None:
    env = make_environment(template.parent)
    assert isinstance(env.get_template(template.name), jinja2.Template)


def test_every_sql_file_is_used_somewhere() -> None:
    code = "\n".join(
        p.read_text(encoding="utf-8")
        for folder in ("danhgia", "tasks", "flows")
        for p in (PROJECT_ROOT / folder).rglob("*.py")
    )
    for sql in SQL_DIR.rglob("*.sql"):
        name = str(sql.relative_to(SQL_DIR).with_suffix(""))
        assert f'"{name}"' in code or f'"{Path(name).name}"' in code, name


def test_fresh_warehouse_has_a_table_and_view_per_kind(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb")
    names = {
        r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
    }
    con.close()
    for code in KINDS:
        assert f"raw_{code}" in names and f"cur_{code}" in names


def test_a_render_worker_loads_none_of_the_warehouse_libraries() -> None:
    """A worker process imports the rendering flow's module to run a batch (the task and its
    flow travel by reference): pandas, DuckDB, pandera and openpyxl would cost each worker
    seconds before its first PDF."""
    probe = (
        "import sys, tasks.reports, danhgia.publish\n"
        "print(','.join(m for m in ('pandas', 'duckdb', 'pandera', 'openpyxl') "
        "if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == "", f"a render worker would import {loaded}"
