"""What the interview keeps track of between questions: the facts a condition still misses,
and a list of records being typed field by field."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from qcompliance.model import FactSpec, Text
from qcompliance.rules.compiler import Trace
from qcompliance.rules.conditions import Leaf

__all__ = ["RecordsBeingTyped", "missing_keys"]


def missing_keys(traces: Iterable[Trace]) -> Iterator[str]:
    """The facts that the leaves of a condition found missing, in order."""
    for trace in traces:
        if trace.status == "missing":
            node = trace.node
            yield node.fact if isinstance(node, Leaf) else node.records


@attrs.define
class RecordsBeingTyped:
    """A records fact being typed field by field: the records done and the one in hand."""

    key: str
    spec: FactSpec
    count: int
    section: Text | None
    number: int
    total: int
    done: list[dict[str, object]] = attrs.field(factory=list)
    current: dict[str, object] = attrs.field(factory=dict)
    field: int = 0
