"""The profile interview: what it asks, in which order, and how it reads answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import pytest

from conftest import AS_OF
from qcompliance import load_checklists
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.model import FactSpec, FactType, Text
from qcompliance.selfcheck import (
    GATES,
    UNKNOWN,
    AnswerError,
    Interview,
    Prompt,
    parse_answer,
)

T = {"zh": "测试", "en": "Test"}


def _fact(key: str, type_: str, **kw: object) -> dict[str, object]:
    return {"key": key, "type": type_, "label": {"zh": key, "en": key},
            "question": {"zh": f"{key}？", "en": f"{key}?"}, **kw}


def _item(name: str, check: Mapping[str, object], applies: Mapping[str, object] | None = None,
          **kw: object) -> dict[str, object]:
    out: dict[str, object] = {
        "id": f"t-iv.{name}", "title": T, "level": "mandatory", "severity": "high",
        "basis": [{"source": "law", "clause": "1"}], "check": dict(check),
        "evidence": [T], "remediation": T, **kw}
    if applies is not None:
        out["applies"] = dict(applies)
    return out


FACTS = [
    _fact("tiv.gate", "bool"),
    _fact("tiv.a", "bool"),
    _fact("tiv.b", "bool"),
    _fact("tiv.n", "int", unit={"zh": "年", "en": "years"}),
    _fact("tiv.when", "date", past_only=True),
    _fact("tiv.kind", "enum", values=["big", "small"],
          value_labels={"big": {"zh": "大", "en": "big"}, "small": {"zh": "小", "en": "small"}}),
    _fact("tiv.tags", "list", values=["x", "y", "z"]),
    _fact("tiv.logs", "records", fields=[_fact("date", "date"), _fact("ok", "bool"),
                                         _fact("note", "string")]),
    _fact("tiv.old", "bool"),
]


def checklist(items: list[dict[str, object]], applies: Mapping[str, object] | None = None
              ) -> ChecklistSet:
    """A one-checklist set built from ``items`` over the test facts."""
    data: dict[str, object] = {
        "schema": "qcompliance/checklist/v1", "id": "t-iv", "version": "1", "title": T,
        "sources": [{"id": "law", "title": T, "issuer": T, "verified": "policy"}],
        "facts": FACTS, "items": items}
    if applies is not None:
        data["applies"] = dict(applies)
    return load_checklists([data])


def scripted(answers: Mapping[str, object], log: list[Prompt]) -> Callable[[Prompt], object]:
    """An ask callable that answers from ``answers`` ("?" for the rest) and logs prompts."""
    def ask(prompt: Prompt) -> object:
        log.append(prompt)
        return answers.get(prompt.key, "?")

    return ask


def asked(log: list[Prompt], prefix: str = "tiv.") -> list[str]:
    """The keys asked that start with ``prefix``, first attempts only."""
    return [p.key for p in log if p.key.startswith(prefix) and p.attempt == 0]


def run(checks: ChecklistSet, answers: Mapping[str, object]) -> tuple[Interview, list[str]]:
    """Run an interview with scripted answers; return it and the test keys asked."""
    log: list[Prompt] = []
    interview = Interview(checks, "zh", AS_OF)
    interview.run(scripted(answers, log))
    return interview, asked(log)


def spec(type_: str, **kw: object) -> FactSpec:
    """A fact declaration of ``type_`` for parsing tests."""
    return FactSpec("t.x", FactType(type_), Text("x", "x"), Text("x?", "x?"), **kw)  # type: ignore[arg-type]


ANSWERS = {"company.name": "测试 \"引号\" 公司", "company.credit_code": "91350100M000100Y43",
           "company.industry": "C", "company.employees": "68",
           "company.revenue_10k_yuan": "3800.5", "company.produces": "y",
           "company.product_categories": "industrial_products, 11",
           "tiv.gate": "y", "tiv.a": "n", "tiv.when": "2025-06-30", "tiv.logs": "1",
           "tiv.logs[0].date": "2026-11-01", "tiv.logs[0].ok": "n", "tiv.logs[0].note": "x"}


def _full_checklist() -> ChecklistSet:
    return checklist([
        _item("a", {"fact": "tiv.a", "eq": True}, applies={"fact": "tiv.gate", "eq": True}),
        _item("w", {"fact": "tiv.when", "within_days": 365}),
        _item("l", {"count": "tiv.logs", "ge": 1}),
        _item("b", {"fact": "tiv.b", "eq": True}),
    ])


# ---------------------------------------------------------------- parsing answers

@pytest.mark.parametrize(("type_", "text", "value"), [
    ("bool", "y", True), ("bool", "是", True), ("bool", "YES", True), ("bool", "否", False),
    ("bool", "n", False), ("bool", "false", False),
    ("int", "42", 42), ("int", "1,200", 1200), ("int", "-3", -3),
    ("number", "2.5", 2.5), ("number", "3800", 3800),
    ("date", "2024-03-01", dt.date(2024, 3, 1)),
    ("string", " 某某公司 ", "某某公司"),
])
def test_scalar_answers(type_: str, text: str, value: object) -> None:
    """Typed answers become values of the fact's type."""
    assert parse_answer(spec(type_), text, as_of=AS_OF) == value


