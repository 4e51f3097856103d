"""The supplier questionnaire of qcheck batch: written with questions and drop-downs, filled
in and read back as a batch input (xlsx and CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_batch import DAY, EXAMPLES, example_data, flatten, read_jsonl, read_summary, run

from qcompliance import load_checklists
from qcompliance.batch.questionnaire import questionnaire_facts
from qcompliance.model import FactType


def companies_of(summary: Path) -> Iterator[str]:
    """The ids in a CSV summary."""
    for row in read_summary(summary):
        yield row["id"]


def _questionnaire(tmp_path: Path, lang: str) -> Path:
    out = tmp_path / f"questionnaire.{lang}.xlsx"
    code, _, err = run("batch", "template", "-c", "cn-quality-officers", "-c", "cn-recall",
                       "--format", "xlsx", "--lang", lang, "-o", str(out))
    assert code == 0, err
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_questionnaire_has_questions_and_dropdowns(tmp_path: Path, lang: str) -> None:
    """One column per fact the checklists read, headed by its key, its question as the header
    comment in the chosen language; booleans and enumerations have drop-down lists."""
    import openpyxl
    checklists = load_checklists(["cn-quality-officers", "cn-recall"])
    read = questionnaire_facts(checklists)
    assert [f.key for f in read[:2]] == ["company.name", "company.credit_code"]
    book = openpyxl.load_workbook(_questionnaire(tmp_path, lang))
    sheet = book["companies"]
    header = [c.value for c in sheet[1]]
    flat = [f for f in read if f.type is not FactType.RECORDS]
    assert header == ["id", *(f.key for f in flat)]
    validated: dict[str, list[str]] = {}
    for validation in sheet.data_validations.dataValidation:
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")  # "AB2:AB1001" -> AB
        validated[column] = validation.formula1
    for col, spec in enumerate(flat, start=2):
        cell = sheet.cell(row=1, column=col)
        assert spec.question.get(lang) in cell.comment.text  # type: ignore[arg-type]
        letter = cell.column_letter
        if spec.type in (FactType.BOOL, FactType.ENUM):
            formula = validated[letter]
            choices = ("true", "false") if spec.type is FactType.BOOL else spec.values
            if formula.startswith('"'):
                assert formula.strip('"').split(",") == list(choices or ())
            else:  # a long list on the hidden sheet
                ref = formula.split("!")[1].replace("$", "")
                assert [c.value for row in book["lists"][ref] for c in row] == list(choices or ())
        else:
            assert letter not in validated
    records = [f.key for f in read if f.type is FactType.RECORDS]
    assert records
    assert book["records"].cell(row=1, column=2).value == "fact"
    (fact_rule,) = [v for v in book["records"].data_validations.dataValidation
                    if str(v.sqref).startswith("B2:")]
    assert fact_rule.formula1.strip('"').split(",") == records or "lists!" in fact_rule.formula1


def test_filled_questionnaire_is_a_valid_input(tmp_path: Path) -> None:
    """The xlsx questionnaire filled in with openpyxl (drop-down values as chosen, dates as
    dates, records on the records sheet) gives the summary the same facts give as JSON Lines."""
    import openpyxl
    checklists = load_checklists(["cn-quality-officers", "cn-recall"])
    path = _questionnaire(tmp_path, "zh")
    book = openpyxl.load_workbook(path)
    sheet, rec = book["companies"], book["records"]
    header = [c.value for c in sheet[1]]
    fields = [c.value for c in rec[1]]
    lines = []
    for path_ in EXAMPLES:
        flat, records = flatten(example_data(path_), checklists.facts)
        flat = {k: v for k, v in flat.items() if k in header}
        records = {k: v for k, v in records.items() if checklists.facts[k].key in
                   {f.key for f in checklists.facts_read()}}
        row: list[object] = [path_.stem]
        for key in header[1:]:
            value = flat.get(key)
            spec = checklists.facts[str(key)]
            if value is None:
                row.append(None)
            elif spec.type is FactType.BOOL:
                row.append("true" if value else "false")
            elif spec.type is FactType.LIST:
                row.append(";".join(value) if value else "-")  # type: ignore[arg-type]
            elif spec.type is FactType.DATE:
                row.append(dt.date.fromisoformat(str(value)))
            else:
                row.append(value)
        sheet.append(row)
        for fact, rows in records.items():
            if not rows:
                rec.append([path_.stem, fact])
            for r in rows:
                rec.append([path_.stem, fact, *(r.get(str(f)) for f in fields[2:])])
        lines.append(json.dumps({"id": path_.stem, **flat, **records}, ensure_ascii=False))
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    same = tmp_path / "same.jsonl"
    same.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ("--as-of", DAY, "-c", "cn-quality-officers", "-c", "cn-recall", "--summary")
    code, _, err = run("batch", str(filled), *args, str(tmp_path / "x.jsonl"))
    assert code == 1, err
    run("batch", str(same), *args, str(tmp_path / "j.jsonl"))
    strip = ("source", "line")
    got = [{k: v for k, v in r.items() if k not in strip} for r in read_jsonl(tmp_path / "x.jsonl")]
    want = [{k: v for k, v in r.items() if k not in strip}
            for r in read_jsonl(tmp_path / "j.jsonl")]
    assert got == want
    assert all(r["error"] is None for r in got)
    assert {r["id"] for r in got} == {p.stem for p in EXAMPLES}


def test_csv_questionnaire_is_a_valid_input(tmp_path: Path) -> None:
    """The CSV questionnaire's question and allowed-value rows are skipped; a filled row loads."""
    code, text, _ = run("batch", "template", "-c", "cn-quality-officers", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][0].startswith("# ")
    assert rows[2][0].startswith("# ")
    header = rows[0]
    filled = [*rows, ["s-1", *("" for _ in header[1:])]]
    filled[-1][header.index("company.name")] = "某供应商"
    filled[-1][header.index("cqo.appointed")] = "是"
    path = tmp_path / "filled.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(filled)
    out = tmp_path / "s.jsonl"
    code, _, err = run("batch", str(path), "-c", "cn-quality-officers", "--as-of", DAY,
                       "--summary", str(out), "--fail-on", "never")
    assert code == 0, err
    (row,) = read_jsonl(out)
    assert (row["id"], row["name"], row["error"]) == ("s-1", "某供应商", None)
