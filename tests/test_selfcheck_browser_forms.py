"""The browser self-check's controls in headless Chromium (Playwright): fast keyboard use,
errors beside the answer they judge, the records table (template, upload, paste, date range),
labels on every control, and a 390 px wide phone without horizontal scrolling.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright
from selfcheck_pages import (
    AS_OF,
    CHROMIUM,
    answer_for,
    answer_shown,
    api_answers,
    current,
    group_rows,
    launch,
    open_start,
    session_script,
    wait_for_change,
)
from serving import running_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Debian chromium installed"),
]
CONTROL = re.compile(r"^\s*- (textbox|checkbox|radio|combobox|spinbutton|button|slider)\b(.*)$")


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


def _page(browser: Browser, width: int = 1100, seed: str | None = None) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  accept_downloads=True)
    if seed is not None:
        context.add_init_script(seed)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    return page


@pytest.fixture(scope="module")
def daily_seed(server: str) -> str:
    """A saved full self-check that stops at the food safety officer's daily checks."""
    answers, question = api_answers(server, quick=False, key="food_safety.daily_checks")
    assert question["type"] == "records"
    return session_script(answers, quick=False)


@pytest.fixture(scope="module")
def records_seed(server: str) -> str:
    """A saved quick self-check that stops at its first records question."""
    answers, question = api_answers(server, until="records")
    assert question["type"] == "records"
    return session_script(answers)


def _unlabeled(page: Page) -> list[str]:
    """Controls that the accessibility tree shows without a name."""
    snapshot = page.locator("body").aria_snapshot()
    return [line for line in snapshot.splitlines()
            if (m := CONTROL.match(line)) and not m[2].strip().startswith('"')]


def _no_horizontal_scroll(page: Page) -> bool:
    return bool(page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def test_space_then_enter_at_once_answers_once_with_no_stale_message(
        server: str, browser: Browser) -> None:
    """Space picks the focused choice and Enter submits it at once (well within 200 ms): the
    next question comes with no message, and a second Enter while busy submits nothing."""
    page = _page(browser)
    open_start(page, server)
    page.locator("#begin").click()
    wait_for_change(page, None)
    page.locator("#answer").focus()
    page.keyboard.type("福州闽味园食品有限公司")
    page.keyboard.press("Enter")
    wait_for_change(page, "company.name")
    key, type_ = current(page)
    assert type_ == "bool"
    # The server answers a step in milliseconds: hold it, so that the second Enter surely
    # comes while the step is in flight, as it does on a slow line.
    held: list[Route] = []
    page.route("**/v1/selfcheck/next", lambda route: held.append(route))
    page.locator("#q-body input").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # a second Enter while the step is in flight does nothing
    page.wait_for_function("() => document.getElementById('ask').ariaBusy === 'true'")
    for _ in range(250):  # until the held request reaches the route (a condition, not a time)
        if held:
            break
        page.wait_for_timeout(20)
    assert len(held) == 1
    for route in held:
        route.continue_()
    page.unroute("**/v1/selfcheck/next")
    wait_for_change(page, key)
    assert page.locator("#q-error").is_hidden()
    assert page.locator("#q-error").inner_text() == ""
    assert re.match(r"第 3 题", page.locator("#progress-text").inner_text())
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('qcheck.selfcheck.v1'))")
    assert stored["answers"] == {"company.name": "福州闽味园食品有限公司", key: "yes"}
    assert page.errors == []  # type: ignore[attr-defined]


def test_dont_know_on_a_gating_question_asks_again_plainly_with_the_likely_answer_chosen(
        server: str, browser: Browser) -> None:
    """"Don't know" whether a producer sells: asked again in plainer words, "yes" preselected
    and said to be preselected; accepting it moves on."""
    page = _page(browser)
    open_start(page, server)
    page.locator("#begin").click()
    wait_for_change(page, None)
    answer_shown(page)  # the name
    wait_for_change(page, "company.name")
    answer_shown(page)  # produces: yes
    wait_for_change(page, "company.produces")
    assert current(page)[0] == "company.sells"
    page.locator("#unknown").click()
    wait_for_change(page, "company.sells")
    assert current(page)[0] == "company.sells!plain"
    assert page.locator("#plain").is_visible()
    assert page.locator("#q-likely").is_visible()
    assert page.locator("#q-body input[value=yes]").is_checked()
    page.locator("#next").click()
    wait_for_change(page, "company.sells!plain")
    assert page.locator("#q-error").is_hidden()
    assert page.errors == []  # type: ignore[attr-defined]


