"""Client-facing formats never show machine names: no item id, checklist id, fact key, stored
code (an English enum value) or condition syntax outside the appendix and machine formats."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cache

import pytest
from test_reports import visible_text

from conftest import ROOT
from qcompliance.engine.evaluate import evaluate
from qcompliance.loading.load import load_checklists, load_profile
from qcompliance.model import Assessment, FactSpec, Lang
from qcompliance.reports import render
from qcompliance.reports.summary import summary_lines

EXAMPLES = ["small-food-producer", "medium-electronics-exporter", "car-maker",
            "construction-company", "online-retailer"]
AS_OF = dt.date(2026, 11, 20)
CLIENT_FORMATS = ("summary", "markdown", "html", "xlsx")
SYNTAX = re.compile(r"要求等于|要求不小于|要求不大于|要求属于|要求包含|不得包含|为 否，|为 是，|"
                    r"\d{4}-W\d{2}|：不满足|: not met|"
                    # the terminal's answering conventions, which a report reader cannot use
                    r"填空列表|\[\]|填\s?(?:true|false)|an empty list")


@cache
def _assessment(name: str) -> Assessment:
    checklists = load_checklists()
    profile = load_profile(ROOT / "examples" / f"{name}.toml", checklists.facts)
    return evaluate(profile, checklists, AS_OF, skip_inapplicable=True)


def _codes(spec: FactSpec) -> Iterator[tuple[str, str]]:
    for value in spec.values or ():
        label = (spec.value_labels or {}).get(value)
        yield value, label.en if label else value
    for field in spec.fields or ():
        yield from _codes(field)


@cache
def _machine_names(name: str, lang: Lang) -> tuple[str, ...]:
    """Ids, keys and codes the assessment holds that a client must not read."""
    a = _assessment(name)
    names = {r.item for r in a.results} | {ref.id for ref in a.checklists}
    names |= {read.key for r in a.results for read in r.facts}
    names |= {q.key for q in a.facts_to_collect}
    facts = load_checklists().facts
    for spec in facts.values():
        for value, en in _codes(spec):
            # A one-letter section code or a code that is its own English word reads as text.
            if len(value) < 3 or (lang == "en" and value.replace("_", " ") in en.lower()):
                continue
            if lang == "zh" or "_" in value:
                names.add(value)
    return tuple(sorted(names, key=len, reverse=True))


def _shown(name: str, fmt: str, lang: Lang) -> str:
    a = _assessment(name)
    if fmt == "summary":
        return "\n".join(line for _, line in summary_lines(a, lang, 200))
    return visible_text(fmt, render(a, fmt, lang))


def _leaks(text: str, names: tuple[str, ...]) -> list[str]:
    found = [n for n in names
             if re.search(rf"(?<![A-Za-z0-9_.\-]){re.escape(n)}(?![A-Za-z0-9_\-])", text)]
    return found + SYNTAX.findall(text)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", CLIENT_FORMATS)
@pytest.mark.parametrize("name", EXAMPLES)
def test_no_machine_names(name: str, fmt: str, lang: Lang) -> None:
    """The standard report of every example, in every client format and language, is clean."""
    assert _leaks(_shown(name, fmt, lang), _machine_names(name, lang)) == []


def test_the_check_finds_a_leak() -> None:
    """The check is not vacuous: the appendix (which is for reviewers) is full of ids."""
    a = _assessment("small-food-producer")
    text = visible_text("markdown", render_markdown_with_appendix(a))
    leaks = _leaks(text, _machine_names("small-food-producer", "zh"))
    assert a.results[0].item in leaks


def render_markdown_with_appendix(a: Assessment) -> str:
    """The Markdown report with its appendix."""
    from qcompliance.reports.markdown import render_markdown

    return render_markdown(a, "zh", appendix=True)
