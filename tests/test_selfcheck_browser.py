"""The browser self-check end to end in headless Chromium (Playwright), as the small food
producer of examples/small-food-producer.toml would do it.

The quick self-check is the default; it asks at most 45 questions, its "about N" estimate never
grows by more than a few once the gating questions are answered, no machine name (fact key,
item id, English value code) is visible, a reload half-way resumes at the same question, and
the result opens on the decision, with the full report on its own printable page.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from selfcheck_pages import (
    CHROMIUM,
    FACTS,
    SNAKE,
    answer_shown,
    current,
    launch,
    open_start,
    wait_for_change,
)
from serving import running_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Debian chromium installed"),
]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A real qcheck serve on a free port."""
    with running_server("--no-access-log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for the module."""
    with sync_playwright() as pw:
        chromium = launch(pw)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A fresh page (its own storage), and the list console messages and errors go to."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"console.{m.type}: {m.text}"))
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    yield page, messages
    context.close()


def _visible_machine_names(page: Page, key: str) -> list[str]:
    text = page.locator("main").inner_text()
    names = [key.removesuffix("!plain")] if key.removesuffix("!plain") in text else []
    return names + SNAKE.findall(text)


def test_quick_self_check_resumes_after_reload_and_opens_on_the_decision(
        server: str, page: tuple[Page, list[str]]) -> None:
    """At most 45 questions, no machine names, reload resumes, result first, report prints."""
    page_, messages = page
    open_start(page_, server)
    assert page_.locator("#mode-quick").is_checked()
    assert page_.locator("#lists-auto").is_checked()
    assert not SNAKE.findall(page_.locator("main").inner_text())
    assert "cn-" not in page_.locator("main").inner_text()
    page_.locator("#begin").click()
    wait_for_change(page_, None)

    asked: list[str] = []
    estimates: list[int] = []
    reloaded = False
    while page_.locator("#done").is_hidden():
        key, _ = current(page_)
        assert key not in asked, f"{key} asked twice: {page_.locator('#q-error').inner_text()}"
        progress = page_.locator("#progress-text").inner_text()
        match = re.fullmatch(r"第 (\d+) 题，共约 (\d+) 题", progress)
        assert match, progress
        estimates.append(int(match[2]))
        assert _visible_machine_names(page_, key) == [], key
        if len(asked) == 12 and not reloaded:
            page_.reload()
            wait_for_change(page_, None)
            assert current(page_)[0] == key, "a reload must resume at the same question"
            other = page_.context.new_page()  # a new tab of the same browser resumes too
            other.goto(server + "/")
            wait_for_change(other, None)
            assert current(other)[0] == key, "a new tab must resume at the same question"
            other.close()
            reloaded = True
        asked.append(answer_shown(page_))
        wait_for_change(page_, key)
    assert reloaded
    assert len(asked) <= 45, f"{len(asked)} questions in the quick self-check"
    # Once the gating questions (the first eight) are in, the estimate grows by a few at most.
    settled = estimates[8:]
    assert all(b - a <= 3 for a, b in itertools.pairwise(settled)), estimates

    page_.wait_for_selector(".score-value")
    decision = page_.locator("#decision").inner_text()
    assert str(FACTS["company.name"]) in decision
    assert "法定义务得分" in decision
    assert "的适用条目可判定" in decision, decision
    assert "整改期限" in decision
    assert "接下来请收集" in decision
    assert not SNAKE.findall(decision), decision
    assert page_.locator("iframe").count() == 0

    with page_.context.expect_page() as opened:
        page_.locator("#show-report").click()
    report = opened.value
    report.wait_for_load_state()
    assert str(FACTS["company.name"]) in report.locator("body").inner_text()
    assert report.pdf(format="A4")[:4] == b"%PDF"
    assert messages == []


def test_quick_result_offers_the_full_self_check_that_goes_on_from_the_answers(
        server: str, page: tuple[Page, list[str]]) -> None:
    """After a quick check, "answer the remaining questions" continues, asking nothing twice."""
    page_, messages = page
    open_start(page_, server)
    page_.locator("#begin").click()
    wait_for_change(page_, None)
    asked: list[str] = []
    while page_.locator("#done").is_hidden():
        key = current(page_)[0]
        asked.append(answer_shown(page_))
        wait_for_change(page_, key)
    page_.wait_for_selector(".score-value")
    page_.locator("#done-full").click()
    wait_for_change(page_, None)
    assert page_.locator("#ask").is_visible()
    # The full order differs (the credit code comes early), but no answer is asked again.
    for _ in range(8):
        key = current(page_)[0]
        assert key not in asked, key
        answer_shown(page_)
        wait_for_change(page_, key)
    assert messages == []


def test_a_downloaded_profile_uploaded_in_another_browser_goes_on(
        server: str, browser: Browser, tmp_path: Path) -> None:
    """Download the profile after a few answers; a browser without the saved answers imports
    it on the start page and goes on at the first question not yet answered."""
    first = browser.new_context(viewport={"width": 1100, "height": 900}, accept_downloads=True)
    page_ = first.new_page()
    open_start(page_, server)
    page_.locator("#begin").click()
    wait_for_change(page_, None)
    asked = []
    for _ in range(6):
        key = current(page_)[0]
        asked.append(answer_shown(page_))
        wait_for_change(page_, key)
    waiting = current(page_)[0]
    with page_.expect_download() as download:
        page_.locator("#save").click()
    saved = tmp_path / "profile.toml"
    download.value.save_as(saved)
    first.close()
    assert str(FACTS["company.name"]) in saved.read_text(encoding="utf-8")

    second = browser.new_context(viewport={"width": 1100, "height": 900})
    other = second.new_page()
    open_start(other, server)
    other.locator("details.field summary").click()
    other.locator("#import").set_input_files(str(saved))
    assert other.locator("#import-name").inner_text() == "profile.toml"
    other.locator("#begin").click()
    wait_for_change(other, None)
    assert current(other)[0] == waiting
    assert re.match(r"第 1 题", other.locator("#progress-text").inner_text())
    second.close()


def test_an_imported_profile_that_does_not_load_is_explained_in_the_pages_language(
        tmp_path: Path, page: tuple[Page, list[str]], server: str) -> None:
    """The server's problem names file and line; the page says what is wrong in Chinese, then
    in English after the switch."""
    page_, _ = page
    bad = tmp_path / "上次的档案.toml"
    bad.write_text('[company]\nname = "甲"\nemployees = "many"\n', encoding="utf-8")
    open_start(page_, server)
    page_.locator("details.field summary").click()
    page_.locator("#import").set_input_files(str(bad))
    page_.locator("#begin").click()
    shown = page_.locator("#start-problems")
    shown.filter(has_text="第 3 行").wait_for()
    assert "上次的档案.toml 第 3 行：应填整数" in shown.inner_text()
    assert "expected" not in shown.inner_text()
    page_.locator("#lang").click()
    page_.locator("#begin").click()
    shown.filter(has_text="line 3").wait_for()
    assert "expected a whole number" in shown.inner_text()