@pytest.mark.parametrize("text", ["2024/03/01", "2024.3.1", "2024年3月1日"])
def test_dates_as_spreadsheets_and_people_write_them(text: str) -> None:
    """A date typed or exported with slashes, dots or 年月日 is the same day."""
    spec = FactSpec("x.day", FactType.DATE, Text("日", "day"), Text("?", "?"))
    assert parse_answer(spec, text, as_of=AS_OF) == dt.date(2024, 3, 1)


@pytest.mark.parametrize("text", ["?", "？", "unknown", "Unknown", "不知道", " 不清楚 "])
def test_unknown_answers(text: str) -> None:
    """'?', 'unknown' and '不知道' mean the fact is left out."""
    assert parse_answer(spec("int"), text) is UNKNOWN


@pytest.mark.parametrize(("type_", "text", "message"), [
    ("bool", "maybe", "y/n"), ("int", "many", "whole number"), ("int", "1.5", "whole number"),
    ("number", "nan", "number"), ("date", "2024-13-01", "YYYY-MM-DD"),
    ("date", "2024-02-30", "YYYY-MM-DD"), ("int", "", "type ?"),
])
def test_wrong_answers_say_what_is_expected(type_: str, text: str, message: str) -> None:
    """A wrong answer raises AnswerError saying, in both languages, what is expected."""
    with pytest.raises(AnswerError) as caught:
        parse_answer(spec(type_), text)
    assert message in caught.value.text.en
    assert caught.value.text.zh


def test_enum_by_value_number_or_label() -> None:
    """An enum answer may be the value, its number in the shown list, or its label."""
    kind = spec("enum", values=("big", "small"),
                value_labels={"small": Text("小", "tiny")})
    assert parse_answer(kind, "small") == "small"
    assert parse_answer(kind, "2") == "small"
    assert parse_answer(kind, "小") == "small"
    assert parse_answer(kind, "TINY") == "small"
    with pytest.raises(AnswerError, match="did you mean 'small'"):
        parse_answer(kind, "smal")
    with pytest.raises(AnswerError, match="outside 1–2"):
        parse_answer(kind, "3")


def test_list_answers() -> None:
    """A list answer is comma-separated values or numbers; 无/none is the empty list."""
    tags = spec("list", values=("x", "y", "z"))
    assert parse_answer(tags, "x, 3") == ("x", "z")
    assert parse_answer(tags, "y，x、y") == ("y", "x")
    assert parse_answer(tags, "无") == ()
    assert parse_answer(tags, ["z"]) == ("z",)
    with pytest.raises(AnswerError):
        parse_answer(tags, "x, w")


def test_past_only_date_in_future_is_rejected() -> None:
    """A past-only date after the assessment day is rejected; on the day it is fine."""
    when = spec("date", past_only=True)
    with pytest.raises(AnswerError, match="after the assessment day 2026-11-20"):
        parse_answer(when, "2026-11-21", as_of=AS_OF)
    assert parse_answer(when, "2026-11-20", as_of=AS_OF) == AS_OF


def test_credit_code_is_checked_and_upper_cased() -> None:
    """A credit code answer is checked against GB 32100 and upper-cased."""
    code = FactSpec("company.credit_code", FactType.STRING, Text("c", "c"), Text("c?", "c?"))
    assert parse_answer(code, "91350100m000100y43") == "91350100M000100Y43"
    with pytest.raises(AnswerError) as caught:
        parse_answer(code, "91350100M000100Y44")
    assert "末位应为“3”" in caught.value.text.zh
    assert "should be '3'" in caught.value.text.en


