"""Recent self-check interviews, so that the browser's next step goes on from the last one.

The server keeps no session: every step sends all answers so far and the interview is replayed
from the first question. Replaying is deterministic (the question asked next depends only on
the answers taken before it), so a replay that took answers ``a1 … an`` in that order reaches
the same state whenever a request carries the same ``a1 … an``. :class:`ReplayCache` keeps a
copy of the last few such states per self-check (same catalogue, language, day, mode and
starting profile) and hands a copy back when every answer it took is still given unchanged;
the replay then goes on from there. Without it, each step of a 175-question self-check costs
the whole interview again (quadratic in its length). A miss only costs the full replay.

The cache lives in the server process's memory (never on disk), holds at most
``keys × per_key`` interviews, and drops the least recently used self-check first.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence

import attrs

from qcompliance.loading.catalog import ChecklistSet
from qcompliance.selfcheck import Interview

__all__ = ["Consumed", "ReplayCache"]

Consumed = tuple[tuple[str, object], ...]
"""The answers a replay took, as (answer id, answer as sent), in the order it took them."""


def fork(interview: Interview) -> Interview:
    """A copy that shares the catalogue but nothing that answering changes."""
    shared = interview.checklists
    return copy.deepcopy(interview, {id(shared): shared, id(shared.facts): shared.facts})


@attrs.frozen
class _Snapshot:
    consumed: Consumed
    interview: Interview
    extra: object


@attrs.define
class ReplayCache:
    """The last ``per_key`` replay states of the last ``keys`` self-checks; thread-safe."""

    keys: int = 64
    per_key: int = 4
    _entries: OrderedDict[Hashable, tuple[ChecklistSet, list[_Snapshot]]] = attrs.field(
        factory=OrderedDict, init=False)
    _lock: threading.Lock = attrs.field(factory=threading.Lock, init=False)

    def resume(self, checklists: ChecklistSet, key: Hashable, answers: Mapping[str, object]
               ) -> tuple[Interview, Consumed, object] | None:
        """A copy of the furthest kept state whose every answer ``answers`` still gives
        unchanged, with the answers it took and what was kept beside it; else None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or not _same(entry[0], checklists):
                return None
            self._entries.move_to_end(key)
            usable = [s for s in entry[1] if _still_given(s.consumed, answers)]
        if not usable:
            return None
        best = max(usable, key=lambda s: len(s.consumed))
        return fork(best.interview), best.consumed, best.extra

    def keep(self, checklists: ChecklistSet, key: Hashable, consumed: Sequence[tuple[str, object]],
             interview: Interview, extra: object = None) -> None:
        """Keep a copy of ``interview`` as it stands after taking ``consumed``."""
        snapshot = _Snapshot(tuple(consumed), fork(interview), extra)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or not _same(entry[0], checklists):
                entry = (checklists, [])
                self._entries[key] = entry
            snapshots = [s for s in entry[1] if s.consumed != snapshot.consumed]
            snapshots.append(snapshot)
            entry[1][:] = snapshots[-self.per_key:]
            self._entries.move_to_end(key)
            while len(self._entries) > self.keys:
                self._entries.popitem(last=False)


def _same(kept: ChecklistSet, given: ChecklistSet) -> bool:
    """Whether two catalogues are the same objects: the server builds a new set per request
    for a chosen few checklists, from the same compiled checklists and facts."""
    if kept is given:
        return True
    return all(  # what the set is made of; what it derives itself (init=False) follows
        len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))
        if field.name == "compiled" else a is b
        for field in attrs.fields(ChecklistSet) if field.init
        for a, b in [(getattr(kept, field.name), getattr(given, field.name))])


def _still_given(consumed: Consumed, answers: Mapping[str, object]) -> bool:
    missing = object()
    return all(answers.get(answer_id, missing) == given for answer_id, given in consumed)
