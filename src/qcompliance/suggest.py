"""Did-you-mean suggestions for unknown names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["did_you_mean"]


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest candidate, or ``""`` when none is close."""
    pool = list(candidates)
    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    if not close:
        # A dotted key often differs in its last segment only: compare those too.
        tail = name.rsplit(".", 1)[-1]
        by_tail = {c.rsplit(".", 1)[-1]: c for c in pool}
        close = [by_tail[t] for t in difflib.get_close_matches(tail, list(by_tail), n=1)]
    return f"; did you mean '{close[0]}'?" if close else ""
