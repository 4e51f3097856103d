"""`make screenshots`: the HTML report (zh, en) in headless Chromium and the terminal summary in
a real tmux pane come out as real pictures of the expected shape."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (shutil.which("chromium") or Path("/usr/bin/chromium").exists())
                       or not shutil.which("tmux") or not shutil.which("pdftoppm"),
                       reason="needs Chromium, tmux and pdftoppm"),
]


def _size(png: Path) -> tuple[int, int]:
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_screenshots(tmp_path: Path) -> None:
    """Four PNGs: reports wide and tall, terminal summaries about 80 columns wide and as tall as
    the summary (the pane's colours survive: the picture is not one flat colour)."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshots.py"), str(tmp_path)],
                   check=True, capture_output=True, timeout=600)
    for lang in ("zh", "en"):
        width, height = _size(tmp_path / f"report-{lang}.png")
        assert (width, height) == (1200, 2600)
        width, height = _size(tmp_path / f"summary-{lang}.png")
        assert width == 820
        assert 40 * 22 < height < 70 * 22 + 61
        assert (tmp_path / f"summary-{lang}.png").stat().st_size > 50_000
        for name in ("first", "middle"):  # A4 pages of the PDF report
            width, height = _size(tmp_path / f"report-page-{name}-{lang}.png")
            assert height / width == pytest.approx(297 / 210, rel=0.02)
        assert _size(tmp_path / f"portfolio-{lang}.png") == (1400, 1300)
