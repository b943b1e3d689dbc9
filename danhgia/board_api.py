"""Answering the annual flow's pause from outside the Prefect UI (``danhgia approve``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

ANNUAL_FLOW = "chu-ky-danh-gia-nam"


class NoPausedRun(LookupError):
    """No annual run of that cycle is waiting for the board."""


def paused_annual_run(cycle: int) -> UUID:
    """The newest paused run of the annual flow for the cycle."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateName,
    )
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[ANNUAL_FLOW])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(name=FlowRunFilterStateName(any_=["Paused"]))
            ),
            sort=FlowRunSort.START_TIME_DESC,
        )
    for run in runs:
        if run.parameters.get("cycle") == cycle:
            return run.id
    raise NoPausedRun(cycle)


def answer(run_id: UUID, decision: str, notes: str, decided_by: str) -> None:
    from prefect.flow_runs import resume_flow_run

    run_input: dict[str, Any] = {"decision": decision, "notes": notes, "decided_by": decided_by}
    resume_flow_run(run_id, run_input=run_input)
