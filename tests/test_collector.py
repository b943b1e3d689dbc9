"""The garbage-collector settings of heavy passes are undone when the pass ends."""

from __future__ import annotations

import gc

import pytest

from danhgia.collector import lean_cyclic_gc, no_cyclic_gc


def test_lean_collector_freezes_and_raises_threshold_only_inside_the_pass() -> None:
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    with lean_cyclic_gc(50_000):
        assert gc.get_threshold()[0] == 50_000
        assert gc.get_freeze_count() > 0  # the heap alive at the start is out of sight
        assert gc.isenabled()  # layout garbage has cycles: the collector still runs
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_lean_collector_still_frees_cycles_made_inside_the_pass() -> None:
    class Box:
        pass

    with lean_cyclic_gc(50_000):
        parent, child = Box(), Box()
        parent.child, child.parent = child, parent
        alive = len(gc.get_objects())
        del parent, child
        gc.collect()
        assert len(gc.get_objects()) < alive


def test_lean_collector_zero_leaves_the_collector_alone() -> None:
    before = gc.get_threshold()
    with lean_cyclic_gc(0):
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() == 0


def test_settings_restored_when_the_pass_fails() -> None:
    before, enabled = gc.get_threshold(), gc.isenabled()
    with pytest.raises(RuntimeError), lean_cyclic_gc(10_000):
        raise RuntimeError("a dossier failed")
    with pytest.raises(RuntimeError), no_cyclic_gc():
        raise RuntimeError("a file failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert gc.isenabled() == enabled