# ---------------------------------------------------------------- what is asked

def test_company_questions_come_first() -> None:
    """Every company question is asked before any checklist question: the name, then the
    gating questions, then the others."""
    checks = checklist([_item("a", {"fact": "tiv.a", "eq": True})])
    log: list[Prompt] = []
    Interview(checks, "zh", AS_OF).run(scripted({}, log))
    keys = [p.key for p in log]
    first_other = next(i for i, k in enumerate(keys) if not k.startswith("company."))
    assert all(k.startswith("company.") for k in keys[:first_other])
    gates = [g.key for g in GATES]
    firsts = list(dict.fromkeys(keys[:first_other]))
    assert firsts[0] == "company.name"
    assert firsts[1:len(gates) + 1] == gates
    assert keys[first_other:] == ["tiv.a"]


def test_inapplicable_item_asks_nothing() -> None:
    """An item whose applies is already false never asks its check's facts."""
    checks = checklist([_item("a", {"fact": "tiv.a", "eq": True},
                              applies={"fact": "tiv.gate", "eq": True})])
    assert run(checks, {"tiv.gate": "n"})[1] == ["tiv.gate"]
    assert run(checks, {"tiv.gate": "y"})[1] == ["tiv.gate", "tiv.a"]
    # Unknown whether it applies: its details are not asked (they are listed to fill in).
    assert run(checks, {"tiv.gate": "?"})[1] == ["tiv.gate"]


def test_inapplicable_checklist_asks_nothing() -> None:
    """A checklist whose applies is false asks nothing beyond that condition."""
    checks = checklist([_item("a", {"fact": "tiv.a", "eq": True}),
                        _item("b", {"fact": "tiv.b", "eq": True})],
                       applies={"fact": "tiv.gate", "eq": True})
    assert run(checks, {"tiv.gate": "否"})[1] == ["tiv.gate"]
    assert run(checks, {"tiv.gate": "是"})[1] == ["tiv.gate", "tiv.a", "tiv.b"]


def test_decided_condition_asks_no_more() -> None:
    """Once a check is decided by earlier answers, its other facts are not asked."""
    checks = checklist([_item("a", {"any": [{"fact": "tiv.a", "eq": True},
                                            {"fact": "tiv.b", "eq": True}]})])
    assert run(checks, {"tiv.a": "y"})[1] == ["tiv.a"]
    assert run(checks, {"tiv.a": "n"})[1] == ["tiv.a", "tiv.b"]


def test_exists_test_still_asks() -> None:
    """A fact tested with 'exists' is asked although its test is decided while missing."""
    checks = checklist([_item("a", {"fact": "tiv.a", "eq": True},
                              applies={"not": {"fact": "tiv.old", "exists": True}})])
    assert run(checks, {"tiv.old": "y"})[1] == ["tiv.old"]


def test_items_out_of_force_ask_nothing() -> None:
    """An item no longer in force on the assessment day asks nothing."""
    checks = checklist([_item("a", {"fact": "tiv.a", "eq": True},
                              effective_until=dt.date(2020, 1, 1))])
    assert run(checks, {})[1] == []


def test_consumer_recall_never_asked_without_consumer_sales() -> None:
    """A company that sells no consumer products is never asked about consumer recalls."""
    checks = load_checklists(["cn-recall"])
    answers = {"company.sells_to_consumers": "n", "company.produces": "y",
               "company.sells": "y", "company.imports": "n",
               "company.product_categories": "industrial_products"}
    log: list[Prompt] = []
    Interview(checks, "zh", AS_OF).run(scripted(answers, log))
    keys = [p.key for p in log]
    assert "company.sells_to_consumers" in keys
    assert not [k for k in keys if k.startswith("recall.")]


def test_consumer_recall_asked_with_consumer_sales() -> None:
    """A producer of consumer electronics is asked about consumer product recalls."""
    checks = load_checklists(["cn-recall"])
    answers = {"company.sells_to_consumers": "y", "company.produces": "y",
               "company.product_categories": "electronics", "recall.incident_reports": "0",
               "recall.consumer_goods_recalls": "0"}
    log: list[Prompt] = []
    Interview(checks, "zh", AS_OF).run(scripted(answers, log))
    keys = [p.key for p in log]
    assert "recall.defect_info_system" in keys
    assert "vehicle_recall.recalls" not in keys


