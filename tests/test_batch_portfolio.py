"""The portfolio report of a batch: its tables against the summary, the workbook, and the HTML
page in real headless Chromium (console clean, hostile names stay text, a screenshot)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from test_batch import DAY, EXAMPLES, example_data, read_jsonl, run
from test_html_browser import BROWSER, _chromium, _console, _png_size

from conftest import AS_OF
from qcompliance import load_checklists
from qcompliance.batch import Job, evaluate_chunk, open_source
from qcompliance.batch.portfolio import Portfolio, short_title, voluntary

PAYLOAD = "<script>alert(1)</script>"
FORMULA = "=HYPERLINK(\"http://x\")"


@pytest.fixture
def portfolio_input(tmp_path: Path) -> Path:
    """The examples, one renamed to a script and one to a formula, and one that does not load."""
    lines = []
    for n, path in enumerate(EXAMPLES):
        data = example_data(path)
        company = data["company"]
        assert isinstance(company, dict)
        if n == 0:
            company["name"] = PAYLOAD
        if n == 1:
            company["name"] = FORMULA
        lines.append(json.dumps({"id": f"{path.stem}<b>", **data}, ensure_ascii=False))
    lines.append(json.dumps({"id": "broken<i>", "company": {"<img src=x>": 1}}))
    out = tmp_path / "portfolio.jsonl"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _batch(tmp_path: Path, source: Path, lang: str) -> tuple[Path, Path, Path]:
    html, xlsx, summary = (tmp_path / f"p.{lang}.html", tmp_path / f"p.{lang}.xlsx",
                           tmp_path / f"s.{lang}.jsonl")
    code, _, err = run("batch", str(source), "--as-of", DAY, "--lang", lang, "--report",
                       str(html), "--report", str(xlsx), "--summary", str(summary))
    assert code == 4, err
    return html, xlsx, summary


def test_workbook_tables_match_the_summary(tmp_path: Path, portfolio_input: Path) -> None:
    """Heat map rows are the summary's scores; the common gaps count the summary's failures;
    the worst companies are ranked by mandatory failures; a formula-like name stays text."""
    import openpyxl
    _, xlsx, summary = _batch(tmp_path, portfolio_input, "en")
    rows = [r for r in read_jsonl(summary) if r["error"] is None]
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["Heat map", "Common gaps", "Mandatory failures", "Not loaded"]
    heat = list(book["Heat map"].iter_rows(values_only=True))
    # The columns: every checklist scored for at least one company, in catalogue order.
    scored = [c for c in load_checklists()
              if any(r[f"score.{c.id}"] is not None for r in rows)]
    ids = [c.id for c in scored]
    assert len(ids) < len(load_checklists().checklists)  # other provinces' rules left out
    assert [str(h) for h in heat[0][3:]] == [short_title(c.title.en) for c in scored]
    assert book["Heat map"].freeze_panes == "C2"
    assert heat[1][0] == "Average"
    assert [r[0] for r in heat[2:]] == [r["id"] for r in rows]
    for got, row in zip(heat[2:], rows, strict=True):
        assert list(got[3:]) == [row[f"score.{i}"] for i in ids]
    assert heat[3][1] == "'" + FORMULA
    for col, checklist_id in enumerate(ids, start=3):
        key = f"score.{checklist_id}"
        values = [r[key] for r in rows if r[key] is not None]
        expected = round(sum(values) / len(values), 4) if values else None  # type: ignore[arg-type]
        assert heat[1][col] == expected
    gaps = list(book["Common gaps"].iter_rows(values_only=True))[1:]
    titles = {item.id: item.title.en for c in load_checklists() for item in c.items}
    counts = {title: count for title, _, count, _ in gaps}
    mandatory = [titles[i] for r in rows for i in r["mandatory_failures"]]  # type: ignore[union-attr]
    for item in set(mandatory) & set(counts):  # a mandatory failure is a failure
        assert counts[item] == mandatory.count(item)
    assert [g[2] for g in gaps] == sorted((g[2] for g in gaps), reverse=True)
    worst = list(book["Mandatory failures"].iter_rows(values_only=True))[1:]
    assert [w[2] for w in worst] == sorted((len(r["mandatory_failures"]) for r in rows  # type: ignore[arg-type]
                                            if r["mandatory_failures"]), reverse=True)
    errors = list(book["Not loaded"].iter_rows(values_only=True))[1:]
    assert [e[0] for e in errors] == ["broken<i>"]
    assert errors[0][2] == "company.<img src=x>"


def test_heat_map_keeps_the_worst_when_limited() -> None:
    """With more companies than the limit, the heat map keeps those with the most mandatory
    failures and says how many it shows."""
    checklists = load_checklists()
    job = Job(checklists, AS_OF)
    source = open_source(EXAMPLES[0].parent, checklists.facts)
    entries = [e for e in source.entries if not e.origin.endswith("tailoring.toml")]
    outcomes = evaluate_chunk(job, entries)
    portfolio = Portfolio(checklists, AS_OF, limit=2)
    for outcome in outcomes:
        portfolio.add(outcome)
    by_count = sorted(outcomes, key=lambda o: (len(o.mandatory_failures), -(o.score or 1)),
                      reverse=True)
    assert {r.ident for r in portfolio.shown()} == {o.ident for o in by_count[:2]}
    assert [r.index for r in portfolio.shown()] == sorted(r.index for r in portfolio.shown())
    from qcompliance.batch.portfolio import render_portfolio_html
    page = render_portfolio_html(portfolio, "en")
    assert f"Showing the 2 companies with the most mandatory failures (of {len(outcomes)})" in page


@pytest.mark.slow
@pytest.mark.skipif(BROWSER is None, reason="no Chromium or Chrome browser is installed")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_portfolio_page_in_chromium(tmp_path: Path, portfolio_input: Path, lang: str) -> None:
    """No console message; no script element; the hostile names and ids are text; the page
    renders to a non-blank screenshot (kept in QCOMPLIANCE_SCREENSHOTS=DIR if set)."""
    html, _, _ = _batch(tmp_path, portfolio_input, lang)
    run_ = _chromium(tmp_path, "--dump-dom", html.as_uri())
    assert run_.returncode == 0, run_.stderr[-2000:]
    assert _console(run_.stderr) == []
    dom = run_.stdout
    assert "<script" not in dom.lower()
    assert "<img" not in dom.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "broken&lt;i&gt;" in dom
    assert dom.count('class="c ') >= len(EXAMPLES) * 16
    shot = tmp_path / f"portfolio.{lang}.png"
    run_ = _chromium(tmp_path, "--window-size=1300,1800", f"--screenshot={shot}", html.as_uri())
    assert run_.returncode == 0, run_.stderr[-2000:]
    assert _console(run_.stderr) == []
    assert _png_size(shot) == (1300, 1800)
    assert shot.stat().st_size > 40_000
    keep = os.environ.get("QCOMPLIANCE_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)


def test_portfolio_for_any_client(tmp_path: Path, portfolio_input: Path) -> None:
    """--title names the report; headers are the checklists' short Chinese names; voluntary
    checklists are never coloured red; gaps are named by title, not id; --company-reports
    writes each company's own report and the portfolio links to it."""
    html = tmp_path / "out" / "组合.html"
    reports = tmp_path / "out" / "企业报告"
    summary = tmp_path / "summary.jsonl"
    code, _, err = run("batch", str(portfolio_input), "--as-of", DAY, "--report", str(html),
                       "--title", "某集团供应商质量合规概览", "--company-reports", str(reports),
                       "--summary", str(summary))
    assert code == 4, err
    page = html.read_text(encoding="utf-8")
    assert "<title>某集团供应商质量合规概览 · " in page
    assert "<h1>某集团供应商质量合规概览</h1>" in page
    checklists = load_checklists()
    rows = [r for r in read_jsonl(summary) if r["error"] is None]
    for c in checklists:
        # A column for every checklist scored for some company; none for the others.
        scored = any(r[f"score.{c.id}"] is not None for r in rows)
        assert (f">{short_title(c.title.zh)}</th>" in page) == scored, c.id
        assert f">{c.id}<" not in page
    soft = voluntary(checklists)
    assert soft  # the built-in catalogue has encouraged-only checklists
    for row in page.split("<tr>")[2:]:
        cells = row.split('<td class="c ')[1:]
        for c, cell in zip(checklists, cells, strict=False):
            if c.id in soft:
                assert not cell.startswith(("h0", "h1")), (c.id, cell[:40])
    items = {item.id for c in checklists for item in c.items}
    assert not any(f"<code>{i}</code>" in page or f">{i}<" in page for i in items)
    written = sorted(p.name for p in reports.iterdir())
    assert len(written) == len(EXAMPLES)
    assert all(name.endswith(".html") for name in written)
    for name in written:
        assert f'href="企业报告/{name}"' in page
    one = (reports / written[-1]).read_text(encoding="utf-8")
    assert "结论" in one