def _tab_to(page: Page, element_id: str) -> None:
    for _ in range(60):
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def _keys_only(page: Page) -> str:
    """Answer the question shown with the keyboard alone (focus starts on the answer)."""
    key, type_ = current(page)
    answer = answer_for(key)
    keyboard = page.keyboard
    if type_ == "group":
        _keys_for_rows(page, {row: str(answer_for(row)) for row in group_rows(page)})
        keyboard.press("Enter")
    elif answer == "?":
        _tab_to(page, "unknown")
        keyboard.press("Enter")
    elif type_ in ("bool", "enum"):
        values = page.locator("#q-body input[name=answer]").evaluate_all(
            "els => els.map(e => e.value)")
        checked = page.locator("#q-body input[name=answer]:checked")
        at = values.index(checked.get_attribute("value")) if checked.count() else -1
        if at < 0:
            keyboard.press("Space")  # choose the focused first choice
            at = 0
        for _ in range(values.index(answer) - at):
            keyboard.press("ArrowDown")
        for _ in range(at - values.index(answer)):
            keyboard.press("ArrowUp")
        keyboard.press("Enter")
    elif type_ == "list":
        wanted = set(str(answer).split(","))
        boxes = page.locator("#q-body input[type=checkbox]")
        for i in range(boxes.count()):
            box = boxes.nth(i)
            value = box.get_attribute("value")
            if (value in wanted or (value == "none" and wanted == {"无"})) != box.is_checked():
                keyboard.press("Space")
            keyboard.press("Tab")
        _tab_to(page, "next")
        keyboard.press("Enter")
    else:
        keyboard.type(str(answer))
        keyboard.press("Enter")
    return key


_ORDER = ["yes", "no", "?"]


def _keys_for_rows(page: Page, wanted: dict[str, str]) -> None:
    """On a grouped screen, choose each row's answer with Tab, Space and the arrow keys."""
    for i, (row, value) in enumerate(wanted.items()):
        _tab_to(page, f"r{i}-yes" if not page.locator(f"tr[data-id='{row}'] input:checked").count()
                else str(page.locator(f"tr[data-id='{row}'] input:checked").get_attribute("id")))
        checked = page.locator(f"tr[data-id='{row}'] input:checked")
        at = _ORDER.index(checked.get_attribute("value") or "") if checked.count() else -1
        if at < 0:
            page.keyboard.press("Space")
            at = 0
        for _ in range(_ORDER.index(value) - at):
            page.keyboard.press("ArrowRight")
        for _ in range(at - _ORDER.index(value)):
            page.keyboard.press("ArrowLeft")


