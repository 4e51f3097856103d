"""The catalogue as the law stands on the assessment day (issue 10): revised texts followed by
date, rights that are not duties, complete recurring records, duties not yet due, and the duties
added in 2026-11. Each duty is tried on a company that meets it and on one that does not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
from catalogue_cases import item_result

from qcompliance import (
    ChecklistSet,
    ItemKind,
    Level,
    Result,
    Verdict,
    evaluate,
    load_checklists,
    load_profile,
)

D = dt.date
DAY = dt.timedelta(days=1)
AS_OF = D(2026, 11, 30)  # a Monday


@pytest.fixture(scope="module")
def catalog() -> ChecklistSet:
    """The built-in catalogue, loaded once."""
    return load_checklists()


def result(catalog: ChecklistSet, facts: Mapping[str, object], item: str,
           as_of: dt.date = AS_OF) -> Result:
    """The result of ``item`` for a profile holding ``facts`` (dotted keys) on ``as_of``."""
    return item_result(catalog, facts, item, as_of)


def item_of(catalog: ChecklistSet, item_id: str):  # type: ignore[no-untyped-def]
    """The catalogue item ``item_id``."""
    return next(i for c in catalog for i in c.items if i.id == item_id)


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every day from ``first`` to ``last``."""
    return [first + DAY * i for i in range((last - first).days + 1)]


# ---------------------------------------------------------------- 1. revised texts by date

FOOD = {"company.product_categories": ["food"], "company.food_roles": ["production"]}


def food_recall(day: dt.date, level: str, hours: int) -> dict[str, object]:
    """One food recall record."""
    return {"date": day, "product": "酸奶 批次A", "role": "producer", "stopped": True,
            "notified": True, "recorded": True, "disposal": "destroyed",
            "reported_to_county": True, "disposal_reported_in_advance": True,
            "level": level, "start_hours": hours}


def test_food_recall_figures_follow_the_date(catalog: ChecklistSet) -> None:
    """Before 2026-02-11 the 2015 figures apply; from then on the revised 24/36/48 hours."""
    old, new = "cn-recall.food-recall-timing", "cn-recall.food-recall-timing-2026"
    level3_at_60h = {**FOOD, "food_recall.recalls": [food_recall(D(2025, 12, 1), "level_3", 60)]}
    assert result(catalog, level3_at_60h, old, D(2026, 1, 10)).verdict is Verdict.PASS
    assert result(catalog, level3_at_60h, new, D(2026, 1, 10)).verdict is Verdict.NOT_APPLICABLE
    assert result(catalog, level3_at_60h, old).verdict is Verdict.NOT_APPLICABLE
    # A recall started before the revision is still measured against the old figures.
    assert result(catalog, level3_at_60h, new).verdict is Verdict.PASS
    after = {**FOOD, "food_recall.recalls": [food_recall(D(2026, 5, 4), "level_3", 60)]}
    assert result(catalog, after, new).verdict is Verdict.FAIL
    level2 = {**FOOD, "food_recall.recalls": [food_recall(D(2026, 6, 1), "level_2", 40)]}
    assert result(catalog, level2, new).verdict is Verdict.FAIL
    in_time = {**FOOD, "food_recall.recalls": [food_recall(D(2026, 6, 1), "level_2", 30)]}
    assert result(catalog, in_time, new).verdict is Verdict.PASS


def test_unread_revision_is_recommended_and_says_so(catalog: ChecklistSet) -> None:
    """The revised food recall rules were read only in news reports: recommended, with notes."""
    old = item_of(catalog, "cn-recall.food-recall-timing")
    assert old.superseded_by == "cn-recall.food-recall-timing-2026"
    assert old.effective_until == D(2026, 2, 11)
    for item_id in ("cn-recall.food-recall-timing-2026", "cn-recall.food-recall-system",
                    "cn-recall.food-recall-cooperation"):
        item = item_of(catalog, item_id)
        assert item.level is Level.RECOMMENDED
        assert item.notes is not None
        assert "未读到" in item.notes.zh
        assert "not found" in item.notes.en