def test_size_class_derived_is_not_asked() -> None:
    """When staff and revenue settle the size class, it is not asked but told."""
    checks = checklist([_item("a", {"fact": "company.size", "eq": "small"})])
    log: list[Prompt] = []
    told: list[str] = []
    interview = Interview(checks, "zh", AS_OF)
    interview.run(scripted({"company.industry": "C", "company.employees": "68",
                            "company.revenue_10k_yuan": "3800"}, log), told.append)
    keys = [p.key for p in log]
    assert "company.size" not in keys
    assert "company.industry_detail" not in keys  # manufacturing needs no detail
    assert "company.total_assets_10k_yuan" not in keys  # nor assets
    assert any("小型" in line for line in told)
    assert interview.values()["company.size"] == "small"


def test_wrong_answer_is_asked_again_with_the_reason() -> None:
    """A rejected answer re-asks the same question, saying why."""
    checks = checklist([_item("a", {"fact": "tiv.n", "ge": 1})])
    replies = iter(["many", "-", "5"])
    log: list[Prompt] = []

    def ask(prompt: Prompt) -> str:
        log.append(prompt)
        return next(replies) if prompt.key == "tiv.n" else "?"

    interview = Interview(checks, "en", AS_OF)
    interview.run(ask)
    tries = [p for p in log if p.key == "tiv.n"]
    assert [p.attempt for p in tries] == [0, 1, 2]
    assert tries[0].error is None
    assert tries[1].error is not None
    assert "whole number" in tries[1].error
    assert interview.facts["tiv.n"].value == 5


def test_prompt_shows_question_help_unit_and_choices() -> None:
    """A prompt shows the question, unit and numbered choices with their labels."""
    checks = checklist([_item("a", {"fact": "tiv.n", "ge": 1}),
                        _item("b", {"fact": "tiv.kind", "eq": "big"})])
    log: list[Prompt] = []
    Interview(checks, "zh", AS_OF).run(scripted({}, log))
    by_key = {p.key: p for p in log}
    assert "tiv.n？" in by_key["tiv.n"].text
    assert "单位：年" in by_key["tiv.n"].text
    assert "1) big 大" in by_key["tiv.kind"].text
    assert by_key["tiv.kind"].choices == (("big", Text("大", "big")),
                                          ("small", Text("小", "small")))
    assert "2) small 小" in by_key["tiv.kind"].text
    assert by_key["tiv.kind"].hint.endswith("> ")


def test_records_are_asked_count_then_fields() -> None:
    """A records fact asks how many records, then each field; '?' leaves a field out."""
    checks = checklist([_item("a", {"count": "tiv.logs", "ge": 1})])
    answers = {"tiv.logs": "2", "tiv.logs[0].date": "2026-11-01", "tiv.logs[0].ok": "y",
               "tiv.logs[0].note": "一切正常", "tiv.logs[1].date": "2026-11-02",
               "tiv.logs[1].ok": "?", "tiv.logs[1].note": "?"}
    interview, keys = run(checks, answers)
    assert keys[0] == "tiv.logs"
    assert interview.facts["tiv.logs"].value == (
        {"date": dt.date(2026, 11, 1), "ok": True, "note": "一切正常"},
        {"date": dt.date(2026, 11, 2)},
    )


def test_records_count_zero_and_unknown() -> None:
    """Zero records is an empty list; an unknown count leaves the fact out."""
    checks = checklist([_item("a", {"count": "tiv.logs", "ge": 1})])
    assert run(checks, {"tiv.logs": "0"})[0].facts["tiv.logs"].value == ()
    interview = run(checks, {"tiv.logs": "?"})[0]
    assert "tiv.logs" not in interview.facts
    assert "tiv.logs" in interview.unknown


def test_interrupted_interview_keeps_answers() -> None:
    """What was answered before an interruption stays in the interview."""
    checks = checklist([_item("a", {"fact": "tiv.a", "eq": True})])

    def ask(prompt: Prompt) -> str:
        if prompt.key == "company.province":
            raise KeyboardInterrupt
        return "测试公司" if prompt.key == "company.name" else "?"

    interview = Interview(checks, "zh", AS_OF)
    with pytest.raises(KeyboardInterrupt):
        interview.run(ask)
    assert interview.facts["company.name"].value == "测试公司"
