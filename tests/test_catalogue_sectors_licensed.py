"""Common duties by sector (issue 17, point 1), for licensed and registered products: cosmetics
and medical devices, special equipment users and producers, and production licences."""

# The fixtures imported from test_catalogue_sectors are named again as test parameters (F811).
# ruff: noqa: F811

from __future__ import annotations

import pytest
from test_catalogue_sectors import FAIL, NA, PASS, D, catalog, verdict  # noqa: F401

from qcompliance import ChecklistSet

# ---------------------------------------------------------------- cosmetics

def test_cosmetics_quality_safety_person(catalog: ChecklistSet) -> None:
    """Regulation art. 32: registrants and contract makers; five years' experience."""
    item = "cn-cosmetics.quality-safety-person"
    maker = {"company.product_categories": ["cosmetics"],
             "company.cosmetics_roles": ["contract_manufacturer"],
             "cosmetics.qs_person_appointed": True}
    assert verdict(catalog, {**maker, "cosmetics.qs_person_experience_years": 6}, item) is PASS
    assert verdict(catalog, {**maker, "cosmetics.qs_person_experience_years": 3}, item) is FAIL
    trader = {**maker, "company.cosmetics_roles": ["trader"],
              "cosmetics.qs_person_experience_years": 0}
    assert verdict(catalog, trader, item) is NA


def test_cosmetics_makers_and_traders_have_their_own_duties(catalog: ChecklistSet) -> None:
    """Arts. 31, 33, 34 bind registrants and contract makers; art. 38 binds traders."""
    maker = {"company.product_categories": ["cosmetics"], "company.cosmetics_roles": ["registrant"]}
    trader = {"company.product_categories": ["cosmetics"], "company.cosmetics_roles": ["trader"]}
    records = "cn-cosmetics.maker-records"
    ok = {"cosmetics.intake_sales_records": True, "cosmetics.records_retention_ok": True}
    assert verdict(catalog, {**maker, **ok}, records) is PASS
    assert verdict(catalog, {**maker, **ok, "cosmetics.records_retention_ok": False},
                   records) is FAIL
    assert verdict(catalog, {**trader, **ok}, records) is NA
    intake = "cn-cosmetics.trader-intake-records"
    shop = {"cosmetics.trader_intake_records": True, "cosmetics.records_retention_ok": True}
    assert verdict(catalog, {**trader, **shop}, intake) is PASS
    assert verdict(catalog, {**trader, **shop, "cosmetics.trader_intake_records": False},
                   intake) is FAIL
    assert verdict(catalog, {**maker, **shop}, intake) is NA
    for item, fact in (("cn-cosmetics.staff-health", "cosmetics.staff_health_system"),
                       ("cn-cosmetics.gmp-self-inspection", "cosmetics.gmp_self_inspection")):
        assert verdict(catalog, {**maker, fact: True}, item) is PASS
        assert verdict(catalog, {**maker, fact: False}, item) is FAIL
        assert verdict(catalog, {**trader, fact: False}, item) is NA


def test_cosmetics_recall_by_registrants(catalog: ChecklistSet) -> None:
    """Art. 44(1): stop, recall and report; a contract maker is not tested by this item."""
    item = "cn-cosmetics.recall"
    registrant = {"company.product_categories": ["cosmetics"],
                  "company.cosmetics_roles": ["registrant"]}

    def problem(reported: bool) -> dict[str, object]:
        return {"date": D(2026, 4, 2), "stopped": True, "recalled": True, "reported": reported}

    assert verdict(catalog, {**registrant, "cosmetics.harmful_defects": [problem(True)]},
                   item) is PASS
    assert verdict(catalog, {**registrant, "cosmetics.harmful_defects": [problem(False)]},
                   item) is FAIL
    maker = {**registrant, "company.cosmetics_roles": ["contract_manufacturer"],
             "cosmetics.harmful_defects": [problem(False)]}
    assert verdict(catalog, maker, item) is NA


@pytest.mark.parametrize(("item", "fact"), [
    ("cn-medical-devices.post-market-plan", "devices.post_market_plan"),
    ("cn-medical-devices.adverse-event-monitoring", "devices.adverse_event_monitoring"),
    ("cn-medical-devices.change-registration", "devices.changes_registered"),
])
def test_device_registrant_duties(catalog: ChecklistSet, item: str, fact: str) -> None:
    """Device regulation arts. 20, 21 bind registrants and notifiers, not distributors."""
    registrant = {"company.product_categories": ["medical_devices"],
                  "company.device_registrant": True}
    assert verdict(catalog, {**registrant, fact: True}, item) is PASS
    assert verdict(catalog, {**registrant, fact: False}, item) is FAIL
    assert verdict(catalog, {**registrant, "company.device_registrant": False, fact: False},
                   item) is NA