def test_disclosure_within_20_working_days(catalog: ChecklistSet) -> None:
    """企业信息公示暂行条例 (2024) art. 10: late is a fail; not yet due is a pass."""
    item = "cn-market-supervision.disclosure-within-20-working-days"

    def event(day: dt.date, published: bool, wd: int) -> dict[str, object]:
        return {"date": day, "kind": "licence", "published": published,
                "published_working_days": wd}

    on_time = {"supervision.disclosable_events": [event(D(2026, 9, 1), True, 12)]}
    late = {"supervision.disclosable_events": [event(D(2026, 9, 1), True, 25)]}
    not_yet = {"supervision.disclosable_events": [event(D(2026, 11, 25), False, 3)]}
    overdue = {"supervision.disclosable_events": [event(D(2026, 10, 1), False, 41)]}
    assert result(catalog, on_time, item).verdict is Verdict.PASS
    assert result(catalog, late, item).verdict is Verdict.FAIL
    assert result(catalog, not_yet, item).verdict is Verdict.PASS
    assert result(catalog, overdue, item).verdict is Verdict.FAIL


def test_disclosure_items_cite_the_text_in_force(catalog: ChecklistSet) -> None:
    """The annual report quotes the 2024 wording; the abnormal list cites arts 18 and 19."""
    annual = item_of(catalog, "cn-market-supervision.annual-report")
    assert "国家企业信用信息公示系统向市场监督管理部门" in (annual.basis[0].quote or "")
    listed = item_of(catalog, "cn-market-supervision.not-on-abnormal-list")
    assert [b.clause for b in listed.basis] == ["第十八条第一款", "第十九条"]
    assert listed.level is Level.RECOMMENDED


def test_order_60_threshold_is_a_param_never_ten(catalog: ChecklistSet) -> None:
    """Central kitchens and group-meal units: recommended, threshold 1000 as a param."""
    item_id = "cn-quality-officers.food-director-central-kitchen"
    item = item_of(catalog, item_id)
    assert item.level is Level.RECOMMENDED
    assert item.params["group_meal_min_diners"] == 1000
    base = {"company.food_roles": ["catering"], "food_safety.central_kitchen": False}
    small = {**base, "food_safety.group_meal_diners": 500}
    large = {**base, "food_safety.group_meal_diners": 1500,
             "food_safety.director_appointed": False}
    staffed = {**large, "food_safety.director_appointed": True,
               "food_safety.director_in_management": True}
    assert result(catalog, small, item_id).verdict is Verdict.NOT_APPLICABLE
    assert result(catalog, large, item_id).verdict is Verdict.FAIL
    assert result(catalog, staffed, item_id).verdict is Verdict.PASS


def test_bulk_liquid_food_transport(catalog: ChecklistSet) -> None:
    """食品安全法 (2025) art. 41: from 2025-12-01 shippers check the carrier's permit."""
    item = "cn-traceability.bulk-liquid-food-transport"
    shipper = {"company.product_categories": ["food"],
               "food_safety.bulk_liquid_road_roles": ["shipper"]}
    assert result(catalog, {**shipper, "food_safety.bulk_liquid_checks_done": True},
                  item).verdict is Verdict.PASS
    assert result(catalog, {**shipper, "food_safety.bulk_liquid_checks_done": False},
                  item).verdict is Verdict.FAIL
    assert result(catalog, {**shipper, "food_safety.bulk_liquid_checks_done": False},
                  item, D(2025, 11, 30)).verdict is Verdict.NOT_APPLICABLE


# ---------------------------------------------------------------- 2. rights are not duties

def test_objection_is_a_right_shown_as_information(catalog: ChecklistSet) -> None:
    """A late objection or none at all never fails: the items are opportunities."""
    late = {"supervision.spot_checks": [{
        "date": D(2026, 10, 8), "organiser": "provincial", "food_sampling": False,
        "result": "fail", "refused": False, "objection_filed": True, "objection_days": 40,
        "stopped_immediately": True}]}
    for item_id in ("cn-market-supervision.objection-within-15-days",
                    "cn-market-supervision.food-retest-within-7-working-days"):
        assert item_of(catalog, item_id).kind is ItemKind.OPPORTUNITY
    shown = result(catalog, late, "cn-market-supervision.objection-within-15-days")
    assert shown.verdict is Verdict.PASS
    assert shown.kind is ItemKind.OPPORTUNITY
    none = {"supervision.spot_checks": []}
    assert result(catalog, none, "cn-market-supervision.objection-within-15-days"
                  ).verdict is Verdict.NOT_APPLICABLE


