"""Screenshots of the browser self-check for the docs: the start page, a choice question, a
grouped screen of yes/no questions, a records table and the result page, in Chinese and
English, on a desktop and a 390 px phone.

`make screenshots` runs it: ``python scripts/screenshots_web.py docs/img``. A real
``qcheck serve`` on a free port of 127.0.0.1 is driven by headless Chromium (Playwright), with
the answers of the bundled small food producer (examples/small-food-producer.toml) as of
2026-11-20, given through the JSON API up to the page photographed and saved in the page's
browser storage, so each picture shows a page as a person resuming there would see it.
Needs /usr/bin/chromium (or chromium on PATH) and a CJK font (fonts-noto-cjk).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the test helpers that drive the page

from selfcheck_pages import (  # noqa: E402  (after the path is set)
    ARGS,
    AS_OF,
    CHROMIUM,
    answer_for,
    api_answers,
    fill_records,
    session_script,
    wait_for_change,
)
from serving import running_server  # noqa: E402

SIZES = {"desktop": (1100, 900), "mobile": (390, 844)}
LOCALES = {"zh": "zh-CN", "en": "en-US"}


def _browser(pw: Playwright, lang: str) -> Browser:
    """Chromium in the page's language: date fields and file buttons follow the browser's."""
    locale = LOCALES[lang]
    return pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=[*ARGS, f"--lang={locale}"],
                              env={**os.environ, "LANGUAGE": locale.replace("-", "_"),
                                   "LANG": locale.replace("-", "_") + ".UTF-8"})


def _page(browser: Browser, lang: str, size: str, seed: str | None = None) -> Page:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  locale=LOCALES[lang], device_scale_factor=1)
    if seed is not None:
        context.add_init_script(seed)
    return context.new_page()


def _seeded(browser: Browser, url: str, lang: str, size: str, seed: str) -> Page:
    page = _page(browser, lang, size, seed)
    page.goto(url + "/")
    wait_for_change(page, None)
    return page


def _shoot(page: Page, out: Path, name: str) -> None:
    path = out / f"{name}.png"
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.screenshot(path=str(path), full_page=True)
    page.context.close()
    print(f"wrote {path}")


def main(out: Path) -> None:
    """Write the twenty pictures into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    with running_server("--no-access-log") as url, sync_playwright() as pw:
        choice, _ = api_answers(url, key="company.product_categories")
        grouped, screen = api_answers(url, key="labelling.all_products_bare")
        assert screen["type"] == "group", screen["type"]
        daily, _ = api_answers(url, quick=False, key="food_safety.daily_checks")
        finished, _ = api_answers(url)
        for lang in ("zh", "en"):
            browser = _browser(pw, lang)
            for size in SIZES:
                tag = f"{lang}-{size}"
                page = _page(browser, lang, size)
                page.goto(url + "/")
                page.wait_for_selector("#start:not([hidden])")
                if lang == "en":
                    page.locator("#lang").click()
                page.locator("#as-of").fill(AS_OF.isoformat())
                _shoot(page, out, f"selfcheck-start-{tag}")

                page = _seeded(browser, url, lang, size, session_script(choice, lang=lang))
                page.locator("#q-body input[value=food]").check()
                _shoot(page, out, f"selfcheck-choice-{tag}")

                page = _seeded(browser, url, lang, size, session_script(grouped, lang=lang))
                first = screen["rows"][0]["id"]  # one row answered, the others still open
                page.locator(f"tr[data-id='{first}'] input[value='{answer_for(first)}']").check()
                _shoot(page, out, f"selfcheck-group-{tag}")

                page = _seeded(browser, url, lang, size,
                               session_script(daily, quick=False, lang=lang))
                rows = answer_for("food_safety.daily_checks")
                fill_records(page, rows[:4] if isinstance(rows, list) else [])
                _shoot(page, out, f"selfcheck-records-{tag}")

                page = _seeded(browser, url, lang, size, session_script(finished, lang=lang))
                page.wait_for_selector(".score-value")
                _shoot(page, out, f"selfcheck-result-{tag}")
            browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img")
