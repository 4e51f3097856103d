"""Common duties by sector (issue 17, point 1): food licences, staff health, self-inspection and
labels; prepackaged net content; commodity barcodes; farm produce certificates; the cosmetics
quality and safety person; special equipment users and producers; production licence measures.
Each duty is tried on a company that meets it, on one that does not, and on one it does not bind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
from catalogue_cases import item_result

from qcompliance import (
    ChecklistSet,
    Level,
    Result,
    Verdict,
    load_checklists,
)

D = dt.date
AS_OF = D(2026, 12, 7)
PASS, FAIL, NA = Verdict.PASS, Verdict.FAIL, Verdict.NOT_APPLICABLE


@pytest.fixture(scope="module")
def catalog() -> ChecklistSet:
    """The built-in catalogue, loaded once."""
    return load_checklists()


def result(catalog: ChecklistSet, facts: Mapping[str, object], item: str,
           as_of: dt.date = AS_OF) -> Result:
    """The result of ``item`` for a profile holding ``facts`` (dotted keys) on ``as_of``."""
    return item_result(catalog, facts, item, as_of)


def verdict(catalog: ChecklistSet, facts: Mapping[str, object], item: str,
            as_of: dt.date = AS_OF) -> Verdict:
    """The verdict of ``item`` for ``facts``; not applicable when its whole checklist is out."""
    assert any(i.id == item for c in catalog for i in c.items), f"no item {item}"
    try:
        return result(catalog, facts, item, as_of).verdict
    except StopIteration:  # the checklist's own `applies` is false: no item result at all
        return Verdict.NOT_APPLICABLE


# ---------------------------------------------------------------- food (食品安全法)

PRODUCER = {"company.product_categories": ["food"], "company.food_roles": ["production"]}
RESELLER = {"company.product_categories": ["food"], "company.food_roles": ["sales"]}


def test_food_licence_binds_producers_and_bulk_sellers(catalog: ChecklistSet) -> None:
    """Art. 35: producers and sellers of more than prepackaged food need a valid licence."""
    item = "cn-food-safety.licence-held"
    valid = {"food_licence.held": True, "food_licence.expires_on": D(2029, 3, 1)}
    expired = {"food_licence.held": True, "food_licence.expires_on": D(2026, 10, 1)}
    assert verdict(catalog, {**PRODUCER, **valid}, item) is PASS
    assert verdict(catalog, {**PRODUCER, **expired}, item) is FAIL
    assert verdict(catalog, {**PRODUCER, "food_licence.held": False}, item) is FAIL
    bulk = {**RESELLER, "company.food_sales_prepackaged_only": False}
    assert verdict(catalog, {**bulk, "food_licence.held": False}, item) is FAIL
    prepackaged = {**RESELLER, "company.food_sales_prepackaged_only": True}
    assert verdict(catalog, {**prepackaged, "food_licence.held": False}, item) is NA
    farm_only = {"company.product_categories": ["edible_agricultural"],
                 "company.food_roles": ["sales"], "company.food_sales_prepackaged_only": False}
    assert verdict(catalog, farm_only, item) is NA
    restaurant = {"company.product_categories": ["services"], "company.food_roles": ["catering"],
                  "food_licence.held": False}
    assert verdict(catalog, restaurant, item) is FAIL


def test_prepackaged_only_sellers_file(catalog: ChecklistSet) -> None:
    """Art. 35: a seller of prepackaged food only files instead; caterers are not meant."""
    item = "cn-food-safety.prepackaged-sales-filing"
    seller = {**RESELLER, "company.food_sales_prepackaged_only": True}
    assert verdict(catalog, {**seller, "food_licence.filed": True}, item) is PASS
    assert verdict(catalog, {**seller, "food_licence.filed": False}, item) is FAIL
    bulk = {**RESELLER, "company.food_sales_prepackaged_only": False}
    assert verdict(catalog, {**bulk, "food_licence.filed": False}, item) is NA
    assert verdict(catalog, {**PRODUCER, "food_licence.filed": False}, item) is NA


def test_health_certificates_are_annual_for_every_contact_worker(catalog: ChecklistSet) -> None:
    """Art. 45(2): every contact worker's latest check is at most a year old; none is a fail."""
    item = "cn-food-safety.staff-health-certificates"
    base = {**PRODUCER, "food_staff.direct_contact_work": True}
    fresh = [{"date": D(2026, 3, 1), "holder": "张三"}, {"date": D(2026, 9, 9), "holder": "李四"}]
    stale = [*fresh, {"date": D(2025, 11, 1), "holder": "王五"}]
    assert verdict(catalog, {**base, "food_staff.health_checks": fresh}, item) is PASS
    assert verdict(catalog, {**base, "food_staff.health_checks": stale}, item) is FAIL
    assert verdict(catalog, {**base, "food_staff.health_checks": []}, item) is FAIL
    packed_only = {**RESELLER, "food_staff.direct_contact_work": False}
    assert verdict(catalog, packed_only, item) is NA
    not_food = {"company.product_categories": ["electronics"], "company.food_roles": [],
                "food_staff.direct_contact_work": True}
    assert verdict(catalog, not_food, item) is NA


