"""What every request of one server process shares: the compiled checklists and the slots."""

from __future__ import annotations

import attrs

from qcompliance.loading.catalog import ChecklistSet
from qcompliance.server.config import ServerConfig
from qcompliance.server.limits import Slots

__all__ = ["State"]


@attrs.frozen
class State:
    """Checklists compiled once at start, read by every request; never changed after."""

    config: ServerConfig
    checklists: ChecklistSet
    slots: Slots
