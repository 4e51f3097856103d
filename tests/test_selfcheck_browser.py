"""The browser self-check, end to end in headless Chromium driven by Playwright.

A small food producer (the answers of examples/small-food-producer.toml) fills in the
self-check for the recall checklist with the keyboard alone: a wrong number is flagged as it is
typed, the profile is downloaded half-way, the page is reloaded and the download imported to go
on, the language is switched, and the report at the end shows the gaps a local run finds. The
console must stay silent. Screenshots of every step go to tests/artifacts/selfcheck/ (or
$QCHECK_SCREENSHOTS).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright
from serving import running_server

from conftest import AS_OF, ROOT
from qcompliance import Verdict, evaluate, load_checklists, load_profile

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Debian chromium installed"),
]

EXAMPLE = ROOT / "examples" / "small-food-producer.toml"
CHECKLIST = "cn-recall"
SHOTS = Path(os.environ.get("QCHECK_SCREENSHOTS", ROOT / "tests" / "artifacts" / "selfcheck"))
_FIELD = re.compile(r"^(?P<fact>.+)\[(?P<i>\d+)\]\.(?P<field>.+)$")


def _text(value: object) -> str:
    """A profile value as a person would type it."""
    if value is None:
        return "?"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def _answer(key: str, kind: str) -> str:
    """What the food producer answers to the question about ``key``."""
    facts = PROFILE.facts
    if kind == "count":
        fact = facts.get(key)
        return "?" if fact is None else str(len(fact.value))
    if (match := _FIELD.match(key)) is not None:
        records = facts[match["fact"]].value
        return _text(records[int(match["i"])].get(match["field"]))
    fact = facts.get(key)
    return _text(None if fact is None else fact.value)


CHECKLISTS = load_checklists()
PROFILE = load_profile(EXAMPLE, CHECKLISTS.facts)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A real qcheck serve on a free port."""
    with running_server("--no-access-log") as url:
        yield url


