"""qcompliance.lock: written and read back unchanged, whatever the strings hold."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from qcompliance.registry import LockEntry, LockFile, read_lock, write_lock

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


# No deadline: writing files on a loaded machine is slow, and timings are never asserted.
@settings(deadline=None, max_examples=50)
@given(st.lists(st.builds(LockEntry, TEXT, TEXT, TEXT, TEXT), max_size=4,
                unique_by=lambda e: e.name))
def test_lock_round_trip(entries: list[LockEntry]) -> None:
    """read_lock(write_lock(x)) == x for any strings, control characters and non-BMP ones
    included."""
    lock = LockFile()
    for entry in entries:
        lock = lock.with_pack(entry)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "qcompliance.lock"
        write_lock(lock, path)
        assert read_lock(path) == lock


def test_missing_lock_is_empty(tmp_path: Path) -> None:
    """A lock file that does not exist pins nothing."""
    assert read_lock(tmp_path / "none.lock") == LockFile()


def test_with_pack_replaces_same_name() -> None:
    """One pin per pack name, sorted by name."""
    lock = LockFile().with_pack(LockEntry("b", "1", "x", "u")).with_pack(
        LockEntry("a", "1", "x", "u")).with_pack(LockEntry("b", "2", "y", "u"))
    assert [(e.name, e.version) for e in lock.packs] == [("a", "1"), ("b", "2")]