def test_health_system_binds_every_food_business(catalog: ChecklistSet) -> None:
    """Art. 45(1): the staff health system binds producers and sellers alike."""
    item = "cn-food-safety.staff-health-system"
    assert verdict(catalog, {**RESELLER, "food_staff.health_system": True}, item) is PASS
    assert verdict(catalog, {**PRODUCER, "food_staff.health_system": False}, item) is FAIL
    assert verdict(catalog, {"company.food_roles": [], "food_staff.health_system": False},
                   item) is NA


def test_self_inspection_needs_a_system_and_records(catalog: ChecklistSet) -> None:
    """Art. 47: the system plus recorded evaluations; the quarterly interval is only practice."""
    item, recent = "cn-food-safety.self-inspection", "cn-food-safety.self-inspection-recent"
    old = [{"date": D(2026, 2, 1), "findings": 2}]
    new = [{"date": D(2026, 11, 2), "findings": 0}]
    ok = {**PRODUCER, "food_selfcheck.system": True, "food_selfcheck.evaluations": old}
    assert verdict(catalog, ok, item) is PASS
    assert verdict(catalog, ok, recent) is FAIL
    assert verdict(catalog, {**ok, "food_selfcheck.evaluations": new}, recent) is PASS
    assert verdict(catalog, {**ok, "food_selfcheck.system": False}, item) is FAIL
    assert verdict(catalog, {**ok, "food_selfcheck.evaluations": []}, item) is FAIL
    rec = next(i for c in catalog for i in c.items if i.id == recent)
    assert rec.level is Level.RECOMMENDED
    assert rec.notes is not None


@pytest.mark.parametrize(("item", "fact"), [
    ("cn-food-safety.prepackaged-label-items", "food_label.required_items"),
    ("cn-food-safety.label-truthful-and-clear", "food_label.truthful_and_clear"),
])
def test_prepackaged_labels_bind_producers_of_prepackaged_food(
        catalog: ChecklistSet, item: str, fact: str) -> None:
    """Arts. 67, 71: producers of prepackaged food; not resellers, not bulk-only producers."""
    packed = {**PRODUCER, "company.prepackaged_goods": True}
    assert verdict(catalog, {**packed, fact: True}, item) is PASS
    assert verdict(catalog, {**packed, fact: False}, item) is FAIL
    assert verdict(catalog, {**PRODUCER, "company.prepackaged_goods": False, fact: False},
                   item) is NA
    assert verdict(catalog, {**RESELLER, "company.prepackaged_goods": True, fact: False},
                   item) is NA


def test_process_control_binds_producers_and_incident_plan_every_business(
        catalog: ChecklistSet) -> None:
    """Art. 46 binds food producers; art. 102(4) every food business."""
    control, plan = ("cn-food-safety.production-control-requirements",
                     "cn-food-safety.incident-plan")
    assert verdict(catalog, {**PRODUCER, "food_process.control_requirements": True},
                   control) is PASS
    assert verdict(catalog, {**PRODUCER, "food_process.control_requirements": False},
                   control) is FAIL
    assert verdict(catalog, {**RESELLER, "food_process.control_requirements": False},
                   control) is NA
    assert verdict(catalog, {**RESELLER, "food_incident.disposal_plan": True}, plan) is PASS
    assert verdict(catalog, {**RESELLER, "food_incident.disposal_plan": False}, plan) is FAIL


def test_trader_storage_and_bulk_labels(catalog: ChecklistSet) -> None:
    """Arts. 54, 68: storage binds traders; bulk labels only sellers of bulk food."""
    storage, bulk = "cn-food-safety.trader-storage", "cn-food-safety.bulk-food-labels"
    assert verdict(catalog, {**RESELLER, "food_trade.storage_checks": True}, storage) is PASS
    assert verdict(catalog, {**RESELLER, "food_trade.storage_checks": False}, storage) is FAIL
    assert verdict(catalog, {**PRODUCER, "food_trade.storage_checks": False}, storage) is NA
    deli = {**RESELLER, "company.food_sales_prepackaged_only": False}
    assert verdict(catalog, {**deli, "food_trade.bulk_labels": True}, bulk) is PASS
    assert verdict(catalog, {**deli, "food_trade.bulk_labels": False}, bulk) is FAIL
    packed = {**RESELLER, "company.food_sales_prepackaged_only": True,
              "food_trade.bulk_labels": False}
    assert verdict(catalog, packed, bulk) is NA


