"""The interview step by step, as a web form drives it: question numbers, plain re-asks of
gating questions, the quick interview and its budget, grouped screens, and ask_fact."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from test_interview import ANSWERS, _full_checklist, _item, asked, checklist, run, scripted

from conftest import AS_OF, ROOT
from qcompliance import load_checklists, load_profile
from qcompliance.model import FactType
from qcompliance.selfcheck import GATES, AnswerError, Interview, Prompt

# ---------------------------------------------------------------- the short interview

def _step(interview: Interview, answers: Mapping[str, object]) -> list[Prompt]:
    """Drive ``interview`` step by step (as a web form would); every prompt shown."""
    shown = []
    while (prompt := interview.current()) is not None:
        shown.append(prompt)
        assert interview.submit(answers.get(prompt.key, "?")) is None or prompt.key in answers
    return shown


def test_step_api_gives_questions_and_takes_answers() -> None:
    """current() gives the question with its place; submit() accepts or says why not, and the
    same question comes again until an answer fits."""
    checks = checklist([_item("a", {"fact": "tiv.n", "ge": 1})])
    interview = Interview(checks, "en", AS_OF)
    first = interview.current()
    assert first is not None
    assert first is interview.current()  # the same until answered
    assert (first.number, first.key) == (1, "company.name")
    assert first.total >= first.number
    assert first.text.startswith(f"[Question 1 of about {first.total}] ({first.key})")
    assert first.section is not None
    assert first.section.en == "About the company"
    while (prompt := interview.current()) is not None and prompt.key != "tiv.n":
        interview.submit("?")
    assert prompt is not None
    error = interview.submit("many")
    assert isinstance(error, AnswerError)
    again = interview.current()
    assert again is not None
    assert (again.key, again.attempt, again.number) == ("tiv.n", 1, prompt.number)
    assert again.error is not None
    assert "whole number" in again.error
    assert interview.submit("3") is None
    assert interview.current() is None
    assert interview.facts["tiv.n"].value == 3
    assert again.total >= again.number
    with pytest.raises(ValueError, match="over"):
        interview.submit("1")


def test_question_numbers_count_up_and_estimate_the_rest() -> None:
    """Every question says 'n of about N' (第 n 题，共约 N 题); n counts up by one."""
    checks = _full_checklist()
    shown = _step(Interview(checks, "zh", AS_OF), ANSWERS)
    facts = [p for p in shown if p.kind != "field" and p.attempt == 0 and not p.plain]
    assert [p.number for p in facts] == list(range(1, len(facts) + 1))
    assert all(p.total >= p.number for p in facts)
    assert abs(facts[-1].total - len(facts)) <= 2
    assert facts[0].text.startswith(f"[第 1 题，共约 {facts[0].total} 题]")
    fields = [p for p in shown if p.kind == "field"]
    assert fields
    count = next(p for p in facts if p.key == "tiv.logs")
    assert {(p.number, p.total) for p in fields} == {(count.number, count.total)}
    assert fields[0].record == (1, 1)
    assert fields[0].notes == ("第 1/1 条",)


def test_unknown_gating_answer_is_asked_again_plainly_with_the_likely_answer() -> None:
    """'?' on a gating question asks it again in plainer words; an empty answer takes the
    likely answer; a second '?' leaves it unknown."""
    checks = load_checklists(["cn-recall"])
    interview = Interview(checks, "zh", AS_OF)
    assert interview.submit("甲公司") is None  # company.name
    assert interview.submit("y") is None  # company.produces
    sells = interview.current()
    assert sells is not None
    assert sells.key == "company.sells"
    interview.submit("?")
    plain = interview.current()
    assert plain is not None
    assert (plain.key, plain.plain, plain.likely, plain.number, plain.total) == (
        "company.sells", True, "是", sells.number, sells.total)
    assert sells.spec.help is not None
    assert sells.spec.help.zh not in plain.text  # the plain wording stands alone
    assert "换个问法" in plain.text
    assert "可能是：是" in plain.text
    assert interview.submit("") is None
    assert interview.facts["company.sells"].value is True
    categories = interview.current()
    assert categories is not None
    assert categories.key == "company.product_categories"
    interview.submit("?")
    again = interview.current()
    assert again is not None
    assert again.plain
    assert again.likely is None  # nothing suggests an answer
    interview.submit("?")
    assert "company.product_categories" in interview.unknown


def test_unknown_gate_prunes_its_dependent_questions() -> None:
    """A checklist that applies only to exporters asks nothing when exporting is unknown."""
    checks = checklist([_item("a", {"fact": "tiv.a", "eq": True}),
                        _item("b", {"fact": "tiv.b", "eq": True})],
                       applies={"fact": "company.exports", "eq": True})
    unknown = run(checks, {"company.exports": "?"})
    assert unknown[1] == []
    assert "company.exports" in unknown[0].unknown
    assert run(checks, {"company.exports": "y"})[1] == ["tiv.a", "tiv.b"]


def test_quick_asks_applicability_then_the_mandatory_facts_most_serious_first() -> None:
    """--quick asks whether mandatory items apply first, then the facts of the applicable
    mandatory items, critical before high, and nothing about encouraged items."""
    checks = checklist([
        _item("m", {"fact": "tiv.a", "eq": True}, applies={"fact": "tiv.gate", "eq": True}),
        _item("c", {"fact": "tiv.b", "eq": True}, severity="critical"),
        _item("e", {"fact": "tiv.n", "ge": 1}, applies={"fact": "tiv.old", "eq": True},
              level="encouraged"),
    ])
    log: list[Prompt] = []
    Interview(checks, "zh", AS_OF, quick=True).run(scripted({"tiv.gate": "y"}, log))
    assert asked(log) == ["tiv.gate", "tiv.b", "tiv.a"]
    log.clear()
    Interview(checks, "zh", AS_OF, quick=True).run(scripted({"tiv.gate": "n"}, log))
    assert asked(log) == ["tiv.gate", "tiv.b"]  # a duty that does not apply asks nothing
    assert run(checks, {"tiv.gate": "y", "tiv.old": "y"})[1] == [
        "tiv.gate", "tiv.a", "tiv.b", "tiv.old", "tiv.n"]


def test_quick_budget_stops_the_duty_facts_not_the_applicability_questions(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the budget is spent no more duty facts are asked, but what decides whether a
    duty applies always is; the duty left out is counted as left for the full self-check."""
    import qcompliance.selfcheck.questions as questions

    checks = checklist([
        _item("m", {"fact": "tiv.a", "eq": True}, applies={"fact": "tiv.gate", "eq": True}),
        _item("c", {"fact": "tiv.b", "eq": True}, severity="critical"),
    ])
    monkeypatch.setattr(questions, "QUICK_QUESTIONS", 4)  # name, size, gate, one fact
    log: list[Prompt] = []
    interview = Interview(checks, "zh", AS_OF, quick=True)
    interview.run(scripted({"tiv.gate": "y", "tiv.b": "y"}, log))
    assert asked(log) == ["tiv.gate", "tiv.b"]
    assert [p.total for p in log] == [4, 4, 4, 4]
    assert interview.duty_coverage() == (1, 1)


