"""The profile interview: what it asks, in which order, how it reads answers, what it writes."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import AS_OF, ROOT
from qcompliance import load_checklists, load_profile
from qcompliance.cli.main import app as qcheck_app
from qcompliance.errors import InputError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.model import FactSpec, FactType, FactValue, Text
from qcompliance.selfcheck import (
    GATES,
    UNKNOWN,
    AnswerError,
    Interview,
    Prompt,
    interview_from_answers,
    parse_answer,
    read_answers,
    read_records_file,
    records_template,
    render_profile,
    toml_value,
    update_profile,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

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


# ---------------------------------------------------------------- writing and resuming

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


def test_written_profile_loads_with_the_same_values(tmp_path: Path) -> None:
    """The profile written from the answers loads with load_profile to the same values."""
    checks = _full_checklist()
    interview, _ = run(checks, ANSWERS)
    text = interview.profile_text()
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    loaded = load_profile(path, checks.facts)
    given = {k: v for k, v in loaded.facts.items() if not v.derived_from}
    assert {k: v.value for k, v in given.items()} == {
        k: v.value for k, v in interview.facts.items()}
    assert loaded.facts["company.size"].value == "small"  # derived, not written


def test_written_profile_is_commented_and_grouped() -> None:
    """Each fact follows its question as a comment; unknown facts are commented out."""
    checks = _full_checklist()
    interview, _ = run(checks, ANSWERS)
    text = interview.profile_text()
    lines = text.splitlines()
    assert lines[0] == "#:schema ./schemas/profile.schema.json"
    assert 'schema = "qcompliance/profile/v1"' in lines
    assert lines.index("[company]") < lines.index("[tiv]") < lines.index("[[tiv.logs]]")
    assert lines[lines.index("gate = true") - 1] == "# tiv.gate？"
    assert "# b = ?  # 不知道，待补充" in lines
    assert lines.count("[company]") == 1
    assert lines.count("[tiv]") == 1


def test_resume_asks_only_what_is_missing(tmp_path: Path) -> None:
    """Resuming a profile never asks a fact it gives and keeps its provenance."""
    checks = _full_checklist()
    path = tmp_path / "p.toml"
    path.write_text(
        'schema = "qcompliance/profile/v1"\n[company]\nname = "甲"\n'
        '[tiv]\ngate = { value = true, evidence = ["hr/x.pdf"], attested_by = "张三" }\n',
        encoding="utf-8")
    profile = load_profile(path, checks.facts)
    log: list[Prompt] = []
    interview = Interview.resume(checks, profile, lang="zh", as_of=AS_OF)
    interview.run(scripted({"tiv.a": "y"}, log))
    keys = [p.key for p in log]
    assert "company.name" not in keys
    assert "tiv.gate" not in keys
    assert "tiv.a" in keys
    path.write_text(interview.profile_text(), encoding="utf-8")
    again = load_profile(path, checks.facts)
    assert again.facts["tiv.gate"].evidence == ("hr/x.pdf",)
    assert again.facts["tiv.gate"].attested_by == "张三"
    assert again.facts["tiv.a"].value is True


@pytest.mark.parametrize("value", [
    "plain", 'quote " and \\ backslash', "new\nline\ttab", "del\x7f", "中文，全角",
    True, 0, -12, 2.5, 1e16, dt.date(2024, 3, 1), ["a", "b"], [],
    {"value": True, "evidence": ["a.pdf"]}, {"odd key": 1},
])
def test_toml_values_round_trip(value: object) -> None:
    """toml_value writes values that TOML reads back unchanged."""
    assert tomllib.loads(f"x = {toml_value(value)}\n")["x"] == value


def test_render_profile_root_level_facts() -> None:
    """Facts without a table come before any table header."""
    specs = {"flag": FactSpec("flag", FactType.BOOL, Text("f", "f"), Text("f?", "f?")),
             "t.n": FactSpec("t.n", FactType.INT, Text("n", "n"), Text("n?", "n?"))}
    text = render_profile({"t.n": FactValue(3), "flag": FactValue(True)}, specs, lang="en")
    assert tomllib.loads(text) == {"schema": "qcompliance/profile/v1", "flag": True,
                                   "t": {"n": 3}}


# ---------------------------------------------------------------- answers files

def test_answers_file_toml(tmp_path: Path) -> None:
    """An answers file (nested or dotted keys, text or values) runs the interview."""
    checks = _full_checklist()
    path = tmp_path / "answers.toml"
    path.write_text(
        '"company.name" = "乙公司"\n[company]\nproduces = true\nemployees = 12\n'
        '[tiv]\ngate = "是"\na = false\nwhen = 2025-01-02\nb = true\n'
        '[[tiv.logs]]\ndate = 2026-11-01\nok = true\n', encoding="utf-8")
    interview = interview_from_answers(checks, read_answers(path, checks.facts),
                                       lang="zh", as_of=AS_OF)
    values = {k: v.value for k, v in interview.facts.items()}
    assert values["company.name"] == "乙公司"
    assert values["company.employees"] == 12
    assert values["tiv.gate"] is True
    assert values["tiv.a"] is False
    assert values["tiv.when"] == dt.date(2025, 1, 2)
    assert values["tiv.logs"] == ({"date": dt.date(2026, 11, 1), "ok": True},)


def test_answers_file_keeps_answers_not_asked(tmp_path: Path) -> None:
    """Answers to questions that were not asked (not applicable) are kept, not dropped."""
    checks = checklist([_item("a", {"fact": "tiv.a", "eq": True},
                              applies={"fact": "tiv.gate", "eq": True})])
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"tiv.gate": False, "tiv.a": True}), encoding="utf-8")
    interview = interview_from_answers(checks, read_answers(path, checks.facts), as_of=AS_OF)
    assert interview.facts["tiv.a"].value is True


def test_answers_file_reports_every_problem(tmp_path: Path) -> None:
    """Unknown keys, then wrong answers, are reported all at once with file and line."""
    checks = _full_checklist()
    path = tmp_path / "answers.toml"
    path.write_text('[tiv]\ngaet = true\nwhen = "later"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_answers(path, checks.facts, lang="en")
    assert "answers.toml:2: tiv.gaet: unknown fact 'tiv.gaet'; did you mean 'tiv.gate'?" in str(
        caught.value)
    path.write_text('[tiv]\nn = "many"\nwhen = 2030-01-01\n[company]\nsize = "huge"\n',
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        interview_from_answers(checks, read_answers(path, checks.facts), lang="en", as_of=AS_OF)
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 3
    assert any(m.startswith(f"{path}:2: tiv.n: ") for m in messages)
    assert any(m.startswith(f"{path}:3: tiv.when: This date cannot be after") for m in messages)
    assert any(m.startswith(f"{path}:5: company.size: ") for m in messages)


# ---------------------------------------------------------------- the command


def test_init_with_answers_writes_a_loadable_profile(tmp_path: Path) -> None:
    """`profile init --answers` writes a profile without a terminal; it loads."""
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"company.name": "丙公司", "company.sells_to_consumers": False,
                                   "company.product_categories": ["food"]}), encoding="utf-8")
    out = tmp_path / "my.toml"
    result = CliRunner().invoke(qcheck_app, ["profile", "init", str(out), "--answers", str(answers),
                                         "--as-of", "2026-11-20"])
    assert result.exit_code == 0, result.output
    assert "已写入" in result.stdout
    profile = load_profile(out)
    assert profile.name == "丙公司"
    assert profile.facts["company.product_categories"].value == ("food",)


def test_init_with_bad_answers_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    """Bad answers are all listed with a count; exit code 2; no profile is written."""
    answers = tmp_path / "a.toml"
    answers.write_text('[company]\nnmae = "x"\nsels = true\n', encoding="utf-8")
    out = tmp_path / "my.toml"
    result = CliRunner().invoke(qcheck_app, ["profile", "init", str(out), "--answers", str(answers),
                                         "--lang", "en"])
    assert result.exit_code == 2
    assert "did you mean 'company.name'?" in result.stderr
    assert "did you mean 'company.sells'?" in result.stderr
    assert "2 problem(s)." in result.stderr
    assert not out.exists()


def test_init_interactive_resume_keeps_a_backup(tmp_path: Path) -> None:
    """Resuming in the terminal asks only what is missing, keeps the old file as .bak, and
    keeps the hand-written comments and order of the profile."""
    out = tmp_path / "my.toml"
    original = ('# 手写的注释\nschema = "qcompliance/profile/v1"\n\n'
                '[company]\nname = "丁公司"  # 简称见合同\n'
                '# 企业生产或销售哪些类别的产品？\n# product_categories = ?  # 待补充\n'
                'sells = true\n\n[recall]\n# 召回一节稍后填写\n')
    out.write_text(original, encoding="utf-8")
    # The gating questions come first: answer two, then end the input.
    result = CliRunner().invoke(
        qcheck_app, ["profile", "init", str(out), "-c", "cn-recall", "--as-of", "2026-11-20"],
        input="是\nindustrial_products\n")
    assert result.exit_code == 2  # the input ended before the interview did
    assert "继续填写" in result.stdout
    assert "企业的登记名称" not in result.stdout
    assert (tmp_path / "my.toml.bak").read_text(encoding="utf-8") == original
    profile = load_profile(out)
    assert profile.name == "丁公司"
    assert profile.facts["company.produces"].value is True
    assert profile.facts["company.product_categories"].value == ("industrial_products",)
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[:5] == ['# 手写的注释', 'schema = "qcompliance/profile/v1"', '',
                         '[company]', 'name = "丁公司"  # 简称见合同']
    # The placeholder became the answer, in place; the new fact follows, under its question.
    assert lines[5:8] == ['# 企业生产或销售哪些类别的产品？',
                          'product_categories = ["industrial_products"]', 'sells = true']
    assert lines.index("produces = true") < lines.index("[recall]")
    assert "# 召回一节稍后填写" in lines


def test_init_refuses_a_broken_profile(tmp_path: Path) -> None:
    """A profile that does not load is not resumed: its problems are listed, exit 2."""
    out = tmp_path / "my.toml"
    out.write_text('[company]\nemployes = 3\n', encoding="utf-8")
    result = CliRunner().invoke(qcheck_app, ["profile", "init", str(out)])
    assert result.exit_code == 2
    assert "未知的事实“company.employes”；是否指“company.employees”？" in result.stderr
    assert out.read_text(encoding="utf-8") == '[company]\nemployes = 3\n'


def test_init_refuses_json(tmp_path: Path) -> None:
    """profile init writes TOML only."""
    result = CliRunner().invoke(qcheck_app, ["profile", "init", str(tmp_path / "p.json")])
    assert result.exit_code == 2
    assert ".toml" in result.stderr


def test_init_checks_the_folder_before_asking(tmp_path: Path) -> None:
    """A profile in a folder that does not exist is refused before the first question."""
    result = CliRunner().invoke(qcheck_app, ["profile", "init", str(tmp_path / "no" / "p.toml"),
                                         "--lang", "en"], input="x\n")
    assert result.exit_code == 2
    assert "its folder does not exist" in result.stderr
    assert "company" not in result.stdout


def test_example_profile_resumes_without_questions_about_given_facts() -> None:
    """Resuming the bundled example never asks a fact the example gives."""
    checks = load_checklists()
    profile = load_profile(ROOT / "examples" / "small-food-producer.toml", checks.facts)
    log: list[Prompt] = []
    Interview.resume(checks, profile, as_of=AS_OF).run(scripted({}, log))
    given = set(profile.facts)
    assert log, "the example leaves facts to ask"
    assert not {p.key for p in log} & given


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


# ---------------------------------------------------------------- records from files

def _logs_spec(checks: ChecklistSet) -> FactSpec:
    return checks.facts["tiv.logs"]


def test_records_read_from_csv_by_key_or_label(tmp_path: Path) -> None:
    """A CSV of records (UTF-8 with BOM or GB 18030) is read with each cell parsed as an
    answer; headers may be keys or labels; blank rows and cells are skipped."""
    spec = _logs_spec(_full_checklist())
    path = tmp_path / "logs.csv"
    path.write_text("date,ok,note\n2026-11-01,是,好\n\n2026-11-02,?,\n", encoding="utf-8-sig")
    assert read_records_file(path, spec, as_of=AS_OF) == (
        {"date": dt.date(2026, 11, 1), "ok": True, "note": "好"},
        {"date": dt.date(2026, 11, 2)},
    )
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("date,note\n2026-11-03,温度正常\n".encode("gb18030"))
    assert read_records_file(gbk, spec, as_of=AS_OF) == (
        {"date": dt.date(2026, 11, 3), "note": "温度正常"},)


def test_records_file_errors_name_file_row_and_column(tmp_path: Path) -> None:
    """Bad cells are all listed with file, row, column and field; a bad header names the
    expected columns."""
    spec = _logs_spec(_full_checklist())
    path = tmp_path / "logs.csv"
    path.write_text("date,ok\n2026-13-01,是\n2026-11-02,maybe\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records_file(path, spec, as_of=AS_OF, lang="en")
    assert [(p.line, p.column, p.key) for p in caught.value.problems] == [
        (2, 1, "tiv.logs.date"), (3, 2, "tiv.logs.ok")]
    assert str(caught.value).startswith(f"{path}:2:1: tiv.logs.date:")
    path.write_text("day,ok\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected: date, ok, note"):
        read_records_file(path, spec, lang="en")


def test_records_template_and_xlsx_round_trip(tmp_path: Path) -> None:
    """The template names the columns; an XLSX filled in Excel's way (real dates, numbers,
    booleans) reads back as the records."""
    import openpyxl
    spec = _logs_spec(_full_checklist())
    assert records_template(spec, "csv").decode("utf-8-sig") == "date,ok,note\r\n"
    path = tmp_path / "logs.xlsx"
    path.write_bytes(records_template(spec, "xlsx", lang="zh"))
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["date", "ok", "note"]
    assert book.worksheets[1].cell(2, 1).value == "date"
    sheet.append([dt.datetime(2026, 11, 1), True, "好"])
    sheet.append([None, None, None])
    sheet.append([dt.datetime(2026, 11, 2), "否", 12])
    book.save(path)
    assert read_records_file(path, spec, as_of=AS_OF) == (
        {"date": dt.date(2026, 11, 1), "ok": True, "note": "好"},
        {"date": dt.date(2026, 11, 2), "ok": False, "note": "12"},
    )


def test_records_count_prompt_takes_a_file(tmp_path: Path) -> None:
    """At the count prompt, a CSV path imports the records (no field is asked); a web front
    end submits the rows; with files off a path is rejected."""
    checks = checklist([_item("a", {"count": "tiv.logs", "ge": 1})])
    path = tmp_path / "logs.csv"
    path.write_text("date,ok\n2026-11-01,y\n2026-11-02,n\n", encoding="utf-8")
    told: list[str] = []
    interview = Interview(checks, "zh", AS_OF)
    log: list[Prompt] = []
    interview.run(scripted({"tiv.logs": str(path)}, log), told.append)
    keys = asked(log)
    assert f"已从 {path} 导入 2 条记录。" in told
    assert interview.facts["tiv.logs"].value == (
        {"date": dt.date(2026, 11, 1), "ok": True}, {"date": dt.date(2026, 11, 2), "ok": False})
    assert not [k for k in keys if "[" in k]
    rows = Interview(checks, "zh", AS_OF, files=False)
    rows.run(scripted({"tiv.logs": [{"date": "2026-11-01", "ok": "是"}]}, []))
    assert rows.facts["tiv.logs"].value == ({"date": dt.date(2026, 11, 1), "ok": True},)
    off = Interview(checks, "zh", AS_OF, files=False)
    while (prompt := off.current()) is not None and prompt.key != "tiv.logs":
        off.submit("?")
    assert isinstance(off.submit(str(path)), AnswerError)
    bad = tmp_path / "bad.csv"
    bad.write_text("date\nsoon\n", encoding="utf-8")
    on = Interview(checks, "en", AS_OF)
    while (prompt := on.current()) is not None and prompt.key != "tiv.logs":
        on.submit("?")
    error = on.submit(str(bad))
    assert isinstance(error, AnswerError)
    assert "bad.csv:2:1" in error.text.en


def test_template_records_command(tmp_path: Path) -> None:
    """`qcheck profile template --records KEY --format csv|xlsx` writes the empty sheet; an
    unknown key lists the records facts, exit 2."""
    runner = CliRunner()
    result = runner.invoke(qcheck_app, ["profile", "template", "--records",
                                        "food_safety.daily_checks"])
    assert result.exit_code == 0, result.output
    header = result.stdout_bytes.decode("utf-8-sig").splitlines()[0]
    assert header.split(",")[0] == "date"
    out = tmp_path / "t.xlsx"
    result = runner.invoke(qcheck_app, ["profile", "template", "--records",
                                        "food_safety.daily_checks", "--format", "xlsx",
                                        "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"
    result = runner.invoke(qcheck_app, ["profile", "template", "--records", "company.name"])
    assert result.exit_code == 2
    assert "food_safety.daily_checks" in result.stderr
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- profiles as answers

def test_profile_accepted_as_answers_keeps_evidence(tmp_path: Path) -> None:
    """A profile with { value, evidence } facts is an answers file; evidence is kept."""
    checks = _full_checklist()
    path = tmp_path / "answers.toml"
    path.write_text(
        'schema = "qcompliance/profile/v1"\n[company]\nname = "甲"\n'
        '[tiv]\ngate = { value = true, evidence = ["hr/x.pdf"], as_of = 2026-01-05 }\n'
        'a = { value = false, source = "audit" }\n', encoding="utf-8")
    read = read_answers(path, checks.facts)
    interview = interview_from_answers(checks, read, as_of=AS_OF)
    gate = interview.facts["tiv.gate"]
    assert (gate.value, gate.evidence, gate.as_of) == (True, ("hr/x.pdf",),
                                                       dt.date(2026, 1, 5))
    assert interview.facts["tiv.a"].source == "audit"
    bad = tmp_path / "bad.toml"
    bad.write_text('[tiv]\ngate = { value = true, evidense = ["x"] }\n', encoding="utf-8")
    with pytest.raises(InputError, match="did you mean 'evidence'"):
        read_answers(bad, checks.facts)


def test_init_answers_from_the_example_profile(tmp_path: Path) -> None:
    """`init --answers examples/small-food-producer.toml` writes a profile that assesses
    like the example, with its evidence."""
    out = tmp_path / "p.toml"
    example = ROOT / "examples" / "small-food-producer.toml"
    result = CliRunner().invoke(qcheck_app, ["profile", "init", str(out), "--answers",
                                             str(example), "--as-of", "2026-11-20"])
    assert result.exit_code == 0, result.output
    checks = load_checklists()
    written = load_profile(out, checks.facts)
    given = load_profile(example, checks.facts)
    assert dict(written.facts) == dict(given.facts)


# ---------------------------------------------------------------- resuming keeps the file

def test_update_profile_keeps_comments_and_fills_placeholders() -> None:
    """update_profile adds new facts (records as [[tables]]) and keeps everything else."""
    checks = _full_checklist()
    original = ('# 我的注释\nschema = "qcompliance/profile/v1"\n\n[tiv]\n'
                'gate = true  # 已核实\n# b = ?  # 不知道\n\n[company]\nname = "甲"\n')
    facts = {"tiv.gate": FactValue(True), "company.name": FactValue("甲"),
             "tiv.b": FactValue(False), "tiv.a": FactValue(True),
             "tiv.logs": FactValue(({"date": dt.date(2026, 11, 1), "ok": True},))}
    text = update_profile(original, facts, checks.facts, lang="zh", unknown=["tiv.n"])
    lines = text.splitlines()
    assert lines[:6] == ["# 我的注释", 'schema = "qcompliance/profile/v1"', "", "[tiv]",
                         "gate = true  # 已核实", "b = false"]
    assert "# tiv.a？" in lines
    assert lines.index("a = true") < lines.index("[company]")
    assert "# n = ?  # 不知道，待补充" in lines
    data = tomllib.loads(text)
    assert data["tiv"]["logs"] == [{"date": dt.date(2026, 11, 1), "ok": True}]
    assert data["company"] == {"name": "甲"}


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


def test_answers_file_names_a_records_file(tmp_path: Path) -> None:
    """In an answers file, a records fact may name a CSV beside it; its bad cells are listed."""
    checks = _full_checklist()
    (tmp_path / "logs.csv").write_text("date,ok\n2026-11-01,是\n", encoding="utf-8")
    path = tmp_path / "answers.toml"
    path.write_text('[tiv]\nlogs = "logs.csv"\n', encoding="utf-8")
    interview = interview_from_answers(checks, read_answers(path, checks.facts), as_of=AS_OF)
    assert interview.facts["tiv.logs"].value == ({"date": dt.date(2026, 11, 1), "ok": True},)
    (tmp_path / "logs.csv").write_text("date,ok\n2026-11-01,perhaps\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        interview_from_answers(checks, read_answers(path, checks.facts), as_of=AS_OF)
    assert str(caught.value.first).startswith(f"{tmp_path / 'logs.csv'}:2:2: tiv.logs.ok:")
