"""qcheck batch end to end: the four input shapes, the summary, error rows, exit codes, atomic
outputs, the process pool, and the supplier questionnaire filled in and read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import AS_OF, ROOT
from qcompliance import evaluate, load_checklists, load_profile
from qcompliance.batch.work import cell_value
from qcompliance.cli.main import app
from qcompliance.model import FactSpec, FactType, ItemKind, Level, Verdict

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.toml") if p.name != "tailoring.toml")
DAY = AS_OF.isoformat()


def run(*args: str) -> tuple[int, str, str]:
    """Invoke qcheck with ``args``; return exit code, stdout and stderr."""
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def plain(value: object) -> object:
    """TOML data as JSON data (dates as ISO text)."""
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def example_data(path: Path) -> dict[str, object]:
    """An example profile as JSON data."""
    data = plain(tomllib.loads(path.read_text(encoding="utf-8")))
    assert isinstance(data, dict)
    return data


def flatten(data: Mapping[str, object], facts: Mapping[str, FactSpec]
            ) -> tuple[dict[str, object], dict[str, list[dict[str, object]]]]:
    """A nested profile as flat columns (dotted key → value, provenance dropped) and records."""
    flat: dict[str, object] = {}
    records: dict[str, list[dict[str, object]]] = {}

    def walk(node: Mapping[str, object], prefix: str) -> None:
        for key, value in node.items():
            dotted = f"{prefix}{key}"
            if dotted == "schema":
                continue
            spec = facts.get(dotted)
            if spec is None:
                assert isinstance(value, Mapping), dotted
                walk(value, dotted + ".")
                continue
            if isinstance(value, Mapping):
                value = value["value"]
            if spec.type is FactType.RECORDS:
                assert isinstance(value, list)
                records[dotted] = [dict(r) for r in value]
            else:
                flat[dotted] = value
    walk(data, "")
    return flat, records


def text_cell(value: object) -> str:
    """A value as a person would type it in a spreadsheet cell."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        if not value:
            return "无"
        return "; ".join(str(v) for v in value)
    return str(value)


@pytest.fixture(scope="module")
def checklists():  # type: ignore[no-untyped-def]
    """Every built-in checklist."""
    return load_checklists()


