"""The PDF report: A4, CJK fonts embedded, decision on page 1, running header and page numbers,
short enough to hand over; rendered to PNG by poppler so a person can look at it."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from test_client_text import _assessment, _leaks, _machine_names
from typer.testing import CliRunner

from conftest import ROOT
from qcompliance.cli.main import app
from qcompliance.errors import UsageError
from qcompliance.model import Assessment, Lang
from qcompliance.reports.decision import decision_summary

pytest.importorskip("weasyprint", exc_type=ImportError)

A4 = (595.28, 841.89)  # points


@pytest.fixture(scope="module")
def food() -> Assessment:
    """The example food producer as of 2026-11-20."""
    return _assessment("small-food-producer")


@pytest.fixture(scope="module")
def pdfs(food: Assessment) -> dict[Lang, bytes]:
    """Its standard report as PDF in both languages (rendered once for the module)."""
    from qcompliance.reports.pdf import render_pdf

    return {lang: render_pdf(food, lang) for lang in ("zh", "en")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_is_a4_short_and_opens_on_the_decision(pdfs: dict[Lang, bytes], food: Assessment,
                                                   lang: Lang) -> None:
    """At most 12 A4 pages; page 1 holds company, day, mandatory score with coverage in words,
    the gap count and the top priorities with their due dates; later pages carry the running
    header (company, day) and every page its number."""
    reader = pypdf.PdfReader(io.BytesIO(pdfs[lang]))
    assert 2 <= len(reader.pages) <= 12
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == pytest.approx(A4, abs=1)
    first = reader.pages[0].extract_text()
    decision = decision_summary(food, lang)
    for text in (decision.company, decision.as_of, decision.score, str(decision.gaps)):
        assert text in first, text
    for priority in decision.priorities[:3]:
        assert priority.due in first
        assert priority.title[:12] in first.replace("\n", "")
    total = len(reader.pages)
    second = reader.pages[1].extract_text()
    assert decision.company in second
    assert decision.as_of in second
    numbers = {"zh": f"第 2 页，共 {total} 页", "en": f"Page 2 of {total}"}
    assert numbers[lang] in second


def test_pdf_embeds_its_fonts(pdfs: dict[Lang, bytes]) -> None:
    """Every font the PDF uses is embedded (a CJK font among them), so it reads anywhere."""
    reader = pypdf.PdfReader(io.BytesIO(pdfs["zh"]))
    fonts = {}
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts
    assert all(fonts.values()), fonts
    assert any("CJK" in name for name in fonts), fonts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_shows_no_machine_names(pdfs: dict[Lang, bytes], lang: Lang) -> None:
    """No item id, fact key, code or condition syntax in the PDF's text."""
    reader = pypdf.PdfReader(io.BytesIO(pdfs[lang]))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert _leaks(text, _machine_names("small-food-producer", lang)) == []


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_pages_render_to_png(pdfs: dict[Lang, bytes], tmp_path: Path) -> None:
    """poppler renders page 1 and a middle page to A4-shaped PNGs (the images one looks at)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdfs["zh"])
    pages = len(pypdf.PdfReader(io.BytesIO(pdfs["zh"])).pages)
    for number in (1, pages // 2):
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", str(number), "-l", str(number),
                        "-singlefile", str(path), str(tmp_path / f"p{number}")],
                       check=True, timeout=120)
        png = (tmp_path / f"p{number}.png").read_bytes()
        assert png.startswith(b"\x89PNG")
        width = int.from_bytes(png[16:20], "big")
        height = int.from_bytes(png[20:24], "big")
        assert height / width == pytest.approx(A4[1] / A4[0], rel=0.02)


def test_cli_writes_pdf_beside_the_summary(tmp_path: Path) -> None:
    """qcheck run … --format pdf:报告.pdf writes the PDF; qcheck report --format pdf too."""
    out = tmp_path / "报告.pdf"
    saved = tmp_path / "a.json"
    result = CliRunner().invoke(app, [
        "run", str(ROOT / "examples" / "online-retailer.toml"), "--as-of", "2026-11-20",
        # two checklists: the appendix lists every item, and laying out all 275 takes about 10 s
        "-c", "cn-quality-officers", "-c", "cn-recall",
        "--format", f"pdf:{out}", "--format", f"json:{saved}", "-q"])
    assert result.exit_code in (0, 1), result.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    again = tmp_path / "again.pdf"
    result = CliRunner().invoke(app, ["report", str(saved), "--format", "pdf", "-o", str(again),
                                      "--appendix", "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(again).pages)
    assert "Appendix" in text
    result = CliRunner().invoke(app, ["report", str(saved), "--format", "pdf"])
    assert result.exit_code == 2  # binary: needs a file


def test_missing_weasyprint_is_one_line_exit_2(tmp_path: Path, food: Assessment,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Without WeasyPrint the writer names the extra and the system packages; the CLI exits 2
    with that one line."""
    from qcompliance.reports.pdf import render_pdf

    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(UsageError, match=r"pip install 'qcompliance\[pdf\]'"):
        render_pdf(food, "zh")
    result = CliRunner().invoke(app, [
        "run", str(ROOT / "examples" / "online-retailer.toml"), "--as-of", "2026-11-20",
        "--format", f"pdf:{tmp_path / 'r.pdf'}", "-q"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "qcompliance[pdf]" in result.stderr