# ---------------------------------------------------------------- prepackaged quantity (Order 70)

PACKER = {"company.produces": True, "company.prepackaged_goods": True}


def batch(day: dt.date, average_ok: bool = True, over: int = 0) -> dict[str, object]:
    """One net content check record."""
    return {"date": day, "batch": "鱼丸 500 g", "average_ok": average_ok,
            "units_over_tolerance": over}


def test_net_content_marking_binds_producers_and_sellers(catalog: ChecklistSet) -> None:
    """Arts. 5-7: producers and sellers of prepackaged goods mark the net content."""
    item = "cn-prepackaged-quantity.net-content-marked"
    seller = {"company.produces": False, "company.prepackaged_goods": True}
    assert verdict(catalog, {**seller, "quantity.net_content_marked": True}, item) is PASS
    assert verdict(catalog, {**PACKER, "quantity.net_content_marked": False}, item) is FAIL
    assert verdict(catalog, {"company.prepackaged_goods": False,
                             "quantity.net_content_marked": False}, item) is NA


def test_net_content_accuracy_reads_a_year_of_batch_checks(catalog: ChecklistSet) -> None:
    """Arts. 8, 9: no short batch in the last year, and at least one batch checked."""
    item = "cn-prepackaged-quantity.net-content-accurate"
    good = [batch(D(2026, 10, 5)), batch(D(2025, 6, 1), average_ok=False)]
    assert verdict(catalog, {**PACKER, "quantity.batch_checks": good}, item) is PASS
    short = [batch(D(2026, 10, 5)), batch(D(2026, 11, 5), over=2)]
    assert verdict(catalog, {**PACKER, "quantity.batch_checks": short}, item) is FAIL
    light = [batch(D(2026, 8, 5), average_ok=False)]
    assert verdict(catalog, {**PACKER, "quantity.batch_checks": light}, item) is FAIL
    none_this_year = [batch(D(2025, 6, 1))]
    assert verdict(catalog, {**PACKER, "quantity.batch_checks": none_this_year}, item) is FAIL
    seller = {"company.produces": False, "company.prepackaged_goods": True,
              "quantity.batch_checks": short}
    assert verdict(catalog, seller, item) is NA


def test_measuring_equipment_binds_producers(catalog: ChecklistSet) -> None:
    """Art. 4: measuring equipment suited to the goods produced."""
    item = "cn-prepackaged-quantity.measuring-equipment"
    assert verdict(catalog, {**PACKER, "quantity.measuring_equipment": True}, item) is PASS
    assert verdict(catalog, {**PACKER, "quantity.measuring_equipment": False}, item) is FAIL
    assert verdict(catalog, {"company.produces": False, "company.prepackaged_goods": True,
                             "quantity.measuring_equipment": False}, item) is NA


# ---------------------------------------------------------------- commodity barcodes

MEMBER = {"company.barcode_member": True}


def test_prefix_renewal_is_due_at_expiry(catalog: ChecklistSet) -> None:
    """Art. 24: still valid is a pass; expired without renewal is a fail."""
    item = "cn-commodity-barcode.prefix-renewal"
    valid = {**MEMBER, "barcode.code_expires_on": D(2027, 1, 20), "barcode.renewal_done": False}
    assert verdict(catalog, valid, item) is PASS
    lapsed = {**MEMBER, "barcode.code_expires_on": D(2026, 11, 20), "barcode.renewal_done": False}
    assert verdict(catalog, lapsed, item) is FAIL
    assert verdict(catalog, {**lapsed, "barcode.renewal_done": True}, item) is PASS
    assert result(catalog, valid, item).due == D(2027, 1, 20)  # the expiry day is the deadline
    assert verdict(catalog, {"company.barcode_member": False, **{
        k: v for k, v in lapsed.items() if k != "company.barcode_member"}}, item) is NA


def test_member_changes_within_30_days(catalog: ChecklistSet) -> None:
    """Art. 25: 30 days from approval; not yet due is a pass."""
    item = "cn-commodity-barcode.changes-within-30-days"

    def change(days: int, handled: bool) -> dict[str, object]:
        return {"date": D(2026, 9, 1), "handled": handled, "days": days}

    assert verdict(catalog, {**MEMBER, "barcode.changes": [change(12, True)]}, item) is PASS
    assert verdict(catalog, {**MEMBER, "barcode.changes": [change(45, True)]}, item) is FAIL
    assert verdict(catalog, {**MEMBER, "barcode.changes": [change(20, False)]}, item) is PASS
    assert verdict(catalog, {**MEMBER, "barcode.changes": [change(97, False)]}, item) is FAIL