@pytest.fixture
def browser_page() -> Iterator[tuple[Page, list[str]]]:
    """A Chromium page, and the list every console message and page error goes to."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync",
                  "--disable-dev-shm-usage"])
        context = browser.new_context(accept_downloads=True, viewport={"width": 1100,
                                                                        "height": 900})
        page = context.new_page()
        messages: list[str] = []
        page.on("console", lambda m: messages.append(f"console.{m.type}: {m.text}"))
        page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
        try:
            yield page, messages
        finally:
            context.close()
            browser.close()


class Steps:
    """Screenshots named in order."""

    def __init__(self, page: Page) -> None:
        self.page, self.n = page, 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        for old in SHOTS.glob("*.png"):
            old.unlink()

    def shot(self, name: str, full: bool = False) -> None:
        self.n += 1
        self.page.screenshot(path=str(SHOTS / f"{self.n:02d}-{name}.png"),
                             full_page=full)


def _current(page: Page) -> tuple[str, str]:
    form = page.locator("#q-form")
    return form.get_attribute("data-key"), form.get_attribute("data-type")


def _wait_for_change(page: Page, previous: str | None) -> None:
    page.wait_for_function(
        """previous => {
            const ask = document.getElementById('ask'), done = document.getElementById('done');
            if (!done.hidden) return true;
            return !ask.hidden && document.getElementById('q-form').dataset.key !== previous;
        }""", arg=previous)


def _answer_with_keyboard(page: Page, key: str, type_: str) -> None:
    """Answer the question shown, with keys only (focus starts on the answer)."""
    kind = "count" if type_ == "count" else "fact"
    answer = _answer(key.removesuffix("!plain"), kind)
    keyboard = page.keyboard
    if answer == "?":
        # Tab from the answer to the "don't know" button: past the last choice, then Next.
        page.locator("#unknown").focus()
        keyboard.press("Enter")
        return
    if type_ in ("bool", "enum"):
        values = page.locator("#q-body input[name=answer]").evaluate_all(
            "els => els.map(e => e.value)")
        wanted = values.index(answer)
        keyboard.press("Space")  # select the focused first choice
        for _ in range(wanted):
            keyboard.press("ArrowDown")
        keyboard.press("Enter")
        return
    if type_ == "list":
        wanted = set(answer.split(",")) if answer else set()
        boxes = page.locator("#q-body input[type=checkbox]")
        for i in range(boxes.count()):
            value = boxes.nth(i).get_attribute("value")
            if value in wanted or (not wanted and value == "none"):
                keyboard.press("Space")
            keyboard.press("Tab")
        keyboard.press("Enter")  # focus is on Next
        return
    if type_ == "date":
        # A date field's segments follow the browser's locale; fill sets the ISO value.
        page.locator("#answer").fill(answer)
        keyboard.press("Enter")
        return
    keyboard.type(answer)
    keyboard.press("Enter")


def test_food_producer_self_check_end_to_end(server: str, browser_page: tuple[Page, list[str]],
                                             tmp_path: Path) -> None:
    """Answer every question, save and resume, switch language, and read the gaps."""
    page, messages = browser_page
    steps = Steps(page)
    page.goto(server + "/")
    page.wait_for_selector("input[name=checklist]")
    assert page.title() == "企业质量合规自查"
    steps.shot("start-zh")

    page.locator("#lang").focus()
    page.keyboard.press("Enter")
    assert page.title() == "Quality compliance self-check"
    assert page.locator("html").get_attribute("lang") == "en"
    steps.shot("start-en")
    page.keyboard.press("Enter")
    assert page.title() == "企业质量合规自查"

    for box in page.locator("input[name=checklist]").all():
        if box.get_attribute("value") != CHECKLIST:
            box.focus()
            page.keyboard.press("Space")
    page.locator("#as-of").fill(AS_OF.isoformat())
    page.locator("#begin").focus()
    page.keyboard.press("Enter")
    _wait_for_change(page, None)
    steps.shot("first-question")

    asked: list[str] = []
    saved: Path | None = None
    previous = None
    while page.locator("#done").is_hidden():
        key, type_ = _current(page)
        status = page.locator("#q-status").text_content()
        assert key != previous, f"question {key} asked again: {status}"
        progress = page.locator("#progress-text").text_content()
        assert re.fullmatch(r"第 \d+ 题，共约 \d+ 题", progress or ""), progress
        if key == "company.employees":
            # Checked as typed: a word where a number belongs is flagged before submitting.
            page.keyboard.type("many")
            page.wait_for_function(
                "() => document.getElementById('q-status').classList.contains('bad')")
            steps.shot("typed-answer-rejected")
            page.locator("#answer").fill("")
        if len(asked) == 8 and saved is None:
            with page.expect_download() as download:
                page.locator("#save").focus()
                page.keyboard.press("Enter")
            saved = tmp_path / "profile.toml"
            download.value.save_as(saved)
            steps.shot("saved-half-way")
            page.reload()
            page.wait_for_selector("input[name=checklist]")
            for box in page.locator("input[name=checklist]").all():
                if box.get_attribute("value") != CHECKLIST:
                    box.uncheck()
            page.locator("#as-of").fill(AS_OF.isoformat())
            page.locator("#import").set_input_files(str(saved))
            steps.shot("import-saved-profile")
            page.locator("#begin").click()
            _wait_for_change(page, None)
            resumed, _ = _current(page)
            assert resumed not in asked[:8] or _answer(resumed, "fact") == "?", resumed
            steps.shot("resumed")
            previous = None
            continue
        if len(asked) == 12:
            steps.shot("question-12")
            # The question is asked again in English, then back in Chinese.
            page.locator("#lang").click()
            page.wait_for_function(
                "() => /^Question \\d+ of about \\d+$/.test("
                "document.getElementById('progress-text').textContent)")
            steps.shot("question-12-en")
            page.locator("#lang").click()
            page.wait_for_function(
                "() => document.getElementById('progress-text').textContent.startsWith('第')")
            page.locator("#q-body input").first.focus()
        asked.append(key)
        _answer_with_keyboard(page, key, type_)
        _wait_for_change(page, key)
        previous = key
    steps.shot("done")
    assert len(asked) < 60, f"{len(asked)} questions: the checklist choice was lost"
    assert saved is not None
    assert "福州闽味园食品有限公司" in saved.read_text(encoding="utf-8")

    page.locator("#show-report").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#report:not([hidden])")
    frame = page.frame_locator("#report-frame")
    frame.locator("body").wait_for()
    report_text = frame.locator("body").inner_text()
    steps.shot("report")
    page.locator("#report-frame").screenshot(
        path=str(SHOTS / f"{steps.n + 1:02d}-report-frame.png"))

    local = evaluate(PROFILE, load_checklists([CHECKLIST]), AS_OF)
    gaps = [r for r in local.results if r.verdict is Verdict.FAIL]
    assert gaps, "the example should have gaps in the recall checklist"
    for result in gaps:
        assert result.title.zh in report_text, result.item
    assert "福州闽味园食品有限公司" in report_text
    assert messages == []
