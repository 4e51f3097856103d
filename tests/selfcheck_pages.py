"""Driving the browser self-check as the small food producer would: shared by the browser tests
and scripts/screenshots_web.py.

The answers are those of examples/small-food-producer.toml, given through the page's own
controls (radio buttons, checkboxes, date and number fields, the records table).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, Playwright

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "small-food-producer.toml"
AS_OF = dt.date(2026, 11, 20)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
STORE_KEY = "qcheck.selfcheck.v1"
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
"""A machine name (fact key part, enum code) that must never show in the zh page."""


def launch(pw: Playwright) -> Browser:
    """Headless Debian Chromium with the flags a container needs."""
    return pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)


def _facts() -> dict[str, object]:
    """The example's facts as plain values, by dotted key."""
    import tomllib

    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    out: dict[str, object] = {}

    def walk(node: dict[str, object], prefix: str) -> None:
        for key, value in node.items():
            path = f"{prefix}{key}"
            if isinstance(value, dict) and "value" in value:
                out[path] = value["value"]
            elif isinstance(value, dict):
                walk(value, path + ".")
            else:
                out[path] = value

    walk({k: v for k, v in data.items() if k != "schema"}, "")
    return out


FACTS = _facts()


def cell(value: object) -> str:
    """A value as the page's controls name it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value) or "无"
    return str(value)


def answer_for(key: str) -> object:
    """What the food producer answers to the question about ``key`` ("?" when it does not
    know); records as table rows, cells as text."""
    value = FACTS.get(key.removesuffix("!plain"))
    if value is None:
        return "?"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [{k: cell(v) for k, v in row.items()} for row in value]
    if value == [] and key.endswith(("_events", "recalls", "checks", "reviews", "meetings")):
        return []
    return cell(value)


def api_answers(url: str, *, quick: bool = True, until: str | None = None,
                key: str | None = None, limit: int = 500
                ) -> tuple[dict[str, object], dict[str, object]]:
    """Answers given through the JSON API up to (not including) the first question of type
    ``until`` (or whose id ends with ``key``), or to the end; and that question (or the done
    step)."""
    answers: dict[str, object] = {}
    for _ in range(limit):
        step = httpx.post(url + "/v1/selfcheck/next", json={
            "answers": answers, "quick": quick, "as_of": AS_OF.isoformat()}, timeout=60).json()
        if step["done"]:
            return answers, step
        question = step["question"]
        if (until is not None and question["type"] == until) or (
                key is not None and question["id"].endswith(key)):
            return answers, question
        for row in question.get("rows") or [question]:  # a grouped screen: each row
            answers[row["id"]] = answer_for(row["id"])
    raise AssertionError("the interview did not end")


def session_script(answers: dict[str, object], *, quick: bool = True, lang: str = "zh") -> str:
    """A script putting a saved self-check into the page's browser storage before it loads."""
    session = {"v": 1, "lang": lang, "quick": quick, "auto": True, "chosen": [],
               "asOf": AS_OF.isoformat(), "profile": None, "profileName": None,
               "answers": answers, "order": list(answers)}
    return (f"if (!sessionStorage.getItem('seeded')) {{ sessionStorage.setItem('seeded', '1'); "
            f"localStorage.setItem({json.dumps(STORE_KEY)}, {json.dumps(json.dumps(session))}); }}")


def current(page: Page) -> tuple[str, str]:
    """The id and type of the question shown."""
    form = page.locator("#q-form")
    return form.get_attribute("data-key") or "", form.get_attribute("data-type") or ""


def wait_for_change(page: Page, previous: str | None) -> None:
    """Until another question, or the result, is shown and the page is idle."""
    page.wait_for_function(
        """previous => {
            if (document.getElementById('ask').getAttribute('aria-busy') === 'true') return false;
            if (!document.getElementById('done').hidden) return true;
            return !document.getElementById('ask').hidden &&
                   document.getElementById('q-form').dataset.key !== previous;
        }""", arg=previous)


def fill_records(page: Page, rows: list[dict[str, str]]) -> None:
    """Type ``rows`` into the records table, one added row each."""
    for i, row in enumerate(rows):
        page.locator("#records-add").click()
        line = page.locator("#records-body tr").nth(i)
        for field, value in row.items():
            control = line.locator(f"[data-field='{field}']")
            if control.evaluate("e => e.tagName") == "SELECT":
                control.select_option(value)
            else:
                control.fill(value)


def group_rows(page: Page) -> list[str]:
    """The question ids of the rows of a grouped screen, in order."""
    return [str(row.get_attribute("data-id")) for row in page.locator("#q-body tr[data-id]").all()]


def answer_shown(page: Page) -> str:
    """Answer the question shown as the food producer would, with the page's controls."""
    key, type_ = current(page)
    answer = answer_for(key)
    if type_ == "group":  # yes / no / don't know on each row
        for row in group_rows(page):
            page.locator(f"#q-body tr[data-id='{row}'] input[value='{answer_for(row)}']").check()
        page.locator("#next").click()
        return key
    if answer == "?":
        page.locator("#unknown").click()
        return key
    if type_ == "records":  # an empty list (无) is an empty table
        fill_records(page, answer if isinstance(answer, list) else [])
    elif type_ in ("bool", "enum"):
        page.locator(f"#q-body input[name=answer][value='{answer}']").check()
    elif type_ == "list":
        wanted = str(answer).split(",")
        if wanted == ["无"]:
            page.locator("#q-body input[name=none]").check()
        for box in page.locator("#q-body input[name=answer]").all():
            box.set_checked(box.get_attribute("value") in wanted)
    else:
        page.locator("#answer").fill(str(answer))
    page.locator("#next").click()
    return key


def open_start(page: Page, url: str) -> None:
    """Load the start page and set the example's assessment day."""
    page.goto(url + "/")
    page.wait_for_selector("#start:not([hidden])")
    page.locator("#as-of").fill(AS_OF.isoformat())