def test_keyboard_alone_starts_and_answers_the_gating_questions(
        server: str, browser: Browser) -> None:
    """From the start button to the end of the gating questions with keys only; the answers
    stored are those given."""
    page = _page(browser)
    open_start(page, server)
    page.locator("body").focus()
    _tab_to(page, "begin")
    page.keyboard.press("Enter")
    wait_for_change(page, None)
    given = {}
    for _ in range(10):
        rows = group_rows(page) if current(page)[1] == "group" else []
        key = _keys_only(page)
        wait_for_change(page, key)
        given.update({row: answer_for(row) for row in rows or [key]})
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('qcheck.selfcheck.v1'))")
    assert stored["answers"] == given
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_grouped_screen_is_answered_by_keyboard_with_errors_beside_their_rows(
        server: str, browser: Browser) -> None:
    """Yes/no questions of one section on one screen: a row left open is flagged beside that
    row and nothing moves on; answered with the keyboard, each row answers its own fact, and
    the next screen shows no message and nothing of the table."""
    answers, question = api_answers(server, until="group")
    rows = [str(r["id"]) for r in question["rows"]]  # type: ignore[index]
    assert len(rows) >= 2
    page = _page(browser, 390, seed=session_script(answers))
    page.goto(server + "/")
    wait_for_change(page, None)
    assert current(page) == (rows[0], "group")
    assert group_rows(page) == rows
    assert page.locator("#unknown").is_hidden()
    assert _unlabeled(page) == []
    assert _no_horizontal_scroll(page)
    wanted = {row: ("no" if i == 0 else "?" if i == 1 else "yes") for i, row in enumerate(rows)}
    # Every row but the last, then Enter: the last row is flagged, beside it.
    _keys_for_rows(page, dict(list(wanted.items())[:-1]))
    page.keyboard.press("Enter")
    last = page.locator(f"tr[data-id='{rows[-1]}']")
    page.wait_for_selector(f"tr[data-id='{rows[-1]}'] .row-error:not([hidden])")
    assert current(page)[0] == rows[0]
    assert "不知道" in last.locator(".row-error").inner_text()
    assert last.locator("input").first.get_attribute("aria-invalid") == "true"
    assert page.locator(".row-error:not([hidden])").count() == 1
    error_box = last.locator(".row-error").bounding_box()
    row_box = last.bounding_box()
    assert error_box
    assert row_box
    assert row_box["y"] <= error_box["y"] <= row_box["y"] + row_box["height"]
    _keys_for_rows(page, wanted)
    page.keyboard.press("Enter")
    wait_for_change(page, rows[0])
    assert current(page)[1] != "group" or group_rows(page)[0] not in rows
    assert page.locator("#q-error").is_hidden()
    assert page.locator(".row-error:not([hidden])").count() == 0
    assert page.locator(f"tr[data-id='{rows[0]}']").count() == 0
    assert not page.locator("#q-body input[aria-invalid=true]").count()
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('qcheck.selfcheck.v1'))")
    assert {row: stored["answers"][row] for row in rows} == wanted
    assert stored["order"][-1] == rows
    # Back brings the whole screen back with its answers chosen.
    shown = current(page)[0]  # read before the click: the step back may be done at once
    page.locator("#back").click()
    wait_for_change(page, shown)
    assert group_rows(page) == rows
    assert page.locator(f"tr[data-id='{rows[0]}'] input[value=no]").is_checked()
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_wrong_answer_is_flagged_beside_its_field_and_not_carried_on(
        server: str, browser: Browser) -> None:
    """A bad credit code stays on its question with the reason right below the field; once
    corrected, the next question shows no message."""
    page = _page(browser)
    open_start(page, server)
    page.locator("#mode-full").check()
    page.locator("#begin").click()
    wait_for_change(page, None)
    for _ in range(40):
        key = current(page)[0]
        if key == "company.credit_code":
            break
        answer_shown(page)
        wait_for_change(page, key)
    assert current(page)[0] == "company.credit_code"
    page.locator("#answer").fill("91350100M000100Y44")  # wrong check digit
    page.locator("#next").click()
    page.wait_for_selector("#q-error:not([hidden])")
    assert current(page)[0] == "company.credit_code"
    assert "统一社会信用代码" in page.locator("#q-error").inner_text()
    assert page.locator("#answer").get_attribute("aria-invalid") == "true"
    field = page.locator("#answer").bounding_box()
    error = page.locator("#q-error").bounding_box()
    next_button = page.locator("#next").bounding_box()
    assert field
    assert error
    assert next_button
    assert field["y"] < error["y"] < next_button["y"]
    page.locator("#answer").fill("91350100M000100Y43")
    page.locator("#next").click()
    wait_for_change(page, "company.credit_code")
    assert page.locator("#q-error").is_hidden()
    assert page.errors == []  # type: ignore[attr-defined]