# ---------------------------------------------------------------- special equipment: users

@pytest.mark.parametrize(("item", "fact"), [
    ("cn-special-equipment.licensed-inspected-equipment",
     "special_equipment.licensed_and_inspected"),
    ("cn-special-equipment.management-rules", "special_equipment.management_rules"),
    ("cn-special-equipment.scrapping", "special_equipment.scrapping_done"),
    ("cn-special-equipment.emergency-plan", "special_equipment.emergency_plan"),
])
def test_use_unit_duties_bind_every_user(catalog: ChecklistSet, item: str, fact: str) -> None:
    """Arts. 32, 34, 48, 69: any use unit; a company with no equipment is not bound."""
    user = {"company.special_equipment_in_use": ["field_vehicle"]}
    assert verdict(catalog, {**user, fact: True}, item) is PASS
    assert verdict(catalog, {**user, fact: False}, item) is FAIL
    assert verdict(catalog, {"company.special_equipment_in_use": [], fact: False}, item) is NA


def test_public_service_operators_need_a_full_time_manager(catalog: ChecklistSet) -> None:
    """Art. 36: lifts, ropeways and rides serving the public; a forklift user is not bound."""
    item = "cn-special-equipment.public-service-manager"
    mall = {"company.special_equipment_in_use": ["lift"], "special_equipment.serves_public": True}
    assert verdict(catalog, {**mall, "special_equipment.full_time_manager": True}, item) is PASS
    assert verdict(catalog, {**mall, "special_equipment.full_time_manager": False}, item) is FAIL
    factory = {"company.special_equipment_in_use": ["lift"],
               "special_equipment.serves_public": False,
               "special_equipment.full_time_manager": False}
    assert verdict(catalog, factory, item) is NA
    forklifts = {"company.special_equipment_in_use": ["field_vehicle"],
                 "special_equipment.serves_public": True,
                 "special_equipment.full_time_manager": False}
    assert verdict(catalog, forklifts, item) is NA


def test_lift_maintenance_by_a_qualified_firm(catalog: ChecklistSet) -> None:
    """Art. 45: lift users only."""
    item = "cn-special-equipment.lift-maintenance-qualified"
    lifts = {"company.special_equipment_in_use": ["lift", "boiler"]}
    assert verdict(catalog, {**lifts, "special_equipment.lift_maintainer_licensed": True},
                   item) is PASS
    assert verdict(catalog, {**lifts, "special_equipment.lift_maintainer_licensed": False},
                   item) is FAIL
    assert verdict(catalog, {"company.special_equipment_in_use": ["boiler"],
                             "special_equipment.lift_maintainer_licensed": False}, item) is NA


# ---------------------------------------------------------------- special equipment: producers

CRANE_MAKER = {"company.product_categories": ["special_equipment"],
               "special_equipment.produced_kinds": ["crane"]}


def test_order_73_now_reaches_cranes_ropeways_rides_and_field_vehicles(
        catalog: ChecklistSet) -> None:
    """Order 73 chapters 7-10 were read: staffing applies to a crane maker."""
    item = "cn-special-equipment.producer-staffing"
    staffed = {**CRANE_MAKER, "special_equipment.producer_director_appointed": True,
               "special_equipment.producer_director_not_officer": True}
    assert verdict(catalog, staffed, item) is PASS
    for kind in ("passenger_ropeway", "amusement_ride", "field_vehicle"):
        unstaffed = {**staffed, "special_equipment.produced_kinds": [kind],
                     "special_equipment.producer_director_appointed": False}
        assert verdict(catalog, unstaffed, item) is FAIL
    assert verdict(catalog, {**staffed, "special_equipment.produced_kinds": []}, item) is NA


def test_producer_licence_and_supervisory_inspection(catalog: ChecklistSet) -> None:
    """Arts. 18, 25: licence for all producers; supervisory inspection not for field vehicles."""
    licence, inspect = ("cn-special-equipment.producer-licence",
                        "cn-special-equipment.supervisory-inspection")
    assert verdict(catalog, {**CRANE_MAKER, "special_equipment.production_licence_valid": True},
                   licence) is PASS
    assert verdict(catalog, {**CRANE_MAKER, "special_equipment.production_licence_valid": False},
                   licence) is FAIL
    passed = {**CRANE_MAKER, "special_equipment.supervisory_inspection_passed": True}
    assert verdict(catalog, passed, inspect) is PASS
    assert verdict(catalog, {**passed, "special_equipment.supervisory_inspection_passed": False},
                   inspect) is FAIL
    trucks = {**passed, "special_equipment.produced_kinds": ["field_vehicle"]}
    assert verdict(catalog, trucks, inspect) is NA
    user = {"company.product_categories": ["food"],
            "special_equipment.production_licence_valid": False}
    assert verdict(catalog, user, licence) is NA