def test_unread_and_consequence_items_are_not_mandatory(catalog: ChecklistSet) -> None:
    """The lifelong-responsibility and burden-of-proof items are recommended."""
    for item_id in ("cn-construction-quality.lifelong-responsibility",
                    "cn-after-sales.durables-burden-of-proof"):
        assert item_of(catalog, item_id).level is Level.RECOMMENDED


# ---------------------------------------------------------------- 3. complete recurring records

QS = {"company.produces": True, "company.ccc_products": True,
      "company.product_categories": ["household_appliances"], "quality_safety.in_operation": True}


def check(day: dt.date, issues: int = 0) -> dict[str, object]:
    """A daily quality and safety check record."""
    return {"date": day, "issues_found": issues, "escalated": True}


def test_daily_records_must_cover_every_day(catalog: ChecklistSet) -> None:
    """Orders 75/76 art. 10: a record every day, zero-risk days included."""
    item = "cn-quality-officers.qs-daily-check"
    every = {**QS, "quality_safety.daily_checks": [check(d) for d in days(AS_OF - 40 * DAY,
                                                                           AS_OF - DAY)]}
    assert result(catalog, every, item).verdict is Verdict.PASS
    # Only the days with findings: yesterday is recorded, so the old test passed; this fails.
    findings = {**QS, "quality_safety.daily_checks": [
        check(AS_OF - DAY, 1), check(AS_OF - 9 * DAY, 2)]}
    failed = result(catalog, findings, item)
    assert failed.verdict is Verdict.FAIL
    assert "其中 27 个经营日缺少记录：2026-11-01" in failed.why.zh
    assert "have no record" in failed.why.en


def test_weekly_and_monthly_cycles_use_calendar_periods(catalog: ChecklistSet) -> None:
    """A weekly review in each of the last four ISO weeks passes; a skipped week fails."""
    item = "cn-quality-officers.qs-weekly-review"
    mondays = [D(2026, 11, 2), D(2026, 11, 9), D(2026, 11, 16), D(2026, 11, 23)]
    full = {**QS, "quality_safety.weekly_reviews": [{"date": d} for d in mondays]}
    gap = {**QS, "quality_safety.weekly_reviews": [{"date": d} for d in mondays if d.day != 16]}
    assert result(catalog, full, item).verdict is Verdict.PASS
    skipped = result(catalog, gap, item)
    assert skipped.verdict is Verdict.FAIL
    assert "2026-W47" in skipped.why.en


def test_order_74_cycles_for_every_equipment_kind(catalog: ChecklistSet) -> None:
    """Boilers (arts 11–13): daily, weekly and monthly records, kind by kind."""
    item = "cn-quality-officers.equipment-control-cycle"
    daily = [{"date": d, "equipment": "boiler"} for d in days(AS_OF - 35 * DAY, AS_OF - DAY)]
    weekly = [{"date": D(2026, 11, 2) + 7 * DAY * i, "equipment": "boiler"} for i in range(4)]
    monthly = [{"date": D(2026, m, 5), "equipment": "boiler"} for m in (8, 9, 10)]
    boiler = {"company.special_equipment_in_use": ["boiler"],
              "equipment_safety.daily_checks": daily, "equipment_safety.weekly_reviews": weekly,
              "equipment_safety.monthly_meetings": monthly}
    assert result(catalog, boiler, item).verdict is Verdict.PASS
    holed = {**boiler, "equipment_safety.daily_checks": [
        r for r in daily if r["date"] != D(2026, 11, 20)]}
    failed = result(catalog, holed, item)
    assert failed.verdict is Verdict.FAIL
    assert "2026-11-20" in failed.why.en
    # A lift's records do not cover the boiler.
    lift_only = {**boiler, "equipment_safety.daily_checks": [
        {**r, "equipment": "lift"} for r in daily]}
    assert result(catalog, lift_only, item).verdict is Verdict.FAIL


# ---------------------------------------------------------------- 4. duties not yet due

