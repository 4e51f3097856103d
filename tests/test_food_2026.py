"""The 2026 rules for bulk road transport of key liquid foods: the carrier's permit from
1 July 2026 (not for one's own food in one's own tanks) and a waybill for every load."""

from __future__ import annotations

import datetime as dt

import pytest

from qcompliance import Verdict, evaluate, load_checklists, load_profile

PERMIT = "cn-traceability.bulk-liquid-carrier-permit"
WAYBILL = "cn-traceability.bulk-liquid-waybill"


@pytest.fixture(scope="module")
def checklists() -> object:
    """The traceability checklist."""
    return load_checklists(["cn-traceability"])


def verdicts(checklists: object, day: dt.date, **food_safety: object) -> dict[str, Verdict]:
    """Verdicts of the two items for a food producer with these bulk-transport facts."""
    profile = load_profile({
        "schema": "qcompliance/profile/v1",
        "company": {"produces": True, "product_categories": ["food"]},
        "food_safety": food_safety,
    }, checklists.facts)  # type: ignore[attr-defined]
    results = evaluate(profile, checklists, day,  # type: ignore[arg-type]
                       skip_inapplicable=False).results
    return {r.item: r.verdict for r in results if r.item in (PERMIT, WAYBILL)}


def test_permit_required_of_carriers_from_july_2026(checklists: object) -> None:
    """A carrier for others without a permit: not yet due in June 2026, a gap from 1 July."""
    facts = {"bulk_liquid_road_roles": ["carrier"], "bulk_liquid_permit_held": False,
             "bulk_liquid_waybill_every_load": True}
    assert verdicts(checklists, dt.date(2026, 6, 30), **facts)[PERMIT] is Verdict.NOT_APPLICABLE
    assert verdicts(checklists, dt.date(2026, 7, 1), **facts)[PERMIT] is Verdict.FAIL
    held = {**facts, "bulk_liquid_permit_held": True}
    assert verdicts(checklists, dt.date(2026, 7, 1), **held)[PERMIT] is Verdict.PASS


def test_own_food_in_own_tanks_needs_no_permit_but_a_waybill(checklists: object) -> None:
    """Carrying one's own food in one's own tanks: no permit, yet the waybill for every load."""
    facts = {"bulk_liquid_road_roles": ["shipper", "own_carrier"],
             "bulk_liquid_checks_done": True, "bulk_liquid_waybill_every_load": False}
    found = verdicts(checklists, dt.date(2026, 12, 7), **facts)
    assert found[PERMIT] is Verdict.NOT_APPLICABLE
    assert found[WAYBILL] is Verdict.FAIL
    done = {**facts, "bulk_liquid_waybill_every_load": True}
    assert verdicts(checklists, dt.date(2026, 12, 7), **done)[WAYBILL] is Verdict.PASS


def test_unknown_role_leaves_both_items_unknown(checklists: object) -> None:
    """A food business that has not said its transport role has both items to answer."""
    found = verdicts(checklists, dt.date(2026, 12, 7))
    assert found == {PERMIT: Verdict.UNKNOWN, WAYBILL: Verdict.UNKNOWN}