@pytest.fixture
def jsonl(tmp_path: Path) -> Path:
    """The examples as one JSON Lines file, each with an ``id``."""
    path = tmp_path / "companies.jsonl"
    lines = [json.dumps({"id": p.stem, **example_data(p)}, ensure_ascii=False)
             for p in EXAMPLES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_summary(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV summary."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def read_jsonl(path: Path) -> list[dict[str, object]]:
    """The rows of a JSON Lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_summary_agrees_with_evaluate(tmp_path: Path, jsonl: Path, checklists) -> None:  # type: ignore[no-untyped-def]
    """Each summary row holds what evaluate() says of that company: scores by level and by
    checklist, counts of fail and unknown, the mandatory failures."""
    summary = tmp_path / "summary.jsonl"
    code, _, err = run("batch", str(jsonl), "--as-of", DAY, "--summary", str(summary))
    assert code == 1, err  # the examples all have mandatory gaps
    rows = read_jsonl(summary)
    assert [r["id"] for r in rows] == [p.stem for p in EXAMPLES]
    for path, row in zip(EXAMPLES, rows, strict=True):
        assessment = evaluate(load_profile(path, checklists.facts), checklists, AS_OF,
                              skip_inapplicable=True)
        assert row["name"] == assessment.profile_name
        assert row["credit_code"] == assessment.profile_credit_code
        assert row["error"] is None
        assert row["score"] == assessment.overall.score
        assert row["failed"] == assessment.overall.failed
        assert row["unknown"] == assessment.overall.unknown
        for level in Level:
            assert row[f"score.{level.value}"] == assessment.scores_by_level[level.value].score
        for checklist in checklists:
            expected = assessment.scores_by_checklist.get(checklist.id)
            assert row[f"score.{checklist.id}"] == (None if expected is None else expected.score)
        assert row["mandatory_failures"] == [
            r.item for r in assessment.results
            if r.verdict is Verdict.FAIL and r.level is Level.MANDATORY
            and r.kind is ItemKind.OBLIGATION]
        assert row["mandatory_failures"]
    assert "5" in err  # the tally line on stderr counts the companies


def test_bad_companies_become_error_rows_and_exit_3(tmp_path: Path, jsonl: Path) -> None:
    """A line that is not JSON and a wrongly typed fact each give a row with file, line, key
    and message; the other companies are evaluated; the exit code is 4."""
    with jsonl.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
        handle.write(json.dumps({"id": "bad-type", "company": {"employees": "many"}}) + "\n")
        handle.write(json.dumps({"id": "unknown-fact", "company": {"employes": 3}}) + "\n")
    summary = tmp_path / "summary.csv"
    code, _, err = run("batch", str(jsonl), "--as-of", DAY, "--summary", str(summary))
    assert code == 4, err
    rows = read_summary(summary)
    assert len(rows) == len(EXAMPLES) + 3
    assert all(r["error"] == "" and r["score"] for r in rows[:len(EXAMPLES)])
    broken, typed, unknown = rows[len(EXAMPLES):]
    n = len(EXAMPLES)
    assert (broken["source"], broken["line"]) == (str(jsonl), str(n + 1))
    assert broken["error"].startswith("invalid JSON")
    assert (typed["id"], typed["line"], typed["error_key"]) == ("bad-type", str(n + 2),
                                                                 "company.employees")
    assert "whole number" in typed["error"]
    assert unknown["error_key"] == "company.employes"
    assert "company.employees" in unknown["error"]  # did you mean
    assert typed["score"] == typed["failed"] == ""


def test_exit_codes_0_and_2(tmp_path: Path, jsonl: Path) -> None:
    """--fail-on never gives 0 when every company loads; a bad INPUT gives 2 and one line."""
    assert run("batch", str(jsonl), "--as-of", DAY, "--fail-on", "never")[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("id,company.name,company.employes\nx,A,3\n", encoding="utf-8")
    code, out, err = run("batch", str(bad), "--as-of", DAY, "--lang", "en")
    assert code == 2
    assert out == ""
    assert err.strip().splitlines() == [
        f"qcheck: error: {bad}:1: company.employes: column 'company.employes' is not a fact "
        "key; did you mean 'company.employees'?"]
    code, _, err = run("batch", str(tmp_path / "missing.jsonl"), "--lang", "en")
    assert code == 2
    assert "no such file" in err


def test_folder_input(tmp_path: Path, jsonl: Path) -> None:
    """A folder of TOML/JSON profiles gives the same rows as the JSON Lines file; a broken
    profile file is a row naming its line."""
    folder = tmp_path / "profiles"
    (folder / "sub").mkdir(parents=True)
    for path in EXAMPLES[:2]:
        shutil.copy(path, folder / path.name)
    (folder / "sub" / f"{EXAMPLES[2].stem}.json").write_text(
        json.dumps(example_data(EXAMPLES[2]), ensure_ascii=False), encoding="utf-8")
    (folder / "zz-broken.toml").write_text('[company]\nname = "x"\nemployees = "many"\n',
                                           encoding="utf-8")
    (folder / "notes.txt").write_text("not a profile", encoding="utf-8")
    out = tmp_path / "folder.jsonl"
    code, _, _ = run("batch", str(folder), "--as-of", DAY, "--summary", str(out))
    assert code == 4
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == [EXAMPLES[0].stem, EXAMPLES[1].stem, EXAMPLES[2].stem,
                                       "zz-broken"]
    reference = tmp_path / "ref.jsonl"
    run("batch", str(jsonl), "--as-of", DAY, "--summary", str(reference))
    expected = read_jsonl(reference)[:3]
    for got, want in zip(rows[:3], expected, strict=True):
        assert {k: v for k, v in got.items() if k not in ("source", "line")} == \
               {k: v for k, v in want.items() if k not in ("source", "line")}
    assert rows[3]["line"] == 3
    assert rows[3]["error_key"] == "company.employees"


def write_flat_csv(path: Path, companies: list[tuple[str, dict[str, object],
                                                     dict[str, list[dict[str, object]]]]]) -> None:
    """Companies as a CSV with its records companion, cells typed as text."""
    columns = sorted({k for _, flat, _ in companies for k in flat})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", *columns])
        for ident, flat, _ in companies:
            writer.writerow([ident, *(text_cell(flat[c]) if c in flat else "" for c in columns)])
    fields = sorted({f for _, _, recs in companies for rows in recs.values() for r in rows
                     for f in r})
    with path.with_name(path.stem + ".records.csv").open("w", encoding="utf-8",
                                                         newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "fact", *fields])
        for ident, _, recs in companies:
            for fact, rows in recs.items():
                if not rows:  # an empty table: the id and the fact, no field
                    writer.writerow([ident, fact])
                for r in rows:
                    writer.writerow([ident, fact, *(text_cell(r[f]) if f in r else ""
                                                    for f in fields)])


def test_csv_with_records_companion_matches_jsonl(tmp_path: Path, checklists) -> None:  # type: ignore[no-untyped-def]
    """Every example flattened to CSV columns (booleans as 是/否, lists with ;) and records in
    <stem>.records.csv gives the same summary as the same facts in JSON Lines."""
    companies = []
    lines = []
    for path in EXAMPLES:
        flat, records = flatten(example_data(path), checklists.facts)
        companies.append((path.stem, flat, records))
        lines.append(json.dumps({"id": path.stem, **flat, **records}, ensure_ascii=False))
    flat_csv = tmp_path / "companies.csv"
    write_flat_csv(flat_csv, companies)
    same = tmp_path / "same.jsonl"
    same.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out_csv, out_jsonl = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert run("batch", str(flat_csv), "--as-of", DAY, "--summary", str(out_csv))[0] == 1
    assert run("batch", str(same), "--as-of", DAY, "--summary", str(out_jsonl))[0] == 1
    strip = ("source", "line")
    got = [{k: v for k, v in r.items() if k not in strip} for r in read_jsonl(out_csv)]
    want = [{k: v for k, v in r.items() if k not in strip} for r in read_jsonl(out_jsonl)]
    assert got == want
    assert all(r["error"] is None for r in got)
    assert any(recs for _, _, recs in companies)  # the companion was exercised


def test_flat_cell_errors_name_row_and_column(tmp_path: Path) -> None:
    """A cell that is not a value of its fact is an error row naming the CSV line and column."""
    path = tmp_path / "c.csv"
    path.write_text("id,company.name,company.employees,company.produces\n"
                    "a,甲公司,12,是\nb,乙公司,十二,maybe\n", encoding="utf-8")
    out = tmp_path / "s.jsonl"
    assert run("batch", str(path), "--as-of", DAY, "--summary", str(out))[0] == 4
    first, second = read_jsonl(out)
    assert first["error"] is None
    assert first["name"] == "甲公司"
    assert (second["line"], second["error_key"]) == (3, "company.employees")
    assert "number" in str(second["error"])
    assert "1 more problem" in str(second["error"])


@pytest.mark.parametrize(("spec_type", "raw", "expected"), [
    ("bool", "是", True), ("bool", "FALSE", False), ("bool", True, True),
    ("int", "1,200", 1200), ("int", 68.0, 68), ("number", "0.6", 0.6),
    ("list", "food；toys; ", ["food", "toys"]), ("list", "无", []),
    ("string", 913502.0, "913502"),
    ("date", dt.datetime(2026, 1, 2), dt.date(2026, 1, 2)),
])
def test_cell_values(spec_type: str, raw: object, expected: object) -> None:
    """Cells typed as people type them in spreadsheets become fact values."""
    from conftest import spec
    assert cell_value(spec("k", spec_type), raw) == expected


@pytest.mark.parametrize(("spec_type", "raw"), [("bool", "maybe"), ("int", "1.5"),
                                                 ("number", "abc"), ("int", True)])
def test_bad_cells(spec_type: str, raw: object) -> None:
    """A cell that is no value of its type is a ValueError saying why."""
    from conftest import spec
    with pytest.raises(ValueError, match="expected"):
        cell_value(spec("k", spec_type), raw)


def test_outputs_are_atomic(tmp_path: Path) -> None:
    """A batch that breaks down midway (the CSV turns to non-UTF-8 bytes) exits 2 and leaves
    the summary and assessments that were there untouched, with no temporary files."""
    path = tmp_path / "c.csv"
    rows = "".join(f"c{i},公司{i},{i + 1}\n" for i in range(300))
    path.write_bytes(("id,company.name,company.employees\n" + rows).encode() + b"x,\xff\xfe,1\n")
    summary, documents = tmp_path / "s.csv", tmp_path / "a.jsonl"
    summary.write_text("old summary", encoding="utf-8")
    documents.write_text("old assessments", encoding="utf-8")
    code, _, err = run("batch", str(path), "--as-of", DAY, "--summary", str(summary),
                       "--assessments", str(documents), "--chunk-size", "10")
    assert code == 2, err
    assert "invalid CSV" in err or "UTF-8" in err or "codec" in err
    assert summary.read_text(encoding="utf-8") == "old summary"
    assert documents.read_text(encoding="utf-8") == "old assessments"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl", "c.csv", "s.csv"]


@pytest.mark.parametrize("detail", ["compact", "full"])
def test_assessments_jsonl(tmp_path: Path, jsonl: Path, checklists, detail: str) -> None:  # type: ignore[no-untyped-def]
    """--assessments writes one assessment document a line (compact by default: it names the
    checklists by sha256); read back (a compact one with the catalogue) it equals evaluate()'s."""
    from qcompliance import assessment_from_json

    documents = tmp_path / "a.jsonl"
    extra = () if detail == "compact" else ("--detail", "full")
    run("batch", str(jsonl), "--as-of", DAY, "--summary", str(tmp_path / "s.csv"),
        "--assessments", str(documents), *extra)
    lines = documents.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(EXAMPLES)
    assert (json.loads(lines[0]).get("detail") == "compact") == (detail == "compact")
    for path, line in zip(EXAMPLES, lines, strict=True):
        read = assessment_from_json(line, checklists=checklists)
        direct = evaluate(load_profile(path, checklists.facts), checklists, AS_OF,
                          skip_inapplicable=True)
        assert read.overall == direct.overall
        assert [(r.item, r.verdict) for r in read.results] == \
               [(r.item, r.verdict) for r in direct.results]
        assert [r.why for r in read.results if r.verdict is Verdict.FAIL] == \
               [r.why for r in direct.results if r.verdict is Verdict.FAIL]


def test_summary_to_stdout_without_progress_when_not_a_terminal(jsonl: Path) -> None:
    """Without --summary the CSV goes to stdout; stderr (not a terminal) has only the tally."""
    code, out, err = run("batch", str(jsonl), "--as-of", DAY, "--lang", "en")
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == [p.stem for p in EXAMPLES]
    assert err.strip().splitlines() == [
        f"qcheck: {len(EXAMPLES)} companies: {len(EXAMPLES)} evaluated, "
        f"{len(EXAMPLES)} failing (--fail-on), 0 could not be loaded"]


@pytest.mark.slow
def test_jobs_gives_the_serial_summary(tmp_path: Path, jsonl: Path) -> None:
    """--jobs 2 (a process pool, chunks of 2) writes the same bytes as the serial run."""
    serial, pooled = tmp_path / "serial.csv", tmp_path / "pooled.csv"
    assert run("batch", str(jsonl), "--as-of", DAY, "--summary", str(serial))[0] == 1
    assert run("batch", str(jsonl), "--as-of", DAY, "--summary", str(pooled), "--jobs", "2",
               "--chunk-size", "2")[0] == 1
    assert pooled.read_bytes() == serial.read_bytes()


def test_item_verdicts_are_the_results(checklists) -> None:  # type: ignore[no-untyped-def]
    """What a batch keeps of each result, read without building the results, is what the
    results say (unknown items, waivers and tailored-out items included)."""
    from qcompliance.engine.evaluate import item_verdicts
    from qcompliance.model import Waiver

    for path in EXAMPLES:
        profile = load_profile(path, checklists.facts)
        waiver = Waiver("cn-recall.food-recall-report", "test", "QA", dt.date(2027, 1, 1))
        for kwargs in ({}, {"waivers": [waiver]}, {"skip_inapplicable": True}):
            lazy = evaluate(profile, checklists, AS_OF, **kwargs)  # type: ignore[arg-type]
            got = list(item_verdicts(lazy))
            eager = evaluate(profile, checklists, AS_OF, **kwargs)  # type: ignore[arg-type]
            assert got == [(r.item, r.checklist, r.kind, r.level, r.verdict)
                           for r in eager.results]
            assert list(item_verdicts(eager)) == got  # results already built: read from them


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="pexpect.spawn needs a POSIX pty")
def test_progress_bar_on_a_terminal(tmp_path: Path, jsonl: Path) -> None:
    """On a real terminal (a pty), stderr shows the progress bar counting to the total, then
    the tally; the summary file is the same as without a terminal."""
    import pexpect
    out = tmp_path / "s.csv"
    child = pexpect.spawn(str(Path(sys.executable).with_name("qcheck")),
                          ["batch", str(jsonl), "--summary", str(out), "--as-of", DAY,
                           "--lang", "en"],
                          encoding="utf-8", timeout=120, dimensions=(24, 120),
                          env={**os.environ, "LANG": "C.UTF-8"})
    screen = child.read()
    child.close()
    assert child.exitstatus == 1
    n = len(EXAMPLES)
    assert "qcheck batch" in screen
    assert f"{n}/{n}" in screen
    assert f"qcheck: {n} companies" in screen
    plain_run = tmp_path / "plain.csv"
    run("batch", str(jsonl), "--summary", str(plain_run), "--as-of", DAY)
    assert out.read_bytes() == plain_run.read_bytes()