def test_records_table_takes_a_template_upload_paste_and_a_date_range(
        server: str, browser: Browser, daily_seed: str, tmp_path: Path) -> None:
    """The daily checks: download their form, upload it filled in, paste rows from Excel,
    make daily rows for a range of days with exceptions, and answer with the table."""
    page = _page(browser, seed=daily_seed)
    page.goto(server + "/")
    wait_for_change(page, None)
    key, type_ = current(page)
    assert type_ == "records"
    assert page.locator("#records-body tr").count() == 0

    with page.expect_download() as download:
        page.get_by_role("button", name="下载空白表格（CSV）").click()
    form = tmp_path / "form.csv"
    download.value.save_as(form)
    header = form.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[0] == "date"

    rows = [",".join(["2026-10-09" if h == "date" else "" for h in header]),
            ",".join(["2026-11-02" if h == "date" else "" for h in header])]
    form.write_text("\n".join([",".join(header), *rows]) + "\n", encoding="utf-8")
    page.locator("#records-file").set_input_files(str(form))
    page.wait_for_function("() => document.querySelectorAll('#records-body tr').length === 2")
    assert "导入 2 条" in page.locator("#records-note").inner_text()
    dates = page.locator("#records-body [data-field=date]")
    assert dates.nth(0).input_value() == "2026-10-09"

    page.evaluate("""() => {
        const target = document.querySelector('#records-body tr:nth-child(2) [data-field=date]');
        const data = new DataTransfer();
        data.setData('text/plain', '2026/11/3\\n2026-11-04\\n');
        target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
    }""")
    assert page.locator("#records-body tr").count() == 3
    assert dates.nth(1).input_value() == "2026-11-03"
    assert dates.nth(2).input_value() == "2026-11-04"

    page.locator("details.range summary").click()
    page.locator("#range-from").fill("2026-11-09")
    page.locator("#range-to").fill("2026-11-20")
    page.locator("#range-except").fill("2026-11-11, 2026-11-12")
    page.locator("#range-issues_found").fill("0")
    page.locator("#range-escalated").select_option("yes")
    page.get_by_role("button", name="生成记录").click()
    # Ten working days, less two exceptions: eight new rows beside the three.
    assert page.locator("#records-body tr").count() == 11
    assert "已生成 8 条" in page.locator("details.range").inner_text()

    page.locator("#next").click()
    wait_for_change(page, key)
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('qcheck.selfcheck.v1'))")
    given = stored["answers"][key]
    assert len(given) == 11
    assert {"date": "2026-11-03"} in given
    assert all(r["date"] not in ("2026-11-11", "2026-11-12", "2026-11-14") for r in given)
    assert {"date": "2026-11-13", "issues_found": "0", "escalated": "yes"} in given
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", [390, 1100])
def test_every_control_is_labelled_and_a_phone_needs_no_horizontal_scrolling(
        server: str, browser: Browser, records_seed: str, daily_seed: str, width: int
) -> None:
    """Start page, a choice question, a records table and the result: no control without a
    name in the accessibility snapshot, and nothing wider than the screen."""
    page = _page(browser, width)
    open_start(page, server)
    page.locator("#lists-pick").check()
    page.wait_for_selector("input[name=checklist]")
    assert _unlabeled(page) == []
    assert _no_horizontal_scroll(page)
    page.locator("#lists-auto").check()
    page.locator("#begin").click()
    wait_for_change(page, None)
    answer_shown(page)
    wait_for_change(page, "company.name")
    assert current(page)[1] == "bool"
    assert _unlabeled(page) == []
    assert _no_horizontal_scroll(page)

    page = _page(browser, width, seed=daily_seed)
    page.goto(server + "/")
    wait_for_change(page, None)
    page.locator("#records-add").click()
    page.locator("details.range summary").click()
    assert _unlabeled(page) == []
    assert _no_horizontal_scroll(page)

    page = _page(browser, width, seed=records_seed)
    page.goto(server + "/")
    wait_for_change(page, None)
    page.locator("#records-add").click()
    assert _unlabeled(page) == []
    assert _no_horizontal_scroll(page)
    while page.locator("#done").is_hidden():
        key = current(page)[0]
        answer_shown(page)
        wait_for_change(page, key)
    page.wait_for_selector(".score-value")
    assert _unlabeled(page) == []
    assert _no_horizontal_scroll(page)
    # The decision names the assessment day as a reader writes it (the report's own words).
    day = f"{AS_OF.year}年{AS_OF.month}月{AS_OF.day}日"
    assert day in page.locator("#decision").inner_text()
