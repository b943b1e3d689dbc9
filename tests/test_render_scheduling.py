"""How rendering is shared out: batches start heaviest first and shrink towards the end, every
job lands in exactly one batch, and the board's summary is rendered again only when its
input or the templates change."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from danhgia import publish
from danhgia.publish import Job, chunk_jobs, plan_summary, render_summary
from tests.test_render import TEMPLATES, summary_context


def job(i: int, weight: float = 1.0) -> Job:
    return Job("t", Path(f"{i}.pdf"), f"job {i}", {"i": i}, weight)


def test_summary_and_collectives_start_first_and_batches_shrink() -> None:
    jobs = [job(i) for i in range(200)] + [job(1000 + i, 1.6) for i in range(30)]
    jobs.append(job(9999, 110.0))  # the summary of a large province
    chunks = chunk_jobs(jobs, workers=2)
    assert chunks[0] == [jobs[-1]]  # the summary alone, first
    weights = [sum(j.weight for j in c) for c in chunks]
    assert weights[1] > weights[-1]  # early batches are the big ones
    assert max(weights[1:]) <= (sum(weights) - weights[0]) / 6 + 1.6
    assert all(j.weight == 1.6 for j in chunks[1][:5])  # collectives before cadres


@given(
    weights=st.lists(st.floats(min_value=0.1, max_value=200), max_size=300),
    workers=st.integers(min_value=1, max_value=8),
)
def test_every_job_is_in_exactly_one_batch(weights: list[float], workers: int) -> None:
    jobs = [job(i, w) for i, w in enumerate(weights)]
    chunks = chunk_jobs(jobs, workers)
    flat = [j for c in chunks for j in c]
    assert sorted(j.out_path.name for j in flat) == sorted(j.out_path.name for j in jobs)
    assert all(chunks)  # no empty batch
    assert [j.weight for j in flat] == sorted((j.weight for j in jobs), reverse=True)


def test_summary_is_kept_while_its_input_is_unchanged(tmp_path: Path) -> None:
    context = summary_context()
    path = render_summary(context, tmp_path, TEMPLATES)
    first = hashlib.sha256(path.read_bytes()).hexdigest()
    mtime = path.stat().st_mtime_ns
    assert plan_summary(context, tmp_path, TEMPLATES) == []
    assert render_summary(context, tmp_path, TEMPLATES) == path
    assert path.stat().st_mtime_ns == mtime  # not written again
    changed = {**context, "cycle": context["cycle"] + 1}
    (job_,) = plan_summary(changed, tmp_path, TEMPLATES)
    assert job_.weight >= 1.0
    path.unlink()  # a missing PDF is rendered again even with its digest recorded
    assert len(plan_summary(context, tmp_path, TEMPLATES)) == 1
    render_summary(context, tmp_path, TEMPLATES)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == first


def test_summary_weight_grows_with_the_cadres_it_lists(tmp_path: Path) -> None:
    context = summary_context()
    many = {**context, "cadres": context["cadres"] * 2000}
    (small,) = plan_summary(context, tmp_path, TEMPLATES)
    (large,) = plan_summary(many, tmp_path, TEMPLATES)
    assert small.weight >= 1.0
    assert large.weight > 50 * small.weight / max(1, len(context["cadres"]))
    assert large.weight == publish.SUMMARY_WEIGHT_PER_CADRE * len(many["cadres"])


def test_a_killed_runs_temporary_pdf_is_removed_by_the_next_run(tmp_path: Path) -> None:
    leftover = tmp_path / ".bao-cao-tong-hop.pdf.4242.0badf00d.tmp"
    leftover.write_bytes(b"%PDF-1.7 half")
    other = tmp_path / "ghi-chu.tmp"  # not a PDF of ours: left alone
    other.write_text("x")
    render_summary(summary_context(), tmp_path, TEMPLATES)
    assert not leftover.exists()
    assert other.exists()


def test_a_batch_reaches_its_worker_without_prefect_walking_every_context() -> None:
    """Prefect looks for futures in every task parameter it can walk (lists, dicts,
    dataclasses), several times per task run: a batch must be one opaque value."""
    from prefect.utilities.collections import visit_collection

    from danhgia.publish import Batch

    contexts = [{"rows": [{"value": i} for i in range(50)]} for _ in range(10)]
    batch = Batch(Job("t", Path(f"{i}.pdf"), "", contexts[i]) for i in range(10))
    visited: list[object] = []
    visit_collection({"batch": batch}, visit_fn=visited.append, return_data=False)
    assert batch in visited
    assert len(visited) <= 3  # the dict, its key and value: nothing inside the batch
    walked: list[object] = []
    visit_collection({"jobs": list(batch.jobs)}, visit_fn=walked.append, return_data=False)
    assert len(walked) > 500  # what a plain list of jobs would cost
    assert len(batch) == 10
