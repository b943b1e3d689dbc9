"""Rendering tasks: plan which dossiers changed, render them in batches on the task runner
(local processes or Dask, see tasks/runners.py), then prune and index. Every dossier is a
draft until the standing board approves the cycle.

A worker process imports this module to run a batch: at module level it imports only what a
batch needs (``tests/test_wiring.py`` checks that pandas, DuckDB and pandera stay out)."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger
from prefect.utilities.annotations import quote

from danhgia.publish import Batch, CyclePlan, chunk_jobs, finish_cycle, render_batch
from danhgia.settings import get_settings
from tasks.common import RENDER_TIMEOUT, settings_and_config


@task(name="lap-danh-sach-ho-so", cache_policy=NO_CACHE, persist_result=False)
def plan_rendering(cycle: int | None = None) -> CyclePlan:
    # Imported here, not above: every worker process that renders a batch imports this
    # module (the batch's task and the flow it belongs to are sent to it by reference) and
    # needs none of the warehouse's libraries, which cost each worker seconds to load.
    from danhgia.cycle_plan import plan_from_warehouse

    return plan_from_warehouse(*settings_and_config(cycle))


@task(
    name="dung-lo-ho-so",
    retries=1,
    retry_delay_seconds=5,
    timeout_seconds=RENDER_TIMEOUT,
    cache_policy=NO_CACHE,
    persist_result=False,
)
def render_chunk(batch: Batch, templates_dir: str) -> int:
    return render_batch(batch.jobs, Path(templates_dir))


@task(name="cong-bo-ho-so", cache_policy=NO_CACHE, persist_result=False)
def publish_rendering(plan: CyclePlan, cycle: int | None = None) -> dict:
    result = finish_cycle(plan, cycle)
    logger = get_run_logger()
    for what, key in (("Cadre dossiers", "dossiers"), ("Unit dossiers", "unit_dossiers")):
        counts = result[key]
        logger.info(
            "%s: %d in all, %d rendered, %d unchanged",
            what,
            counts["dossiers"],
            counts["rendered"],
            counts["kept"],
        )
    logger.info("Board summary: %s", "rendered" if plan.summary_jobs else "unchanged")
    return result


@flow(name="dung-ho-so", log_prints=True)
def render_cycle(cycle: int | None = None) -> dict:
    """Batches go to the flow's task runner heaviest first; a failed batch fails the flow
    after the others finish, and the next run renders only what is still missing.

    The batches travel as ``Batch`` values and the plan ``quote``d: Prefect would otherwise
    walk every value of every dossier's context, several times per task run, looking for
    futures (more than a second per walk on a province of a few hundred cadres)."""
    plan = plan_rendering(cycle)
    chunks = chunk_jobs(plan.jobs, get_settings().render_workers)
    futures = [render_chunk.submit(Batch(chunk), str(plan.templates_dir)) for chunk in chunks]
    for future in futures:
        future.wait()
    rendered = sum(future.result() for future in futures)
    get_run_logger().info("Rendered %d PDFs in %d batches", rendered, len(chunks))
    return publish_rendering(quote(plan), cycle)