def test_ccc_renewal_is_not_failed_inside_its_window(catalog: ChecklistSet) -> None:
    """Within the 90 days before expiry without an application: pass, with the due day."""
    item = "cn-certification.ccc-renewal"
    base = {"company.ccc_products": True, "certification.ccc_certificate_holder": True,
            "certification.ccc_renewal_applied": False}
    inside = result(catalog, {**base, "certification.ccc_earliest_expiry": AS_OF + 30 * DAY},
                    item)
    assert inside.verdict is Verdict.PASS
    assert inside.due == AS_OF + 29 * DAY
    lapsed = result(catalog, {**base, "certification.ccc_earliest_expiry": AS_OF}, item)
    assert lapsed.verdict is Verdict.FAIL
    applied = {**base, "certification.ccc_renewal_applied": True,
               "certification.ccc_earliest_expiry": AS_OF}
    assert result(catalog, applied, item).verdict is Verdict.PASS


def test_production_licence_renewal_window(catalog: ChecklistSet) -> None:
    """条例 art. 25: apply six months (183 days) before expiry; before that, not yet due."""
    item = "cn-production-licence.renewal-before-expiry"
    base = {"company.production_license_products": True, "company.produces": True,
            "production_licence.held": True, "production_licence.renewal_applied": False}
    early = result(catalog, {**base, "production_licence.expires_on": AS_OF + 300 * DAY}, item)
    assert early.verdict is Verdict.PASS
    assert early.due == AS_OF + 117 * DAY
    late = result(catalog, {**base, "production_licence.expires_on": AS_OF + 100 * DAY}, item)
    assert late.verdict is Verdict.FAIL
    assert late.due == AS_OF - 83 * DAY


def test_due_day_reaches_the_calendar(catalog: ChecklistSet) -> None:
    """The ics file, the markdown report and the table show the day a duty falls due."""
    from qcompliance.reports.ics import render_ics

    data = {"schema": "qcompliance/profile/v1",
            "company": {"name": "某某电器有限公司", "ccc_products": True},
            "certification": {"ccc_certificate_holder": True, "ccc_renewal_applied": False,
                              "ccc_earliest_expiry": AS_OF + 30 * DAY}}
    assessment = evaluate(load_profile(data, catalog.facts), catalog, AS_OF)
    text = render_ics(assessment, "en")
    assert "DTSTART;VALUE=DATE:20261229" in text
    assert "Duty falls due" in text
    from qcompliance.reports.markdown import render_markdown
    from qcompliance.reports.table import render_table

    assert "Duty falls due" in render_markdown(assessment, "en")
    assert "到期日 2026-12-29" in render_table(assessment, "zh", width=200)


def test_bad_due_is_a_load_error() -> None:
    """'due' must name a date fact and a param of whole days."""
    from qcompliance import ChecklistError, QComplianceError

    checklist = {
        "schema": "qcompliance/checklist/v1", "id": "x-due", "version": "1",
        "title": {"zh": "测", "en": "t"},
        "sources": [{"id": "s", "title": {"zh": "测", "en": "t"},
                     "issuer": {"zh": "测", "en": "t"}, "verified": "policy"}],
        "items": [{"id": "x-due.a", "title": {"zh": "测", "en": "t"}, "level": "recommended",
                   "severity": "low", "basis": [{"source": "s", "clause": "1"}],
                   "check": {"fact": "company.produces", "eq": True},
                   "evidence": [{"zh": "测", "en": "t"}],
                   "remediation": {"zh": "测", "en": "t"},
                   "due": {"fact": "company.produces"}}],
    }
    with pytest.raises((ChecklistError, QComplianceError), match="date fact"):
        load_checklists([checklist])


# ---------------------------------------------------------------- 5. duties added

