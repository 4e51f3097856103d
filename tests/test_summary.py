"""The terminal summary of ``qcheck run``: snapshots at 80 and 160 columns, nothing broken
mid-word, short enough to read, and the --all / --quiet / --no-color / multi-format options."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import AS_OF, ROOT
from qcompliance.cli.main import app
from qcompliance.engine.evaluate import evaluate
from qcompliance.loading.load import load_checklists, load_profile
from qcompliance.model import Assessment, Lang
from qcompliance.reports.gaps import ranked_gaps
from qcompliance.reports.summary import cell_width, summary_lines, wrap
from qcompliance.reports.table import render_summary
from qcompliance.reports.words import due_text

DEMO = ROOT / "examples" / "small-food-producer.toml"
GOLDEN = ROOT / "tests" / "golden" / "reports"


@pytest.fixture(scope="module")
def demo() -> Assessment:
    """The `make demo` assessment."""
    checklists = load_checklists()
    return evaluate(load_profile(DEMO, checklists.facts), checklists, AS_OF,
                    skip_inapplicable=True)


@pytest.mark.parametrize("width", [80, 160])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_snapshot(demo: Assessment, lang: Lang, width: int) -> None:
    """The summary of the demo profile reads exactly as its snapshot."""
    text = render_summary(demo, lang, width)
    path = GOLDEN / f"summary.{lang}.{width}.txt"
    if os.environ.get("QCOMPLIANCE_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [60, 80, 160])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_fits_and_breaks_no_id(demo: Assessment, lang: Lang, width: int) -> None:
    """Every line fits the width; the top gaps show their due date and never their item id;
    the demo summary is about a screen long at 80 columns."""
    lines = [line for _, line in summary_lines(demo, lang, width)]
    assert all(cell_width(line) <= width for line in lines)
    text = "\n".join(lines)
    flat = "".join(line.strip() for line in lines)
    for gap in ranked_gaps(demo)[:5]:
        assert gap.result.item not in text
        assert due_text(gap.due.date, lang).replace(" ", "") in flat.replace(" ", "")
    if width == 80:  # the legal due dates of periodic duties add a few deadline lines
        assert len(lines) <= 70


def test_wrap_keeps_figures_with_units_and_punctuation_off_line_starts() -> None:
    """A figure keeps its unit, Chinese punctuation never opens a line, ids stay whole."""
    text = ("注册资本为 2,000万元，要求在 30 个工作日内报告 "
            "cn-quality-officers.food-training-hours。")
    for width in range(14, 60):
        lines = wrap(text, width)
        assert all(cell_width(line) <= width for line in lines)
        assert "2,000万元" in "\n".join(lines)
        assert "30 个" in "\n".join(lines)
        if width >= 45:
            assert not any(line[:1] in "，。、；：" for line in lines)
            assert any("cn-quality-officers.food-training-hours" in line for line in lines)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Invoke qcheck in-process; exit code and stdout."""
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout


BASE = ("run", str(DEMO), "--as-of", AS_OF.isoformat(), "--fail-on", "never")


def _mandatory(demo: Assessment) -> str:
    score = demo.scores_by_level["mandatory"].score
    assert score is not None
    return f"{score * 100:.1f}%"


def test_quiet_prints_one_line(demo: Assessment) -> None:
    """--quiet prints the mandatory score and the counts in one line."""
    code, out = run(*BASE, "--quiet")
    assert code == 0
    assert out.count("\n") == 1
    assert f"法定义务 {_mandatory(demo)}" in out
    assert f"不符合 {demo.scores_by_level['mandatory'].failed} 项" in out


def test_all_lists_every_applicable_result() -> None:
    """--all lists passes too (the summary does not), stacked on a narrow terminal."""
    _, summary = run(*BASE, env={"COLUMNS": "80"})
    _, everything = run(*BASE, "--all", env={"COLUMNS": "80"})
    assert "[符合]" in everything
    assert "[符合]" not in summary
    assert all(cell_width(line) <= 80 for line in everything.splitlines())


def _colour_codes(*args: str, env: dict[str, str], expect: str) -> bool:
    """Whether qcheck, run in a real terminal (a pty via `script`), emits colour codes."""
    command = " ".join([str(Path(sys.executable).parent / "qcheck"), *args])
    done = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True,
                          env={**os.environ, "COLUMNS": "100", "TERM": "xterm-256color", **env},
                          timeout=120)
    out = done.stdout.decode("utf-8", "replace")
    assert expect in out
    return bool(re.search(r"\x1b\[[0-9;]*3[0-9]m|\x1b\[[0-9;]*9[0-9]m", out))


@pytest.mark.skipif(not Path("/usr/bin/script").exists(), reason="needs util-linux script")
def test_colour_in_a_terminal_unless_no_color(demo: Assessment) -> None:
    """A terminal gets colour; NO_COLOR and --no-color turn it off."""
    score = _mandatory(demo)
    assert _colour_codes(*BASE, env={}, expect=score)
    assert not _colour_codes(*BASE, env={"NO_COLOR": "1"}, expect=score)
    assert not _colour_codes(*BASE, "--no-color", env={}, expect=score)


def test_several_outputs_in_one_run(tmp_path: Path) -> None:
    """--format json:FILE --format html:FILE writes both, and the summary still prints."""
    out_json, out_html = tmp_path / "a.json", tmp_path / "a.html"
    code, out = run(*BASE, "--format", f"json:{out_json}", "--format", f"html:{out_html}")
    assert code == 0
    assert json.loads(out_json.read_text(encoding="utf-8"))["schema"].startswith("qcompliance")
    assert out_html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert "优先整改" in out


@pytest.mark.parametrize("bad", ["nope:x.json", "json:"])
def test_bad_format_value_is_one_line_exit_2(bad: str) -> None:
    """An unknown format or a missing file name is a usage error, not a traceback."""
    result = CliRunner().invoke(app, [*BASE, "--format", bad])
    assert result.exit_code == 2
    assert "--format" in result.stderr
    assert "Traceback" not in result.stderr
