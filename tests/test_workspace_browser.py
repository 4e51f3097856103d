"""The workspace pages in a real Chromium: the consultant's list and a company's page (score
trend chart, plan edited in place, evidence uploaded and downloaded), under the page's CSP."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from serving import QCHECK, running_server

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Debian chromium installed"),
]
FOOD = "91350100M000100Y43"
EXAMPLE = ROOT / "examples" / "small-food-producer.toml"


def _qcheck(*args: str) -> str:
    return subprocess.run([str(QCHECK), *args], capture_output=True, text=True,
                          check=False).stdout.strip()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A server whose workspace holds the food producer (two assessments) and the
    electronics exporter; a consultant token and the food producer's token."""
    top = tmp_path_factory.mktemp("browser-ws")
    url = f"sqlite:///{top / 'w.sqlite3'}"
    later = top / "later.toml"
    later.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        "appointed = false", "appointed = true"), encoding="utf-8")
    _qcheck("run", str(EXAMPLE), "--as-of", "2026-09-20", "-q", "--store", url)
    _qcheck("run", str(later), "--as-of", "2026-11-20", "-q", "--store", url)
    _qcheck("run", str(ROOT / "examples" / "medium-electronics-exporter.toml"), "--as-of",
            "2026-11-20", "-q", "--store", url)
    tokens = {"consultant": _qcheck("serve", "token", "create", "--store", url),
              "food": _qcheck("serve", "token", "create", "--company", FOOD, "--store", url)}
    with running_server("--store", url, "--no-access-log") as base:
        yield base, tokens


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for the module."""
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A fresh page (its own storage) and every console message and page error."""
    context = browser.new_context(accept_downloads=True,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"console.{m.type}: {m.text}"))
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    yield page, messages
    context.close()


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("QCHECK_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_consultant_page_lists_companies(workspace: tuple[str, dict[str, str]],
                                         page: tuple[Page, list[str]], tmp_path: Path) -> None:
    """The consultant sees both companies with latest score and last assessment day; in
    Chinese no item id or English value shows."""
    base, tokens = workspace
    tab, messages = page
    tab.goto(f"{base}/workspace#token={tokens['consultant']}")
    tab.wait_for_selector("#rows tr")
    rows = tab.locator("#rows tr")
    assert rows.count() == 2
    text = tab.locator("#list").inner_text()
    assert "福州闽味园食品有限公司" in text
    assert "2026-11-20" in text
    assert "%" in text
    assert "mandatory" not in text
    tab.screenshot(path=str(_shots(tmp_path) / "workspace-consultant.png"), full_page=True)
    tab.click("#lang")
    assert "Companies" in tab.locator("#list").inner_text()
    assert messages == []


def test_company_page_trend_plan_and_evidence(workspace: tuple[str, dict[str, str]],
                                              page: tuple[Page, list[str]],
                                              tmp_path: Path) -> None:
    """The food producer's own token: the trend shows both assessments; an owner typed in
    place is saved; an uploaded file is listed and downloads with the same bytes."""
    base, tokens = workspace
    tab, messages = page
    tab.goto(f"{base}/workspace/company?uscc={FOOD}#token={tokens['food']}")
    tab.wait_for_selector("#trend svg")
    assert tab.locator("#trend svg circle").count() == 4  # two series, two assessments
    assert "福州闽味园食品有限公司" in tab.locator("#heading").inner_text()
    first = tab.locator("#plan tr").first
    item = first.get_attribute("data-item")
    owner = first.locator("input[name=owner]")
    owner.fill("王经理")
    owner.dispatch_event("change")
    tab.wait_for_selector("#plan tr >> text=已保存")
    first.locator("input[name=due]").fill("2027-02-28")
    first.locator("input[name=due]").dispatch_event("change")
    tab.wait_for_function("document.querySelectorAll('.saved').length > 0")
    evidence = tmp_path / "任命书.txt"
    evidence.write_text("首席质量官任命书", encoding="utf-8")
    first.locator("input[type=file]").set_input_files(str(evidence))
    link = first.locator(".files a")
    link.wait_for()
    assert link.inner_text() == "任命书.txt"
    with tab.expect_download() as download:
        link.click()
    assert Path(download.value.path()).read_text(encoding="utf-8") == "首席质量官任命书"
    plan = httpx.get(f"{base}/v1/companies/{FOOD}/plan", timeout=30,
                     headers={"Authorization": f"Bearer {tokens['food']}"}).json()
    saved = {p["item"]: p for p in plan}[item]
    assert (saved["owner"], saved["due"], saved["evidence"]) == ("王经理", "2027-02-28", 1)
    with tab.expect_download() as report:
        tab.click("#report-html")
    assert report.value.suggested_filename == f"评估报告-{FOOD}-2026-11-20.html"
    assert "福州闽味园食品有限公司" in Path(report.value.path()).read_text(encoding="utf-8")
    with tab.expect_download() as sheet:
        tab.click("#report-xlsx")
    assert Path(sheet.value.path()).read_bytes()[:2] == b"PK"
    body = tab.locator("main").inner_text()
    assert item not in body
    assert "in_progress" not in body
    tab.screenshot(path=str(_shots(tmp_path) / "workspace-company.png"), full_page=False)
    assert messages == []


def test_company_token_cannot_open_another_company(workspace: tuple[str, dict[str, str]],
                                                   page: tuple[Page, list[str]]) -> None:
    """The food producer's token on another company's page shows the token form, no data."""
    base, tokens = workspace
    tab, _ = page
    tab.goto(f"{base}/workspace/company?uscc=91440300MA5G0000X0#token={tokens['food']}")
    tab.wait_for_selector("#auth:not([hidden])")
    assert tab.locator("#plan tr").count() == 0
    assert tab.locator("#trend svg").count() == 0
