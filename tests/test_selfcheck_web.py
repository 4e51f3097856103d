"""The browser self-check's server side without a browser: what the page is given to show,
uploaded record sheets, record forms and the decision a finished self-check opens on."""

from __future__ import annotations

import base64
import itertools
import json
import re

import pytest

from conftest import AS_OF, ROOT
from qcompliance import load_checklists, load_profile
from qcompliance.errors import QComplianceError
from qcompliance.reports.decision import decision_summary
from qcompliance.selfcheck import Interview
from qcompliance.server.contract import check_message
from qcompliance.server.selfcheck import next_step, question_json, records_from_table
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
    return [str(t) for t in texts if t]


@pytest.mark.parametrize("quick", [True, False])
def test_no_question_shows_a_machine_name_in_chinese(quick: bool) -> None:
    """Through the whole self-check of the food producer, no text the page shows holds a fact
    key, a snake_case value code, true/false or a terminal convention; the quick one asks at
    most 45 questions; the estimate never grows by more than a few after the gating ones."""
    interview = Interview(CHECKLISTS, "zh", AS_OF, quick=quick, files=False)
    asked = 0
    estimates: list[int] = []
    while (prompt := interview.current()) is not None:
        question = question_json(prompt, "zh", None, AS_OF, CHECKLISTS.facts)
        estimates.append(int(question["about"]))  # type: ignore[call-overload]
        assert question["error"] is None, (question["key"], question["error"])
        for text in _shown(question):
            assert str(question["key"]) not in text
            assert not MACHINE.search(text), (question["key"], text)
        answer = _answer(question)
        given = records_from_table(answer) if isinstance(answer, list) else answer
        assert interview.submit(given) is None
        asked += 1
    assert (asked <= 45) if quick else asked > 45
    # Once the gating questions (the first eight) are in, "about N" grows by a few at most.
    assert all(b - a <= 3 for a, b in itertools.pairwise(estimates[8:])), estimates
    # The page's own step gives the same first question, with nothing answered yet.
    first = next_step(CHECKLISTS, {"answers": {}, "quick": quick}, AS_OF)["question"]
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
    from qcompliance import evaluate

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