def test_grouped_screen_holds_independent_yes_no_facts_of_one_section() -> None:
    """With ``grouped``, open yes/no facts of one checklist that do not decide each other's
    asking share a screen, which counts as one question; coupled ones stay apart."""
    checks = checklist([
        _item("a", {"fact": "tiv.a", "eq": True}),
        _item("b", {"fact": "tiv.b", "eq": True}),
        _item("c", {"any": [{"fact": "tiv.gate", "eq": True}, {"fact": "tiv.old", "eq": True}]}),
    ])
    interview = Interview(checks, "zh", AS_OF, grouped=True)
    screens: list[list[str]] = []
    while (prompt := interview.current()) is not None:
        shown = [p.key for p in interview.screen()]
        if shown[0] == prompt.key and prompt.attempt == 0 and not prompt.plain:
            screens.append(shown)
            assert {p.number for p in interview.screen()} == {len(screens)}
        interview.submit("n" if prompt.key.startswith("tiv.") else "?")
    assert [s for s in screens if s[0].startswith("tiv.")] == [
        ["tiv.a", "tiv.b", "tiv.gate"], ["tiv.old"]]
    assert interview.screens == len(screens)
    assert interview.asked == sum(len(s) for s in screens)


def test_quick_interview_of_the_small_food_producer_is_short() -> None:
    """In the terminal (one fact a question) the small food producer's quick interview stays
    within the budget of 45 questions, asking what decides applicability first; the facts
    of duties not asked come out unknown, never as passes."""
    checks = load_checklists()
    profile = load_profile(ROOT / "examples" / "small-food-producer.toml", checks.facts)

    def typed(prompt: Prompt) -> object:
        fact = profile.facts.get(prompt.key)
        if fact is None or fact.derived_from:
            return "?"
        return list(fact.value) if isinstance(fact.value, tuple) else fact.value

    interview = Interview(checks, "zh", AS_OF, quick=True)
    interview.run(typed)
    assert interview.asked <= 45
    assert not interview.unknown or len(interview.unknown) <= 3
    full = Interview(checks, "zh", AS_OF)
    full.run(typed)
    assert full.asked > 2 * interview.asked


# ---------------------------------------------------------------- gating questions and ask_fact

def test_gating_questions_fit_the_facts_dictionary() -> None:
    """Every gating question is a declared company fact; every choice its plain wording names,
    and every likely answer, is one of the fact's values."""
    import re

    specs = load_checklists().facts
    for found in GATES:
        spec = specs[found.key]
        assert found.plain.zh
        assert found.plain.en
        named = set(re.findall(r"\b([a-z]+_[a-z_]+|food|services)\b", found.plain.en))
        named |= set(re.findall(r"\b([A-T])\b(?= \()", found.plain.en))
        if spec.values:
            assert named <= set(spec.values), found.key
        for values in ({}, {"company.produces": True}, {"company.industry": "F"},
                       {"company.produces": False, "company.sells": True},
                       {"company.product_categories": ("food",)}):
            likely = found.likely(values)
            if likely is not None and spec.values:
                assert likely in spec.values
            if likely is not None and spec.type is FactType.BOOL:
                assert isinstance(likely, bool)


def test_ask_fact_asks_one_fact_to_the_end() -> None:
    """ask_fact (with next_question) asks one fact: a records count and its fields, or a
    gating question and its plain re-ask."""
    checks = checklist([_item("a", {"count": "tiv.logs", "ge": 1})])
    interview = Interview(checks, "zh", AS_OF)
    log: list[Prompt] = []
    interview.ask_fact("tiv.logs", scripted({"tiv.logs": "1", "tiv.logs[0].ok": "y"}, log))
    assert [p.key for p in log] == ["tiv.logs", "tiv.logs[0].date", "tiv.logs[0].ok",
                                    "tiv.logs[0].note"]
    assert interview.facts["tiv.logs"].value == ({"ok": True},)
    log.clear()
    interview.ask_fact("company.exports", scripted({}, log))
    assert [(p.key, p.plain) for p in log] == [("company.exports", False),
                                               ("company.exports", True)]
    assert interview.unknown == ["company.exports"]
    found = interview.next_question()
    assert found is not None
    assert found[0] not in ("tiv.logs", "company.exports")
