"""The companies an impact evaluates, from a batch input (a folder of profiles, JSON Lines,
CSV or XLSX: the inputs of ``qcheck batch``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from qcompliance.batch.sources import Entry, open_source
from qcompliance.batch.work import load_entry
from qcompliance.impact.compare import PortfolioEntry
from qcompliance.model import FactSpec, Profile

__all__ = ["batch_portfolio"]


def _loader(entry: Entry) -> PortfolioEntry:
    def load(facts: Mapping[str, FactSpec]) -> Profile:
        return load_entry(entry, facts)

    return PortfolioEntry(entry.ident, load)


def batch_portfolio(path: str | Path, facts: Mapping[str, FactSpec]) -> list[PortfolioEntry]:
    """Every company of the batch input ``path`` (``facts`` reads CSV/XLSX headers)."""
    return [_loader(e) for e in open_source(path, facts).entries]