@pytest.mark.parametrize(("item_id", "facts", "good", "bad"), [
    ("cn-production-licence.licence-held",
     {"company.production_license_products": True, "company.produces": True,
      "production_licence.expires_on": D(2029, 1, 1)},
     {"production_licence.held": True}, {"production_licence.held": False}),
    ("cn-production-licence.mark-and-number",
     {"company.production_license_products": True, "company.produces": True,
      "production_licence.held": True},
     {"production_licence.mark_on_products": True},
     {"production_licence.mark_on_products": False}),
    ("cn-production-licence.seller-checks-mark",
     {"company.production_license_products": True, "company.sells": True},
     {"production_licence.seller_checks_mark": True},
     {"production_licence.seller_checks_mark": False}),
    ("cn-special-equipment.technical-files",
     {"company.special_equipment_in_use": ["boiler"]},
     {"special_equipment.technical_files": True}, {"special_equipment.technical_files": False}),
    ("cn-special-equipment.certified-staff",
     {"company.special_equipment_in_use": ["crane"]},
     {"special_equipment.staff_certified": True}, {"special_equipment.staff_certified": False}),
    ("cn-special-equipment.lift-maker-guarantee",
     {"company.product_categories": ["special_equipment"],
      "special_equipment.produced_kinds": ["lift"]},
     {"special_equipment.lift_guarantee_years": 5},
     {"special_equipment.lift_guarantee_years": 3}),
    ("cn-special-equipment.producer-staffing",
     {"company.product_categories": ["special_equipment"],
      "special_equipment.produced_kinds": ["pressure_vessel"],
      "special_equipment.producer_director_appointed": True},
     {"special_equipment.producer_director_not_officer": True},
     {"special_equipment.producer_director_not_officer": False}),
    ("cn-quality-responsibility.no-eliminated-products", {"company.produces": True},
     {"quality.eliminated_products_made": False}, {"quality.eliminated_products_made": True}),
    ("cn-quality-responsibility.seller-keeps-quality", {"company.sells": True},
     {"quality.stock_quality_measures": True}, {"quality.stock_quality_measures": False}),
    ("cn-quality-responsibility.no-banned-expired-spoilt-sales", {"company.sells": True},
     {"quality.sells_banned_expired_or_spoilt": False},
     {"quality.sells_banned_expired_or_spoilt": True}),
])
def test_added_duty_passes_and_fails(catalog: ChecklistSet, item_id: str,
                                     facts: dict[str, object], good: dict[str, object],
                                     bad: dict[str, object]) -> None:
    """Each added mandatory duty: a company that meets it passes, one that does not fails."""
    assert item_of(catalog, item_id).level is Level.MANDATORY
    assert result(catalog, {**facts, **good}, item_id).verdict is Verdict.PASS
    assert result(catalog, {**facts, **bad}, item_id).verdict is Verdict.FAIL


def unit(**fields: object) -> dict[str, object]:
    """One special-equipment unit in use since 2024."""
    return {"date": D(2024, 3, 1), "kind": "pressure_vessel", "registration_days": 0,
            "inspection_due": D(2027, 6, 1), "inspection_requested": False, **fields}


def test_special_equipment_registration_and_inspection_windows(catalog: ChecklistSet) -> None:
    """特种设备安全法 arts 33 and 40: inside the window passes, past it fails."""
    registration = "cn-special-equipment.use-registration"
    new = {"date": AS_OF - 10 * DAY, "registration_days": 10}
    vessel = {"company.special_equipment_in_use": ["pressure_vessel"]}
    assert result(catalog, {**vessel, "special_equipment.units": [unit(**new)]},
                  registration).verdict is Verdict.PASS
    assert result(catalog, {**vessel, "special_equipment.units": [unit(registration_days=40)]},
                  registration).verdict is Verdict.FAIL
    inspection = "cn-special-equipment.periodic-inspection-request"
    far, near = unit(inspection_due=AS_OF + 60 * DAY), unit(inspection_due=AS_OF + 20 * DAY)
    assert result(catalog, {**vessel, "special_equipment.units": [far]},
                  inspection).verdict is Verdict.PASS
    assert result(catalog, {**vessel, "special_equipment.units": [near]},
                  inspection).verdict is Verdict.FAIL
    requested = unit(inspection_due=AS_OF + 20 * DAY, inspection_requested=True)
    assert result(catalog, {**vessel, "special_equipment.units": [requested]},
                  inspection).verdict is Verdict.PASS


