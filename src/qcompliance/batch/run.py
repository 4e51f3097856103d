"""Run a batch: entries in, outcomes out in input order, serially or on any executor.

Entries are cut into chunks (the unit of work a worker receives); at most ``window`` chunks are
in flight at a time, so however long the input, memory holds a bounded number of companies.
Outcomes reach the ``sink`` in input order whatever order the workers finish in.

This is :func:`qcompliance.engine.many.evaluate_many`'s scheme with another unit of work: raw
entries, not loaded profiles. Loading is about as costly as evaluating (docs/performance.md),
so a batch loads in the workers; with ``evaluate_many`` the driver would load every company
itself and be the bottleneck of any pool or cluster (and the rows of companies that fail to
load would have to be threaded back into the order).
"""

from __future__ import annotations

import collections
import contextlib
import gc
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from itertools import islice

import attrs

from qcompliance.batch.sources import Entry
from qcompliance.batch.work import Job, Outcome, evaluate_chunk

__all__ = ["BatchStats", "batch_collector", "chunks", "process_pool", "run_batch"]

EXIT_OK = 0
"""Every company loaded and none fails at the ``--fail-on`` level."""
EXIT_FAILURES = 1
"""Every company loaded; at least one fails at the ``--fail-on`` level."""
EXIT_LOAD_ERRORS = 4
"""At least one company could not be loaded (its row carries the error). Exit code 2 stays what
it is everywhere in qcheck: the batch itself could not run (bad INPUT, bad option)."""


@attrs.define
class BatchStats:
    """Counts of a finished batch and its exit code."""

    companies: int = 0
    load_errors: int = 0
    blocking: int = 0

    def add(self, outcome: Outcome) -> None:
        """Count one outcome."""
        self.companies += 1
        self.load_errors += outcome.problem is not None
        self.blocking += outcome.blocking

    @property
    def exit_code(self) -> int:
        """4 when a company did not load, else 1 when one fails at the fail-on level, else 0."""
        if self.load_errors:
            return EXIT_LOAD_ERRORS
        return EXIT_FAILURES if self.blocking else EXIT_OK


def chunks(entries: Iterable[Entry], size: int) -> Iterator[list[Entry]]:
    """``entries`` in lists of ``size`` (the last may be shorter)."""
    iterator = iter(entries)
    while chunk := list(islice(iterator, size)):
        yield chunk


# A company allocates thousands of short-lived objects (its parsed line, facts, results) that
# reference counting frees; almost none are in cycles. With the default first threshold (700)
# the collector ran several times per company and took 15-20 % of a batch's CPU time
# (docs/performance.md). Collecting every 50,000 allocations keeps cycles bounded all the same.
_BATCH_THRESHOLDS = (50_000, 50, 100)


def _collect_seldom() -> None:
    gc.set_threshold(*_BATCH_THRESHOLDS)


@contextlib.contextmanager
def batch_collector() -> Iterator[None]:
    """While a batch runs in this process: what start-up loaded (the checklists and their
    generated code) is frozen out of the collector's full collections, and the collector runs
    seldom. Both are undone afterwards, for a program that goes on."""
    before = gc.get_threshold()
    gc.freeze()
    _collect_seldom()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def process_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of ``jobs`` worker processes started safely (forkserver where available: no fork
    of a process that already runs threads, such as the progress bar's); a worker only
    evaluates batches, so its collector runs seldom from the start."""
    methods = multiprocessing.get_all_start_methods()
    method = "forkserver" if "forkserver" in methods else "spawn"
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method),
                               initializer=_collect_seldom)


def run_batch(entries: Iterable[Entry], job: Job, sink: Callable[[Outcome], None], *,
              executor: Executor | None = None, chunk_size: int = 100,
              window: int = 8) -> BatchStats:
    """Evaluate every entry and hand each outcome to ``sink`` in input order.

    With ``executor`` (a process pool, a Dask ``Client.get_executor()``, any
    :class:`concurrent.futures.Executor`), chunks run there, ``window`` at a time; without it
    they run here.
    """
    stats = BatchStats()

    def deliver(outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            stats.add(outcome)
            sink(outcome)

    if executor is None:
        for chunk in chunks(entries, chunk_size):
            deliver(evaluate_chunk(job, chunk))
        return stats
    pending: collections.deque[Future[list[Outcome]]] = collections.deque()
    try:
        for chunk in chunks(entries, chunk_size):
            pending.append(executor.submit(evaluate_chunk, job, chunk))
            if len(pending) >= window:
                deliver(pending.popleft().result())
        while pending:
            deliver(pending.popleft().result())
    finally:
        for future in pending:
            future.cancel()
    return stats
