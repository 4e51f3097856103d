"""The companies an impact evaluates, from a workspace: each company's newest profile
(imported only when asked for: it needs the store extra)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from qcompliance.impact.compare import PortfolioEntry
from qcompliance.loading.load import load_profile, parse_document
from qcompliance.model import FactSpec, Profile
from qcompliance.store import ProfileVersion, Store

__all__ = ["stored_portfolio"]


def _loader(version: ProfileVersion) -> PortfolioEntry:
    def load(facts: Mapping[str, FactSpec]) -> Profile:
        doc = parse_document(version.text.encode("utf-8"),
                             f"<{version.uscc} profile v{version.version}>", version.format)
        return load_profile(doc, facts)

    return PortfolioEntry(version.uscc, load)


def stored_portfolio(store: Store, only: Sequence[str] | None = None) -> list[PortfolioEntry]:
    """The newest profile of every company in ``store`` (or of the companies ``only``)."""
    entries = []
    for uscc in only if only is not None else store.company_names():
        version = store.profile(uscc)
        if version is not None:
            entries.append(_loader(version))
    return entries
