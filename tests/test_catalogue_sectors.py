"""Common duties by sector (issue 17, point 1): food licences, staff health, self-inspection and
labels; prepackaged net content; commodity barcodes; farm produce certificates; the sources cited
and the quick interview's sector gates (licensed products: test_catalogue_sectors_licensed.py).
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