def test_works_notice_and_handover(catalog: ChecklistSet) -> None:
    """Arts. 23, 24: notice before work; files within 30 days of acceptance."""
    item = "cn-special-equipment.works-notice-and-handover"

    def work(notified: bool, days: int) -> dict[str, object]:
        return {"date": D(2026, 9, 1), "kind": "installation", "notified_before": notified,
                "handover_days": days}

    base = {"company.product_categories": ["special_equipment"]}
    assert verdict(catalog, {**base, "special_equipment.works": [work(True, 12)]}, item) is PASS
    assert verdict(catalog, {**base, "special_equipment.works": [work(False, 12)]}, item) is FAIL
    assert verdict(catalog, {**base, "special_equipment.works": [work(True, 45)]}, item) is FAIL
    assert verdict(catalog, {**base, "special_equipment.works": []}, item) is NA


def test_identical_defects_stop_and_recall(catalog: ChecklistSet) -> None:
    """Art. 26: stop production and recall; no defect found is not applicable."""
    item = "cn-special-equipment.defect-recall"

    def defect(stopped: bool, recalled: bool) -> dict[str, object]:
        return {"date": D(2026, 5, 1), "stopped": stopped, "recalled": recalled}

    assert verdict(catalog, {**CRANE_MAKER, "special_equipment.identical_defects":
                             [defect(True, True)]}, item) is PASS
    assert verdict(catalog, {**CRANE_MAKER, "special_equipment.identical_defects":
                             [defect(True, False)]}, item) is FAIL
    assert verdict(catalog, {**CRANE_MAKER, "special_equipment.identical_defects": []},
                   item) is NA


# ---------------------------------------------------------------- production licence, 2025

LICENSED = {"company.production_license_products": True, "company.produces": True,
            "production_licence.held": True}


def test_changes_applied_for_within_one_month(catalog: ChecklistSet) -> None:
    """Measures arts. 29, 30: one month from the change; not yet due is a pass."""
    item = "cn-production-licence.changes-within-one-month"

    def change(days: int) -> dict[str, object]:
        return {"date": D(2026, 6, 1), "kind": "conditions", "applied_days": days}

    assert verdict(catalog, {**LICENSED, "production_licence.changes": [change(20)]},
                   item) is PASS
    assert verdict(catalog, {**LICENSED, "production_licence.changes": [change(60)]},
                   item) is FAIL
    assert verdict(catalog, {**LICENSED, "production_licence.changes": []}, item) is PASS
    assert verdict(catalog, {"company.production_license_products": False,
                             "production_licence.changes": [change(60)]}, item) is NA


def test_subcontractors_hold_the_licence(catalog: ChecklistSet) -> None:
    """Measures art. 47: only companies that subcontract catalogue products."""
    item = "cn-production-licence.licensed-subcontractors"
    base = {"company.production_license_products": True,
            "production_licence.uses_subcontractors": True}
    assert verdict(catalog, {**base, "production_licence.subcontractors_licensed": True},
                   item) is PASS
    assert verdict(catalog, {**base, "production_licence.subcontractors_licensed": False},
                   item) is FAIL
    assert verdict(catalog, {**base, "production_licence.uses_subcontractors": False},
                   item) is NA


def test_annual_self_report_fails_only_on_a_missed_year(catalog: ChecklistSet) -> None:
    """Measures art. 48: a report in the last 731 days; recent licences are not yet tested."""
    item = "cn-production-licence.annual-self-report"
    old = {**LICENSED, "production_licence.granted_on": D(2020, 5, 1)}
    assert verdict(catalog, {**old, "production_licence.self_reports":
                             [{"date": D(2025, 3, 10)}]}, item) is PASS
    assert verdict(catalog, {**old, "production_licence.self_reports":
                             [{"date": D(2024, 3, 10)}]}, item) is FAIL
    new = {**LICENSED, "production_licence.granted_on": D(2025, 6, 1),
           "production_licence.self_reports": []}
    assert verdict(catalog, new, item) is NA
