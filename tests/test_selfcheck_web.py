"""The browser self-check's server side without a browser: what the page is given to show,
uploaded record sheets, record forms and the decision a finished self-check opens on."""

from __future__ import annotations

import base64
import itertools
import json
import re

import pytest

from conftest import AS_OF, ROOT
from qcompliance import evaluate, load_checklists, load_profile
from qcompliance.errors import QComplianceError
from qcompliance.model import Level, Verdict
from qcompliance.reports.decision import decision_summary
from qcompliance.selfcheck import Interview
from qcompliance.server.contract import check_message
from qcompliance.server.inputs import text_document
from qcompliance.server.selfcheck import (
    next_step,
    question_json,
    records_from_table,
    screen_json,
)
from qcompliance.server.selfcheck_files import MAX_UPLOAD_ROWS, template_file, uploaded_rows

CHECKLISTS = load_checklists()
EXAMPLE = ROOT / "examples" / "small-food-producer.toml"
PROFILE = load_profile(EXAMPLE, CHECKLISTS.facts)
MACHINE = re.compile(r"\b[a-z]+_[a-z_]+\b|\b(?:true|false)\b|\[\]|\by/n\b")


def _answer(question: dict[str, object]) -> object:
    key = str(question["key"])
    fact = PROFILE.facts.get(key)
    if fact is None:
        return "?"
    value = fact.value
    if question["type"] == "records":
        return [{k: ("yes" if v is True else "no" if v is False else str(v))
                 for k, v in row.items()} for row in value]  # type: ignore[union-attr]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ",".join(value) or "无"
    return str(value)


def _shown(question: dict[str, object]) -> list[str]:
    """Every text of a question the page puts on screen."""
    texts = [question["question"], question["help"], question["unit"], question["section"],
             *question["notes"]]  # type: ignore[misc]
    for choice in question["choices"]:  # type: ignore[attr-defined]
        texts += [choice["label"], choice.get("detail")]
    for field in question["fields"]:  # type: ignore[attr-defined]
        texts += [field["label"], field["question"], field["help"], field["unit"]]
        texts += [c["label"] for c in field["choices"]]
    for row in question.get("rows") or ():  # type: ignore[attr-defined]
        texts += [row["question"], row["help"], *(c["label"] for c in row["choices"])]
    return [str(t) for t in texts if t]


def _no_machine_names(question: dict[str, object]) -> None:
    keys = [str(question["key"]), *(str(r["key"]) for r in question.get("rows") or ())]  # type: ignore[attr-defined]
    for text in _shown(question):
        assert not any(key in text for key in keys), text
        assert not MACHINE.search(text), (question["key"], text)


def _steps(quick: bool) -> tuple[list[dict[str, object]], dict[str, object], dict[str, object]]:
    """The food producer's self-check through the page's own step API: the questions shown
    (one a screen), the done step, and the answers given by question id."""
    answers: dict[str, object] = {}
    shown: list[dict[str, object]] = []
    while not (step := next_step(CHECKLISTS, {"answers": answers, "quick": quick}, AS_OF))["done"]:
        question = step["question"]
        assert isinstance(question, dict)
        assert len(shown) < 200, "the self-check does not end"
        shown.append(question)
        for row in question.get("rows") or [question]:
            answers[row["id"]] = _answer(row | {"type": question["type"]} if "type" not in row
                                         else row)
    return shown, step, answers


def test_quick_self_check_in_the_browser_asks_at_most_45_screens() -> None:
    """Through the browser's step API, the food producer's quick self-check takes at most 45
    screens, yes/no questions of one section grouped into one; no text shown holds a fact
    key, a value code or a terminal convention; once the first gating answers are in, "about
    N" never grows by more than 3 from one screen to the next; grouped rows answer their own
    facts; the duties whose facts were not asked are unknown, never passes."""
    shown, done, answers = _steps(quick=True)
    assert len(shown) <= 45
    assert done["screens"] == len(shown)
    assert [q["n"] for q in shown if not q["plain"]] == list(range(1, len(shown) + 1))
    groups = [q for q in shown if q["type"] == "group"]
    assert len(groups) >= 5
    assert max(len(q["rows"]) for q in groups) >= 3  # type: ignore[arg-type]
    estimates = [int(q["about"]) for q in shown]  # type: ignore[call-overload]
    assert all(b - a <= 3 for a, b in itertools.pairwise(estimates[1:])), estimates
    assert estimates[-1] == len(shown)
    for question in shown:
        _no_machine_names(question)
    # Each row of a grouped screen wrote its own fact.
    profile = load_profile(text_document(str(done["profile_toml"]), "toml", "quick.toml"),
                           CHECKLISTS.facts)
    rows = [row for q in groups for row in q["rows"]]  # type: ignore[attr-defined]
    for row in rows:
        key = str(row["key"])
        if key in PROFILE.facts:
            assert profile.facts[key].value == PROFILE.facts[key].value, key
        else:  # answered "don't know"
            assert key not in profile.facts, key
    # What was not asked stays unknown: nothing passes on a fact the self-check never asked.
    assessment = evaluate(profile, CHECKLISTS, AS_OF)
    for result in assessment.results:
        if result.verdict is Verdict.PASS:
            assert all(read.key in profile.facts or read.key in answers
                       for read in result.facts), result.item
    duties = done["duties"]
    assert isinstance(duties, dict)
    assert duties["covered"] >= 30
    assert duties["left"] >= 1
    unknown = [r for r in assessment.results
               if r.level is Level.MANDATORY and r.verdict is Verdict.UNKNOWN]
    assert len(unknown) >= duties["left"]


