"""The browser self-check keeps its answers in the workspace: with a company token, every
answer goes to the company's draft on the server, and another device (a new browser context,
nothing in its storage) resumes at the same question with the same token."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright
from selfcheck_pages import (
    CHROMIUM,
    SNAKE,
    answer_shown,
    current,
    group_rows,
    launch,
    open_start,
    wait_for_change,
)
from serving import running_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Debian chromium installed"),
]
FOOD = "91350100M000100Y43"
VIEW: ViewportSize = {"width": 1100, "height": 900}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A server with an empty SQLite workspace, the food producer's token and a consultant's
    (issued as ``qcheck serve token create`` issues them)."""
    from qcompliance.store import Store
    from qcompliance.store.tokens import create_token

    url = f"sqlite:///{tmp_path_factory.mktemp('selfcheck-ws') / 'w.sqlite3'}"
    store = Store(url)
    try:
        tokens = {"food": create_token(store, "company", FOOD),
                  "consultant": create_token(store, "consultant")}
    finally:
        store.close()
    with running_server("--store", url, "--no-access-log") as base:
        yield base, tokens


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for the module."""
    with sync_playwright() as pw:
        chromium = launch(pw)
        yield chromium
        chromium.close()


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("QCHECK_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _watch(page: Page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"console.{m.type}: {m.text}"))
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    return messages


def _sign_in(page: Page, token: str, uscc: str | None = None, shot: Path | None = None
             ) -> None:
    page.wait_for_selector("#auth:not([hidden])")
    page.locator("#token").fill(token)
    if uscc is not None:
        page.locator("#auth-form button[type=submit]").click()
        page.wait_for_selector("#company-field:not([hidden])")
        page.locator("#uscc").fill(uscc)
    if shot is not None:
        page.screenshot(path=str(shot))
    page.locator("#auth-form button[type=submit]").click()
    page.wait_for_selector("#auth", state="hidden")


def _draft(url: str, token: str, uscc: str) -> dict[str, Any] | None:
    response = httpx.get(f"{url}/v1/companies/{uscc}/draft",
                         headers={"Authorization": f"Bearer {token}"}, timeout=10)
    return response.json() if response.status_code == 200 else None


def _saved(url: str, token: str, uscc: str, answers: int) -> dict[str, Any]:
    """The draft on the server once it holds ``answers`` answers (saves go out after the
    answer is given, so the last may still be on its way)."""
    deadline = time.monotonic() + 30
    while True:
        draft = _draft(url, token, uscc)
        if draft is not None and len(draft["answers"]) == answers:
            return draft
        assert time.monotonic() < deadline, f"the server holds {draft}"
        time.sleep(0.1)


def test_answers_saved_on_the_server_resume_on_another_device(
        workspace: tuple[str, dict[str, str]], browser: Browser, tmp_path: Path) -> None:
    """Five answers with the company token; a new browser context with the same token goes on
    at the sixth question, and a reload there needs no token again."""
    url, tokens = workspace
    shots = _shots(tmp_path)
    first = browser.new_context(viewport=VIEW)
    page = first.new_page()
    messages = _watch(page)
    open_start(page, url)
    _sign_in(page, tokens["food"], shot=shots / "selfcheck-server-token.png")
    page.locator("#begin").click()
    wait_for_change(page, None)
    asked = []
    for _ in range(5):
        key = current(page)[0]
        asked.append(answer_shown(page))
        wait_for_change(page, key)
    waiting = current(page)[0]
    progress = page.locator("#progress-text").inner_text()
    assert re.match(r"第 6 题", progress), progress
    draft = _saved(url, tokens["food"], FOOD, 5)
    assert draft["order"] == asked
    page.wait_for_selector("#saved-where[data-where=server]")
    assert "保存到服务器" in page.locator("#saved-where").inner_text()
    page.screenshot(path=str(shots / "selfcheck-server-answering.png"))
    assert not first.cookies()
    first.close()

    other = browser.new_context(viewport=VIEW)  # another device: nothing in its storage
    page = other.new_page()
    messages += _watch(page)
    page.goto(url + "/")
    _sign_in(page, tokens["food"])
    wait_for_change(page, None)
    assert current(page)[0] == waiting, "another device must resume at the same question"
    assert page.locator("#progress-text").inner_text() == progress
    assert not SNAKE.findall(page.locator("main").inner_text())
    page.screenshot(path=str(shots / "selfcheck-server-resumed.png"))
    page.reload()  # the token is kept: no second sign-in
    wait_for_change(page, None)
    assert page.locator("#auth").is_hidden()
    assert current(page)[0] == waiting
    rows = len(group_rows(page)) if current(page)[1] == "group" else 1
    answer_shown(page)
    wait_for_change(page, waiting)
    assert len(_saved(url, tokens["food"], FOOD, 5 + rows)["answers"]) == 5 + rows
    other.close()
    # The browser logs the 401 that asks for the token and the 404 of a company without a
    # draft yet; nothing else may go wrong.
    expected = re.compile(r"console\.error: Failed to load resource: .* (401|404) ")
    assert [m for m in messages if not expected.match(m)] == []


def test_a_consultant_names_the_company_and_its_draft_is_used(
        workspace: tuple[str, dict[str, str]], browser: Browser, tmp_path: Path) -> None:
    """A consultant's token sees every company, so the page asks which one; the answers then
    go to that company's draft, which its own token reads."""
    url, tokens = workspace
    other = "91340100MA2NW5R87E"
    context = browser.new_context(viewport=VIEW)
    page = context.new_page()
    open_start(page, url)
    _sign_in(page, tokens["consultant"], uscc=other,
             shot=_shots(tmp_path) / "selfcheck-server-company.png")
    assert f"company={other}" in page.url
    page.locator("#begin").click()
    wait_for_change(page, None)
    key = current(page)[0]
    answer_shown(page)
    wait_for_change(page, key)
    assert _saved(url, tokens["consultant"], other, 1)["order"] == [key]
    context.close()
    forbidden = httpx.get(f"{url}/v1/companies/{other}/draft",
                          headers={"Authorization": f"Bearer {tokens['food']}"}, timeout=10)
    assert forbidden.status_code == 403
