"""A batch runs the garbage collector seldom, and gives the process back as it found it."""

from __future__ import annotations

import gc

from qcompliance.batch.run import batch_collector, process_pool


def test_the_collector_runs_seldom_during_a_batch_and_as_before_after_it() -> None:
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    with batch_collector():
        assert gc.get_threshold()[0] >= 10_000
        assert gc.get_freeze_count() > frozen
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_pool_worker_runs_its_collector_seldom() -> None:
    with process_pool(1) as pool:
        assert pool.submit(gc.get_threshold).result(timeout=120)[0] >= 10_000
