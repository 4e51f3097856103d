"""Explanations: the facts read, the deciding leaf, negation and params, in zh and en."""

from __future__ import annotations

import datetime as dt

from qcompliance import Verdict, evaluate, load_checklists, load_profile

AS_OF = dt.date(2026, 11, 20)


def _checklist(check: dict[str, object], params: dict[str, object] | None = None
               ) -> dict[str, object]:
    item: dict[str, object] = {
        "id": "t-x.item", "title": {"zh": "条目", "en": "Item"}, "level": "mandatory",
        "severity": "high", "basis": [{"source": "s", "clause": "第一条"}], "check": check,
        "evidence": [{"zh": "证据", "en": "Evidence"}], "remediation": {"zh": "改", "en": "Fix"},
    }
    if params:
        item["params"] = params
    return {
        "schema": "qcompliance/checklist/v1", "id": "t-x", "version": "1",
        "title": {"zh": "测试", "en": "Test"},
        "sources": [{"id": "s", "title": {"zh": "法", "en": "Law"},
                     "issuer": {"zh": "机关", "en": "Authority"}, "verified": "policy"}],
        "facts": [{"key": "x.logs", "type": "records", "label": {"zh": "记录", "en": "Logs"},
                   "question": {"zh": "记录？", "en": "Logs?"},
                   "fields": [{"key": "date", "type": "date", "label": {"zh": "日", "en": "Day"},
                               "question": {"zh": "日？", "en": "Day?"}},
                              {"key": "days", "type": "int", "label": {"zh": "天", "en": "Days"},
                               "question": {"zh": "天？", "en": "Days?"}}]}],
        "items": [item],
    }


def _why(check: dict[str, object], profile: dict[str, object],
         params: dict[str, object] | None = None) -> tuple[Verdict, str, str]:
    checklists = load_checklists([_checklist(check, params)])
    result = evaluate(load_profile(profile, checklists.facts), checklists, AS_OF).results[0]
    return result.verdict, result.why.zh, result.why.en


def test_failing_leaf_names_fact_value_and_rule() -> None:
    """A fail names the fact by its label (no key), the value found with its unit and the rule
    with its unit, in both languages."""
    verdict, zh, en = _why({"all": [{"fact": "company.produces", "eq": True},
                                    {"fact": "company.employees", "ge": 10}]},
                           {"company": {"produces": True, "employees": 3}})
    assert verdict is Verdict.FAIL
    assert zh == "不符合：从业人员为 3人，要求不小于 10人：不满足"
    assert en == ("Fail: Staff is 3 persons; required: is at least 10 persons: not met")


def test_unknown_lists_the_missing_fact() -> None:
    """An unknown verdict names the fact to collect."""
    verdict, zh, en = _why({"fact": "company.employees", "ge": 10}, {"company": {}})
    assert verdict is Verdict.UNKNOWN
    assert zh.endswith("从业人员未提供")
    assert en.endswith("Staff is not given")


def test_negation_is_folded_into_the_rule() -> None:
    """Under 'not', the sentence states the inverse rule and whether it is met."""
    verdict, zh, en = _why({"not": {"fact": "company.produces", "eq": True}},
                           {"company": {"produces": True}})
    assert verdict is Verdict.FAIL
    assert "要求不等于 是：不满足" in zh
    assert "required: differs from yes: not met" in en


def test_count_explanation_shows_param_values() -> None:
    """A count's where and window show the figures, not the param names."""
    check = {"count": "x.logs", "where": {"fact": "days", "gt": {"param": "limit"}},
             "since_days": {"param": "window"}, "eq": 0}
    logs = [{"date": AS_OF, "days": 12}, {"date": AS_OF - dt.timedelta(days=40), "days": 20}]
    verdict, zh, en = _why(check, {"x": {"logs": logs}}, {"limit": 10, "window": 30})
    assert verdict is Verdict.FAIL
    assert "where Days is more than 10" in en
    assert "last 30 days" in en
    assert "param" not in en + zh
    assert "1 records" in en


def test_missing_fact_is_named_once() -> None:
    """A fact missing from two branches appears once in the explanation."""
    verdict, zh, en = _why({"any": [{"fact": "company.employees", "ge": 10},
                                    {"fact": "company.employees", "le": 2}]}, {"company": {}})
    assert verdict is Verdict.UNKNOWN
    assert zh.count("从业人员") == 1
    assert en.count("Staff") == 1


def test_values_by_label_and_figures_grouped_with_units() -> None:
    """Enum values read as their labels (no code in brackets); big figures are grouped and
    keep their unit."""
    verdict, zh, en = _why({"fact": "company.revenue_10k_yuan", "ge": 2000},
                           {"company": {"revenue_10k_yuan": 1500}})
    assert verdict is Verdict.FAIL
    assert "要求不小于 2,000万元" in zh
    verdict, zh, en = _why({"fact": "company.size", "in": ["large", "medium"]},
                           {"company": {"size": "small"}})
    assert "小型，要求属于 大型、中型" in zh
    assert "(small)" not in en
    assert "small" in en


def test_key_and_syntax_stay_out_of_the_demo_explanations() -> None:
    """No explanation of the demo profile shows a fact key, a raw enum code of a labelled
    fact, or condition syntax."""
    import re

    from conftest import ROOT

    checklists = load_checklists()
    profile = load_profile(ROOT / "examples" / "small-food-producer.toml", checklists.facts)
    keys = set(checklists.facts)
    for result in evaluate(profile, checklists, AS_OF).results:
        for text in (result.why.zh, result.why.en):
            assert not any(key in text for key in keys), text
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text
            assert "count(" not in text
            assert " = " not in text


def test_opportunity_never_reads_as_a_failure() -> None:
    """An opportunity the company does not qualify for yet is not "不符合"."""
    checklists = load_checklists()
    from conftest import ROOT

    profile = load_profile(ROOT / "examples" / "small-food-producer.toml", checklists.facts)
    opportunities = [r for r in evaluate(profile, checklists, AS_OF).results
                     if r.kind.value == "opportunity" and r.verdict.value in ("pass", "fail")]
    assert opportunities
    for result in opportunities:
        assert not result.why.zh.startswith("不符合")
        assert not result.why.en.startswith("Fail")
        assert result.why.zh.startswith(("可能符合条件", "暂不符合条件"))


def test_rule_with_its_own_size_test_says_why_the_duty_applies() -> None:
    """Order 75 art. 18 counts staff OR revenue: an 80-person maker with revenue of 3,000万元
    (small by the statistics) must appoint a director, and the failure says why."""
    checklists = load_checklists(["cn-quality-officers"])
    profile = load_profile({"company": {
        "produces": True, "sells": True, "product_categories": ["electronics"],
        "production_license_products": False, "ccc_products": False,
        "mandatory_standard_products": True, "employees": 80, "revenue_10k_yuan": 3000,
        "industry": "C", "size": "small"},
        "quality_safety": {"director_appointed": False}}, checklists.facts)
    results = {r.item: r for r in evaluate(profile, checklists, AS_OF).results}
    director = [r for r in results.values() if r.verdict is Verdict.FAIL
                and "营业收入为 3,000万元" in r.why.zh]
    assert director, [r.why.zh for r in results.values() if r.verdict is Verdict.FAIL]
    assert "适用原因" in director[0].why.zh
    assert "size test" in director[0].why.en
