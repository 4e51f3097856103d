"""The profile interview's files: the profile it writes and resumes, answers files, records
read from CSV and XLSX, and the `qcheck profile init` and `profile template` commands."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from test_interview import ANSWERS, _full_checklist, _item, asked, checklist, run, scripted
from typer.testing import CliRunner

from conftest import AS_OF, ROOT
from qcompliance import load_checklists, load_profile
from qcompliance.cli.main import app as qcheck_app
from qcompliance.errors import InputError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.model import FactSpec, FactType, FactValue, Text
from qcompliance.selfcheck import (
    AnswerError,
    Interview,
    Prompt,
    interview_from_answers,
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

# ---------------------------------------------------------------- writing and resuming

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
