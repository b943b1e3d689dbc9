"""Rendering runs on the task runner the settings name: local processes by default, a Dask
cluster when asked. Tested with a real two-worker local Dask cluster: the same dossiers,
byte for byte, as the local processes render."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.task_runners import ProcessPoolTaskRunner
from prefect_dask import DaskTaskRunner
from pypdf import PdfReader

from danhgia.intake.collect import collect
from danhgia.intake.storage import LocalStore
from danhgia.scoring import build_scores
from danhgia.settings import get_settings
from danhgia.warehouse import open_warehouse
from tasks.reports import render_cycle
from tasks.runners import api_for_workers, render_task_runner
from tests.conftest import DataDir, copy_province

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scored(small_inbox: Path, tmp_path_factory: pytest.TempPathFactory, config) -> Path:
    """A small province collected and scored, nothing rendered yet."""
    root = copy_province(small_inbox, tmp_path_factory.mktemp("scored") / "data")
    with open_warehouse(root / "warehouse.duckdb") as con:
        collect(con, root / "inbox", LocalStore(root / "store"), config)
        build_scores(con, config)
    return root


def render_with(runner_name: str, root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple:
    monkeypatch.setenv("DANHGIA_TASK_RUNNER", runner_name)
    with DataDir(root):
        runner = render_task_runner(get_settings())
        with api_for_workers():
            state = render_cycle.with_options(task_runner=runner)(2025, return_state=True)
    result = state.result()
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=[state.state_details.flow_run_id])
            )
        )
    batches = [r for r in runs if r.name.startswith("dung-lo-ho-so")]
    pdfs = {
        str(p.relative_to(root / "output")): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / "output").rglob("*.pdf"))
    }
    return runner, result, batches, pdfs


def test_default_runner_is_local_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DANHGIA_TASK_RUNNER", raising=False)
    monkeypatch.setenv("DANHGIA_RENDER_WORKERS", "3")
    runner = render_task_runner(get_settings())
    assert isinstance(runner, ProcessPoolTaskRunner)
    assert runner._max_workers == 3


def test_dask_address_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANHGIA_TASK_RUNNER", "dask")
    monkeypatch.setenv("DANHGIA_DASK_ADDRESS", "tcp://cluster.invalid:8786")
    runner = render_task_runner(get_settings())
    assert isinstance(runner, DaskTaskRunner)
    assert runner.address == "tcp://cluster.invalid:8786"


def test_two_worker_dask_cluster_renders_the_same_dossiers(
    prefect_harness, scored: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DANHGIA_RENDER_WORKERS", "2")
    monkeypatch.delenv("DANHGIA_DASK_ADDRESS", raising=False)
    local = render_with("processes", copy_province(scored, tmp_path / "local"), monkeypatch)
    dask = render_with("dask", copy_province(scored, tmp_path / "dask"), monkeypatch)

    runner, result, batches, pdfs = dask
    assert isinstance(runner, DaskTaskRunner)
    assert runner.cluster_kwargs == {"n_workers": 2, "threads_per_worker": 1, "processes": True}
    assert len(batches) >= 2 and all(b.state_name == "Completed" for b in batches)
    assert result["dossiers"]["rendered"] == result["dossiers"]["dossiers"] > 0
    assert result["unit_dossiers"]["rendered"] == result["unit_dossiers"]["dossiers"] > 0
    n = result["dossiers"]["dossiers"] + result["unit_dossiers"]["dossiers"] + 1
    assert len(pdfs) == n
    assert pdfs == local[3]  # byte for byte what local processes render
    summary = tmp_path / "dask" / "output" / "2025" / "bao-cao-tong-hop.pdf"
    assert "BÁO CÁO TỔNG HỢP" in PdfReader(summary).pages[0].extract_text()
