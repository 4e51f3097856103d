"""The HTML report in a real browser: headless Chromium loads it, screenshots it, prints it.

Checks: no console message or uncaught error, the ``<script>alert(1)</script>`` company name is
text in the DOM (no script element exists), a screenshot is taken at desktop and phone widths,
and printing gives A4 pages. A control page with a real script first proves that the console
check sees messages at all. Skipped only when no Chromium or Chrome is installed.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from test_reports import LANGS, PAYLOAD, build_rich

from qcompliance import Assessment
from qcompliance.reports.html import render_html

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
BROWSER = next((path for name in BROWSERS if (path := shutil.which(name))), None)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(BROWSER is None, reason="no Chromium or Chrome browser is installed"),
]

# Console lines Chromium writes with --enable-logging=stderr: messages, errors, CSP refusals.
_CONSOLE = re.compile(r"CONSOLE|Uncaught|Refused to|Content Security Policy", re.IGNORECASE)


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    command = [
        BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--no-first-run", "--no-default-browser-check",
        "--hide-scrollbars", "--mute-audio", f"--user-data-dir={profile}",
        "--enable-logging=stderr", "--v=0", *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False,
                          env={**os.environ, "LANG": "C.UTF-8"})


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if _CONSOLE.search(line)]


@pytest.fixture(scope="module")
def assessment() -> Assessment:
    """The rich test assessment (its company name is an HTML payload)."""
    return build_rich()


def test_console_check_sees_scripts(tmp_path: Path) -> None:
    """Control: a page whose script logs and throws shows up in the browser's log."""
    page = tmp_path / "control.html"
    page.write_text('<!DOCTYPE html><html><body><p>x</p><script>console.error("probe");'
                    "notDefined();</script></body></html>", encoding="utf-8")
    run = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    console = _console(run.stderr)
    assert any("probe" in line for line in console), run.stderr[-2000:]
    assert any("Uncaught" in line for line in console)


@pytest.mark.parametrize("lang", LANGS)
def test_report_loads_cleanly_and_payload_stays_text(tmp_path: Path, assessment: Assessment,
                                                     lang: str) -> None:
    """No console output; the DOM holds the company name as escaped text and no script."""
    page = tmp_path / f"report.{lang}.html"
    page.write_text(render_html(assessment, lang), encoding="utf-8")  # type: ignore[arg-type]
    run = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run.stderr) == []
    dom = run.stdout
    assert "<script" not in dom.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert PAYLOAD not in dom
    assert "<article" in dom
    assert 'id="decision"' in dom


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("width", "height"), [(1200, 2400), (390, 1600)])
def test_screenshot(tmp_path: Path, assessment: Assessment, lang: str, width: int,
                    height: int) -> None:
    """The page renders to a screenshot at desktop and phone widths.

    QCOMPLIANCE_SCREENSHOTS=DIR keeps the pictures for a person to look at.
    """
    page = tmp_path / f"report.{lang}.html"
    page.write_text(render_html(assessment, lang), encoding="utf-8")  # type: ignore[arg-type]
    shot = tmp_path / f"report.{lang}.{width}.png"
    run = _chromium(tmp_path, f"--window-size={width},{height}", f"--screenshot={shot}",
                    page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run.stderr) == []
    assert _png_size(shot) == (width, height)
    assert shot.stat().st_size > 20_000  # a blank page compresses to far less
    keep = os.environ.get("QCOMPLIANCE_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)


def test_prints_on_a4(tmp_path: Path, assessment: Assessment) -> None:
    """Printing uses the report's @page rule: every page of the PDF is A4 (595 x 842 pt)."""
    page = tmp_path / "report.html"
    page.write_text(render_html(assessment, "zh"), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    run = _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert len(boxes) >= 2  # the gap list starts on a page of its own
    assert all(abs(float(w) - 595.28) < 1 and abs(float(h) - 841.89) < 1 for w, h in boxes)