def test_full_self_check_shows_no_machine_name_in_chinese() -> None:
    """Through the whole full self-check of the food producer (grouped as the page groups
    it), no text shown holds a fact key, a value code or a terminal convention."""
    interview = Interview(CHECKLISTS, "zh", AS_OF, files=False, grouped=True)
    screens = 0
    while (prompt := interview.current()) is not None:
        screen = interview.screen()
        question = (screen_json(screen, prompt, "zh", {}, CHECKLISTS.facts) if len(screen) > 1
                    else question_json(prompt, "zh", None, AS_OF, CHECKLISTS.facts))
        assert prompt.error is None, (prompt.key, prompt.error)
        if screen[0].key == prompt.key:
            _no_machine_names(question)
            screens += 1
        answer = _answer({"key": prompt.key, "type": question["type"] if len(screen) == 1
                          else "bool"})
        given = records_from_table(answer) if isinstance(answer, list) else answer
        assert interview.submit(given) is None
    assert screens > 45
    first = next_step(CHECKLISTS, {"answers": {}, "quick": False}, AS_OF)["question"]
    assert first["key"] == "company.name"  # type: ignore[index]


def test_records_rows_are_read_back_for_the_table_and_bounded() -> None:
    """An uploaded CSV comes back as rows (cells as the table shows them); a bad cell names
    its row and column; a sheet over the row limit is refused."""
    def upload(text: str) -> dict[str, object]:
        content = base64.b64encode(text.encode("utf-8")).decode("ascii")
        return uploaded_rows(CHECKLISTS, {"key": "food_safety.daily_checks",
                                          "name": "checks.csv", "content": content}, AS_OF, "zh")

    rows = upload("检查日期,发现的风险隐患数,已上报\n2026-11-19,0,是\n2026/11/18,1,否\n")["rows"]
    assert rows == [{"date": "2026-11-19", "issues_found": "0", "escalated": "yes"},
                    {"date": "2026-11-18", "issues_found": "1", "escalated": "no"}]
    with pytest.raises(QComplianceError, match=r"checks.csv:3:2"):
        upload("date,issues_found\n2026-11-19,0\n2026-11-18,many\n")
    many = "date\n" + "2026-11-19\n" * (MAX_UPLOAD_ROWS + 1)
    with pytest.raises(QComplianceError, match=str(MAX_UPLOAD_ROWS)):
        upload(many)
    with pytest.raises(QComplianceError, match="records fact"):
        uploaded_rows(CHECKLISTS, {"key": "company.name", "name": "a.csv", "content": ""},
                      AS_OF, "zh")


def test_an_excel_form_filled_in_is_read_back() -> None:
    """The XLSX form, filled in with Excel's own dates and numbers, uploads as table rows."""
    import datetime as dt
    import io

    import openpyxl

    form, _ = template_file(CHECKLISTS, "food_safety.daily_checks", "xlsx", "zh")
    book = openpyxl.load_workbook(io.BytesIO(form))
    book.worksheets[0].append([dt.datetime(2026, 11, 19), 0, "是"])
    out = io.BytesIO()
    book.save(out)
    content = base64.b64encode(out.getvalue()).decode("ascii")
    rows = uploaded_rows(CHECKLISTS, {"key": "food_safety.daily_checks", "name": "a.xlsx",
                                      "content": content}, AS_OF, "zh")["rows"]
    assert rows == [{"date": "2026-11-19", "issues_found": "0", "escalated": "yes"}]


def test_record_form_has_the_columns_the_upload_reads() -> None:
    """The CSV form of a records fact is its header row, which the upload reads back."""
    content, name = template_file(CHECKLISTS, "food_safety.daily_checks", "csv", "zh")
    assert name == "food_safety.daily_checks.csv"
    assert content.decode("utf-8-sig").strip() == "date,issues_found,escalated"
    with pytest.raises(QComplianceError):
        template_file(CHECKLISTS, "food_safety.daily_checks", "pdf", "zh")


def test_the_decision_names_score_coverage_priorities_and_what_to_collect() -> None:
    """The result page's decision (the report's own), in words, with no ids or keys, and
    shaped as the OpenAPI document declares it."""
    # As the route sends it: JSON.
    result = json.loads(json.dumps(
        decision_summary(evaluate(PROFILE, CHECKLISTS, AS_OF), "zh").as_dict()))
    check_message(result, "SelfcheckDecision")
    assert result["company"] == "福州闽味园食品有限公司"
    assert result["as_of"] == "2026年11月20日"
    assert re.fullmatch(r"\d+\.\d%", result["score"])
    assert "的适用条目可判定" in result["coverage_words"]
    priorities = result["priorities"]
    assert priorities
    assert all(p["title"] and p["level"] == "法定义务" and p["first_step"]
               for p in priorities[:1])
    assert result["collect"]
    assert result["collect"][0]["waiting"] >= 1
    shown = [result["headline"], result["coverage_words"], result["as_of"],
             *(str(v) for p in priorities for k, v in p.items()
               if k not in ("severity_key", "due_iso", "overdue")),
             *(str(v) for c in result["collect"] for v in c.values())]
    assert not any(MACHINE.search(text) for text in shown), shown
