"""Evaluate many profiles, serially or on any :class:`concurrent.futures.Executor`.

Profiles go to the executor in chunks, at most ``window`` chunks in flight, and come back in
input order, so memory stays flat however long the input is. The checklist set pickles as its
sources and digests (see :mod:`qcompliance.loading.catalog`): each worker process loads it
once. Results cross the process boundary pickled, which writes every explanation; pass
``transform`` to turn each assessment into what you keep (a summary row, a compact document)
inside the worker instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future
from typing import Any, TypeVar, overload

import attrs

from qcompliance.engine.evaluate import assess
from qcompliance.engine.tailoring import Tailoring, apply_tailoring
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.model import Assessment, Profile, TailoringRecord, Waiver

__all__ = ["evaluate_many"]

T = TypeVar("T")


@attrs.frozen
class _Job:
    """What every chunk shares; pickled once per chunk (the set by reference to its files, the
    tailoring as data: each process applies it once)."""

    checklists: ChecklistSet
    tailoring: Tailoring | None
    day: dt.date
    waivers: tuple[Waiver, ...]
    skip_inapplicable: bool
    transform: Callable[[Assessment], Any] | None

    def run(self, profile: Profile) -> Any:
        checklists, deselected, record = _tailored(self.checklists, self.tailoring)
        assessment = assess(profile, checklists, self.day, waivers=self.waivers,
                            skip_inapplicable=self.skip_inapplicable,
                            deselected=deselected, record=record)
        return assessment if self.transform is None else self.transform(assessment)


_Tailored = tuple[ChecklistSet, Mapping[str, str], "TailoringRecord | None"]


def _tailored(checklists: ChecklistSet, tailoring: Tailoring | None) -> _Tailored:
    """``apply_tailoring`` once per set and tailoring in each process."""
    if tailoring is None:
        return checklists, {}, None
    key = "many.tailored." + hashlib.sha256(repr(tailoring).encode()).hexdigest()
    done: _Tailored | None = checklists.derived.get(key)
    if done is None:
        done = checklists.derived[key] = apply_tailoring(checklists, tailoring)
    return done


def _run_chunk(job: _Job, profiles: list[Profile]) -> list[Any]:
    return [job.run(p) for p in profiles]


@overload
def evaluate_many(profiles: Iterable[Profile], checklists: ChecklistSet, *,
                  as_of: dt.date | None = None, executor: Executor | None = None,
                  waivers: Iterable[Waiver] = (), skip_inapplicable: bool = True,
                  tailoring: Tailoring | None = None, transform: None = None,
                  chunksize: int = 64, window: int = 8) -> Iterator[Assessment]: ...
@overload
def evaluate_many(profiles: Iterable[Profile], checklists: ChecklistSet, *,
                  as_of: dt.date | None = None, executor: Executor | None = None,
                  waivers: Iterable[Waiver] = (), skip_inapplicable: bool = True,
                  tailoring: Tailoring | None = None,
                  transform: Callable[[Assessment], T],
                  chunksize: int = 64, window: int = 8) -> Iterator[T]: ...
def evaluate_many(profiles: Iterable[Profile], checklists: ChecklistSet, *,
                  as_of: dt.date | None = None, executor: Executor | None = None,
                  waivers: Iterable[Waiver] = (), skip_inapplicable: bool = True,
                  tailoring: Tailoring | None = None,
                  transform: Callable[[Assessment], T] | None = None,
                  chunksize: int = 64, window: int = 8) -> Iterator[Assessment] | Iterator[T]:
    """Evaluate each profile as :func:`qcompliance.evaluate` would; yield in input order.

    Serial in this process when ``executor`` is None; otherwise chunks of ``chunksize``
    profiles run on ``executor`` (a process or thread pool, or ``dask.distributed``'s
    ``Client.get_executor()``), at most ``window`` chunks at a time. A tailoring is applied once
    per process.
    With ``transform``, yields ``transform(assessment)`` (computed where the evaluation ran;
    for a process pool it must be picklable, e.g. a module-level function).
    Results equal those of a serial run. Lazy explanations (see
    :class:`~qcompliance.engine.evaluate.LazyResult`) stay lazy when serial; an assessment
    returned from another process arrives with its explanations written.
    """
    day = as_of or dt.date.today()
    _tailored(checklists, tailoring)  # a tailoring that does not fit fails here, not in a worker
    job = _Job(checklists, tailoring, day, tuple(waivers), skip_inapplicable, transform)
    if executor is None:
        return (job.run(p) for p in profiles)
    return _pooled(job, iter(profiles), executor, max(1, chunksize), max(1, window))


def _pooled(job: _Job, profiles: Iterator[Profile], executor: Executor, chunksize: int,
            window: int) -> Iterator[Any]:
    pending: deque[Future[list[Any]]] = deque()
    try:
        while True:
            while len(pending) < window:
                chunk = list(itertools.islice(profiles, chunksize))
                if not chunk:
                    break
                pending.append(executor.submit(_run_chunk, job, chunk))
            if not pending:
                return
            yield from pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
