"""The fast profile decoder agrees with the checked path, and its digest is lazy but the same."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from qcompliance import Profile, load_checklists
from qcompliance.errors import QComplianceError
from qcompliance.loading.load import read_document
from qcompliance.loading.profile import (
    LazyDigestProfile,
    canonical_sha256,
    profile_from_document,
    profile_from_mapping,
)

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.toml") if p.name != "tailoring.toml")
FACTS = load_checklists().facts


def _checked(data: dict[str, Any]) -> Profile | QComplianceError:
    """What the checked path (bounds, then every fact with its line) makes of ``data``."""
    try:
        return profile_from_document(read_document(data, name="<m>"), FACTS)
    except QComplianceError as exc:
        return exc


def _data(path: Path) -> dict[str, Any]:
    return dict(read_document(path).data)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_takes_the_fast_path_and_gives_the_checked_profile(path: Path) -> None:
    """Each example loads through the fast path to a profile equal to the checked path's,
    fact by fact, and with the same canonical digest."""
    data = _data(path)
    fast = profile_from_mapping(data, FACTS, "<m>")
    assert isinstance(fast, LazyDigestProfile)
    checked = _checked(data)
    assert isinstance(checked, Profile)
    assert fast.facts == checked.facts
    assert list(fast.facts) == list(checked.facts)  # the same order
    assert fast.sha256 == checked.sha256 == canonical_sha256(data)
    assert fast == checked
    assert checked == fast


def test_lazy_digest_pickles_and_evolves_to_a_plain_profile() -> None:
    """A lazily digested profile pickles and evolves into a plain, equal Profile."""
    fast = profile_from_mapping(_data(EXAMPLES[0]), FACTS, "<m>")
    assert fast is not None
    back = pickle.loads(pickle.dumps(fast))
    assert type(back) is Profile
    assert back == fast
    changed = attrs.evolve(fast, origin="other")
    assert type(changed) is Profile
    assert changed.sha256 == fast.sha256


_BAD_VALUES = [1.5, float("inf"), 2**60, "x", "\ud800", True, None, [], {}, ["\ud800"],
               dt.date(1, 1, 1), "2026-02-30", {"value": 1, "evidence": "x"},
               {"value": True, "note": 1}, [{"date": "2026-01-01", "nope": 1}]]


@pytest.mark.parametrize("value", _BAD_VALUES, ids=repr)
def test_a_doubtful_value_goes_to_the_checked_path(value: object) -> None:
    """A value the fast path does not plainly accept is left to the checked path: whatever
    that path says (an error with its key, or a profile) is what loading gives."""
    base = _data(EXAMPLES[0])
    for key in ("company", "cqo"):
        if key not in base:
            continue
        for fact in list(base[key])[:4]:
            data = copy.deepcopy(base)
            data[key][fact] = value
            fast = profile_from_mapping(data, FACTS, "<m>")
            checked = _checked(data)
            if fast is not None:
                assert isinstance(checked, Profile), (fact, value, checked)
                assert fast == checked


_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12),
                  st.dates(), st.sampled_from(["small", "food", "2026-01-01", "yes"]))
_value = st.recursive(_leaf, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.sampled_from(["value", "evidence", "date", "ok",
                                                         "source", "x"]), inner, max_size=3),
                      max_leaves=8)


@given(st.data())
@settings(max_examples=150, deadline=None)
def test_fast_and_checked_paths_agree_on_any_change(data: st.DataObject) -> None:
    """Any fact of an example replaced by any value: the fast path either declines or gives
    exactly the checked path's profile (so every error comes from the checked path)."""
    base = _data(EXAMPLES[0])
    key = data.draw(st.sampled_from(sorted(FACTS)))
    node = base
    *groups, last = key.split(".")
    for group in groups:
        node = node.setdefault(group, {}) if isinstance(node.get(group, {}), dict) else {}
    node[last] = data.draw(_value)
    fast = profile_from_mapping(base, FACTS, "<m>")
    if fast is not None:
        checked = _checked(base)
        assert isinstance(checked, Profile), checked
        assert fast == checked