def test_producer_cycle_and_maintenance(catalog: ChecklistSet) -> None:
    """Order 73 daily/weekly/monthly records and 特种设备安全法 art. 39 maintenance."""
    item = "cn-special-equipment.producer-control-cycle"
    daily = [{"date": d, "issues_found": 0} for d in days(AS_OF - 35 * DAY, AS_OF - DAY)]
    weekly = [{"date": D(2026, 11, 2) + 7 * DAY * i} for i in range(4)]
    monthly = [{"date": D(2026, m, 3)} for m in (8, 9, 10)]
    facts = {"company.product_categories": ["special_equipment"],
             "special_equipment.produced_kinds": ["boiler"],
             "special_equipment.producer_daily_checks": daily,
             "special_equipment.producer_weekly_reviews": weekly,
             "special_equipment.producer_monthly_meetings": monthly}
    assert result(catalog, facts, item).verdict is Verdict.PASS
    no_august = {**facts, "special_equipment.producer_monthly_meetings": monthly[1:]}
    failed = result(catalog, no_august, item)
    assert failed.verdict is Verdict.FAIL
    assert "2026-08" in failed.why.en
    upkeep = "cn-special-equipment.maintenance-and-self-inspection"
    units = {"company.special_equipment_in_use": ["pressure_vessel"]}
    assert result(catalog, {**units, "special_equipment.maintenance_recorded": True},
                  upkeep).verdict is Verdict.PASS
    assert result(catalog, {**units, "special_equipment.maintenance_recorded": False},
                  upkeep).verdict is Verdict.FAIL


CONSUMER = {"company.sells_to_consumers": True, "company.produces": True,
            "company.product_categories": ["household_appliances"]}


def recall(**fields: object) -> dict[str, object]:
    """A consumer goods recall of 2026."""
    return {"date": D(2026, 3, 2), "product": "电暖器 X1", "trigger": "voluntary",
            "stopped_and_notified": True, "consumer_costs_borne": True, **fields}


def test_order_19_recall_as_planned_and_again(catalog: ChecklistSet) -> None:
    """Order 19 arts 20 and 22: no resale of unremedied goods; recall again when needed."""
    planned = "cn-recall.recall-as-planned"
    good = {**CONSUMER, "recall.consumer_goods_recalls": [
        recall(carried_out_as_planned=True, resold_unremedied=False)]}
    resold = {**CONSUMER, "recall.consumer_goods_recalls": [
        recall(carried_out_as_planned=True, resold_unremedied=True)]}
    assert result(catalog, good, planned).verdict is Verdict.PASS
    assert result(catalog, resold, planned).verdict is Verdict.FAIL
    again = "cn-recall.recall-again"
    redone = {**CONSUMER, "recall.consumer_goods_recalls": [
        recall(remedy_failed=True, recalled_again=True)]}
    left = {**CONSUMER, "recall.consumer_goods_recalls": [
        recall(remedy_failed=True, recalled_again=False)]}
    assert result(catalog, redone, again).verdict is Verdict.PASS
    assert result(catalog, left, again).verdict is Verdict.FAIL


# ---------------------------------------------------------------- 6. sources a client can follow

def test_sources_keep_official_reference_apart_from_the_copy_read(catalog: ChecklistSet) -> None:
    """Order 74 names its document number and publisher, and the repository copy read."""
    checklist = next(c for c in catalog if c.id == "cn-quality-officers")
    source = checklist.source("samr-order-74")
    assert source is not None
    assert source.official is not None
    assert source.official.number == "国家市场监督管理总局令第74号"
    assert source.read_in is not None
    assert source.read_in.commit == "2c4bb614c9e07aad1072b93426033840661e104c"
    assert source.read_in.url.startswith("https://github.com/Theonefkguy/Chinese-Laws/blob/")


def test_no_source_links_to_a_bare_ip_address(catalog: ChecklistSet) -> None:
    """A bare IP address as a link is a load error; the catalogue has none."""
    from qcompliance import ChecklistError

    for checklist in catalog:
        for source in checklist.sources:
            assert not (source.url or "").startswith(("http://39.", "http://218."))
    bad = {
        "schema": "qcompliance/checklist/v1", "id": "x-ip", "version": "1",
        "title": {"zh": "测", "en": "t"},
        "sources": [{"id": "s", "title": {"zh": "测", "en": "t"}, "issuer": {"zh": "测", "en": "t"},
                     "verified": "secondary", "read_in": {"url": "http://39.96.34.76/a.html"}}],
        "items": [{"id": "x-ip.a", "title": {"zh": "测", "en": "t"}, "level": "recommended",
                   "severity": "low", "basis": [{"source": "s", "clause": "1"}],
                   "check": {"fact": "company.produces", "eq": True},
                   "evidence": [{"zh": "测", "en": "t"}], "remediation": {"zh": "测", "en": "t"}}],
    }
    with pytest.raises(ChecklistError, match="bare IP address"):
        load_checklists([bad])
