"""Every row of ``qcheck batch`` keeps what the caller gave beside a company's facts (its
``id``, ``external_id`` and ``metadata``), from each input shape, in CSV and JSON Lines
summaries, for companies that fail to load as for those evaluated."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from conftest import AS_OF, ROOT
from qcompliance.authoring.schema import schema
from qcompliance.cli.main import app

EXAMPLE = ROOT / "examples" / "small-food-producer.toml"
DAY = AS_OF.isoformat()
FIELDS = ("id", "external_id", "metadata")


def _batch(*args: str) -> int:
    result = CliRunner().invoke(app, ["batch", *args, "--as-of", DAY])
    return result.exit_code


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _example() -> dict[str, object]:
    import tomllib

    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    plain: dict[str, object] = json.loads(json.dumps(data, default=str))
    return plain


def _fit_the_schema(rows: list[dict[str, object]]) -> None:
    """Each row fits the batch-row schema and all rows have the same keys."""
    validator = jsonschema.Draft202012Validator(schema("batch-row"))
    for row in rows:
        validator.validate(row)
    assert len({frozenset(r) for r in rows}) == 1


def test_jsonl_rows_keep_the_callers_members(tmp_path: Path) -> None:
    """From JSON Lines: evaluated rows, a row whose facts do not load and a row whose metadata
    is malformed each keep id, external_id and metadata as given (null and empty when not
    given); a line that is not JSON has none; the assessments file carries them too."""
    good = {**_example(), "id": "A-1", "external_id": "SUP-0042",
            "metadata": {"buyer": "张三", "region": "east"}}
    lines = [json.dumps(good, ensure_ascii=False),
             json.dumps({"id": "B-2", "external_id": "SUP-7", "metadata": {"buyer": "李四"},
                         "company": {"employees": "many"}}, ensure_ascii=False),
             json.dumps({"id": "C-3", "external_id": "SUP-8", "metadata": {"n": 1}}),
             "{not json",
             json.dumps(_example())]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary, assessments = tmp_path / "summary.jsonl", tmp_path / "assessments.jsonl"
    assert _batch(str(source), "--summary", str(summary), "--assessments",
                  str(assessments)) == 4
    rows = _rows(summary)
    assert [tuple(r[k] for k in FIELDS) for r in rows] == [
        ("A-1", "SUP-0042", {"buyer": "张三", "region": "east"}),
        ("B-2", "SUP-7", {"buyer": "李四"}),
        ("C-3", "SUP-8", {}),
        ("line 4", None, {}),
        ("line 5", None, {})]
    assert rows[0]["error"] is None
    assert rows[0]["score"] is not None
    assert rows[1]["error_key"] == "company.employees"
    assert rows[1]["score"] is None
    assert (rows[2]["error_key"], rows[2]["error"]) == ("metadata",
                                                       "must be an object of text values")
    assert rows[4]["error"] is None
    _fit_the_schema(rows)
    documents = _rows(assessments)
    assert (documents[0]["external_id"], documents[0]["metadata"]) == (
        "SUP-0042", {"buyer": "张三", "region": "east"})
    assert "external_id" not in documents[1]


def test_csv_summary_has_the_callers_columns(tmp_path: Path) -> None:
    """From a CSV input with external_id and metadata.<label> columns: the CSV summary has
    external_id and metadata (a JSON object) columns beside id, for an error row too."""
    source = tmp_path / "in.csv"
    source.write_text(
        "id,external_id,metadata.buyer,metadata.region,company.name,company.employees\n"
        "a,SUP-1,张三,east,甲公司,12\n"
        "b,SUP-2,,,乙公司,many\n"
        ",,,,丙公司,3\n", encoding="utf-8")
    summary = tmp_path / "summary.csv"
    assert _batch(str(source), "--summary", str(summary)) == 4
    rows = list(csv.DictReader(io.StringIO(summary.read_text(encoding="utf-8")[1:])))
    assert list(rows[0])[:3] == list(FIELDS)
    assert [(r["id"], r["external_id"], r["metadata"]) for r in rows] == [
        ("a", "SUP-1", '{"buyer": "张三", "region": "east"}'),
        ("b", "SUP-2", ""),
        ("row 4", "", "")]
    assert rows[0]["error"] == ""
    assert rows[1]["error_key"] == "company.employees"


def test_xlsx_and_folder_inputs_keep_them(tmp_path: Path) -> None:
    """An XLSX workbook's external_id (a number cell) and metadata columns, and a folder's
    profile files with id, external_id and a metadata table, reach their rows; such a file
    still evaluates as the file without them does."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "external_id", "metadata.buyer", "company.name", "company.employees"])
    sheet.append(["x", 10042, "王五", "甲公司", 12])
    book.save(tmp_path / "in.xlsx")
    summary = tmp_path / "xlsx.jsonl"
    assert _batch(str(tmp_path / "in.xlsx"), "--summary", str(summary)) in (0, 1)
    assert [tuple(r[k] for k in FIELDS) for r in _rows(summary)] == [
        ("x", "10042", {"buyer": "王五"})]

    folder = tmp_path / "profiles"
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    (folder / "a.toml").write_text(
        'id = "A-1"\nexternal_id = "SUP-9"\n' + text + '\n[metadata]\nbuyer = "赵六"\n',
        encoding="utf-8")
    (folder / "b.toml").write_text(text, encoding="utf-8")
    (folder / "c.json").write_text(json.dumps({"external_id": 5, **_example()}),
                                   encoding="utf-8")
    out = tmp_path / "folder.jsonl"
    assert _batch(str(folder), "--summary", str(out)) == 4
    rows = _rows(out)
    assert [tuple(r[k] for k in FIELDS) for r in rows] == [
        ("A-1", "SUP-9", {"buyer": "赵六"}), ("b", None, {}), ("c", None, {})]
    assert rows[0]["score"] == rows[1]["score"] is not None
    assert (rows[2]["error_key"], rows[2]["line"]) == ("external_id", 1)
    _fit_the_schema(rows)
