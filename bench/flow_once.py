"""The whole Prefect flow once, end to end, in a process of its own.

``bench.run`` starts this with ``PREFECT_HOME`` and ``DANHGIA_DATA_DIR`` pointing at
temporary folders. Prints one JSON object on its last line: the time to import the flow, the
time to start Prefect's local API, and the time of ``annual_cycle(cycle)`` itself with the API
up. In production the API is already up (``danhgia serve`` keeps it running and the schedule
starts the flow); ``danhgia run`` pays the start-up once per command, so both are reported.
"""

from __future__ import annotations

import json
import resource
import sys
import time


def prefect_runs(called_at: float) -> dict:
    """How long each flow and task run took, as Prefect recorded it (this PREFECT_HOME holds
    only this run), and how long after the call the first flow run started."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        flows = client.read_flow_runs()
        tasks = client.read_task_runs()
        names = {f.id: f.name for f in client.read_flows()}

    def seconds(run) -> float | None:
        if run.start_time is None or run.end_time is None:
            return None
        return (run.end_time - run.start_time).total_seconds()

    first = min((f.start_time for f in flows if f.start_time), default=None)
    return {
        "first_flow_start_after_call_s": None if first is None else first.timestamp() - called_at,
        "flows": sorted(
            ({"name": names.get(f.flow_id, f.name), "s": seconds(f)} for f in flows),
            key=lambda x: -(x["s"] or 0),
        ),
        "tasks": [
            {"name": t.name, "s": seconds(t)}
            for t in sorted(tasks, key=lambda t: t.start_time or t.expected_start_time)
        ],
    }


def main() -> None:
    cycle = int(sys.argv[1]) if len(sys.argv) > 1 else 2025
    start = time.perf_counter()
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.annual import annual_cycle

    imported = time.perf_counter()
    server = SubprocessASGIServer()
    server.start()
    api_up = time.perf_counter()
    called_at = time.time()
    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        result = annual_cycle(cycle)
        done = time.perf_counter()
        try:
            runs = prefect_runs(called_at)
        except Exception as exc:  # the breakdown is a bonus: never lose the main figure
            runs = {"error": repr(exc)}
    server.stop()
    print(
        json.dumps(
            {
                "import_s": imported - start,
                "api_start_s": api_up - imported,
                "flow_s": done - api_up,
                "dossiers": result["dossiers"],
                "unit_dossiers": result["unit_dossiers"],
                "files": len(result["intake"]),
                "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "peak_rss_children_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                / 1024,
                "runs": runs,
            },
            default=str,
        )
    )


if __name__ == "__main__":
    main()
