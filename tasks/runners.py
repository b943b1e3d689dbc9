"""Where the dossiers are rendered: the task runner of the rendering flow is a setting.

``processes`` (the default) renders on this machine's cores; ``dask`` sends the batches to a
Dask cluster (``DANHGIA_DASK_ADDRESS``) or, without an address, to a local cluster of
``DANHGIA_RENDER_WORKERS`` single-threaded worker processes. Rendering is CPU-bound, so
threads would not help and are not offered."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner

from danhgia.publish import warm_worker
from danhgia.settings import Settings


def render_task_runner(settings: Settings) -> TaskRunner:
    workers = max(1, settings.render_workers)
    if settings.task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address)
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True}
        )
    return ProcessPoolTaskRunner(
        max_workers=workers, initializer=warm_worker, initargs=(str(settings.templates_dir),)
    )


@contextmanager
def api_for_workers() -> Iterator[None]:
    """Worker processes report to the API this process uses. With Prefect's local API
    started on demand there is no URL in the settings, and each worker would start an API
    of its own (seconds each, and runs the board never sees): name the running one."""
    if PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the one this process started (one per process)
    if server.server_process is None:
        server.start()
    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        yield
