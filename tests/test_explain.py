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
    """A fail names the label, key, value found and the rule, in both languages."""
    verdict, zh, en = _why({"all": [{"fact": "company.produces", "eq": True},
                                    {"fact": "company.employees", "ge": 10}]},
                           {"company": {"produces": True, "employees": 3}})
    assert verdict is Verdict.FAIL
    assert zh == "不符合：从业人员（company.employees）为 3人，要求不小于 10：不满足"
    assert en == ("Fail: Staff (company.employees) is 3 persons; required: is at least 10: "
                  "not met")


def test_unknown_lists_the_missing_fact() -> None:
    """An unknown verdict names the fact to collect."""
    verdict, zh, en = _why({"fact": "company.employees", "ge": 10}, {"company": {}})
    assert verdict is Verdict.UNKNOWN
    assert zh.endswith("从业人员（company.employees）未提供")
    assert en.endswith("Staff (company.employees) is not given")


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
    assert "days > 10" in en
    assert "last 30 days" in en
    assert "param" not in en + zh
    assert "1 records" in en