# ---------------------------------------------------------------- farm produce

def test_farm_records_kept_two_years(catalog: ChecklistSet) -> None:
    """Art. 27: enterprises, cooperatives, service organisations; purchasers are not bound."""
    item = "cn-farm-produce.production-records"
    coop = {"company.farm_produce_roles": ["cooperative"], "agri.production_records": True}
    assert verdict(catalog, {**coop, "agri.records_retention_years": 3}, item) is PASS
    assert verdict(catalog, {**coop, "agri.records_retention_years": 1}, item) is FAIL
    buyer = {"company.farm_produce_roles": ["purchaser"], "agri.production_records": False}
    assert verdict(catalog, buyer, item) is NA


def test_commitment_certificates(catalog: ChecklistSet) -> None:
    """Arts. 38, 39: growers and purchasers issue; purchasers also collect and keep."""
    issue = "cn-farm-produce.commitment-certificates"
    keep = "cn-farm-produce.purchaser-keeps-certificates"
    grower = {"company.farm_produce_roles": ["enterprise"]}
    assert verdict(catalog, {**grower, "agri.certificates_issued": True}, issue) is PASS
    assert verdict(catalog, {**grower, "agri.certificates_issued": False}, issue) is FAIL
    assert verdict(catalog, {**grower, "agri.purchase_certificates_kept": False}, keep) is NA
    buyer = {"company.farm_produce_roles": ["purchaser"]}
    assert verdict(catalog, {**buyer, "agri.purchase_certificates_kept": True}, keep) is PASS
    assert verdict(catalog, {**buyer, "agri.purchase_certificates_kept": False}, keep) is FAIL
    service = {"company.farm_produce_roles": ["service_organisation"],
               "agri.certificates_issued": False}
    assert verdict(catalog, service, issue) is NA


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


# ---------------------------------------------------------------- the sources behind them

NEW_CHECKLISTS = ("cn-food-safety", "cn-prepackaged-quantity", "cn-commodity-barcode",
                  "cn-farm-produce", "cn-cosmetics", "cn-medical-devices")


def test_new_checklists_cite_text_read_with_quotes(catalog: ChecklistSet) -> None:
    """Every mandatory item of the new checklists quotes a source read in full text."""
    for checklist in catalog:
        if checklist.id not in NEW_CHECKLISTS:
            continue
        sources = {s.id: s for s in checklist.sources}
        for item in checklist.items:
            if item.level is not Level.MANDATORY:
                continue
            for basis in item.basis:
                assert sources[basis.source].verified == "text", item.id
                assert basis.quote, item.id


def test_new_company_facts_label_every_value(catalog: ChecklistSet) -> None:
    """The new gating lists name every value in Chinese."""
    for key in ("company.farm_produce_roles", "company.cosmetics_roles"):
        spec = catalog.facts[key]
        assert spec.values
        assert spec.value_labels
        assert set(spec.value_labels) == set(spec.values)
        assert all(label.zh for label in spec.value_labels.values())


# ---------------------------------------------------------------- the quick interview's gates

def quick_questions(catalog: ChecklistSet, answers: Mapping[str, object]) -> list[str]:
    """The fact keys a quick interview asks, given ``answers`` ("?" for anything else)."""
    from qcompliance.selfcheck import Interview

    asked: list[str] = []

    def answer(prompt: object) -> object:
        key = prompt.key  # type: ignore[attr-defined]
        asked.append(key)
        return answers.get(key, "?")

    Interview(catalog, "zh", AS_OF, quick=True).run(answer)
    return asked


def test_quick_interview_asks_a_sector_gate_only_where_it_decides(catalog: ChecklistSet) -> None:
    """The cosmetics role is asked of a cosmetics company, not of a food producer; the
    prepackaged-only question is asked of a food reseller, not of a company without food."""
    base = {"company.name": "某公司", "company.produces": True, "company.sells": True,
            "company.industry": "C", "company.special_equipment_in_use": []}
    cosmetics = quick_questions(catalog, {**base, "company.product_categories": ["cosmetics"],
                                          "company.food_roles": []})
    assert "company.cosmetics_roles" in cosmetics
    assert "company.food_sales_prepackaged_only" not in cosmetics
    food = quick_questions(catalog, {**base, "company.product_categories": ["food"],
                                     "company.food_roles": ["production", "sales"]})
    assert "company.cosmetics_roles" not in food
    assert "company.food_sales_prepackaged_only" in food
    assert "special_equipment.serves_public" not in food
