"""`make docs` fails on a broken link: its warnings are shown, and --strict turns them into errors.

Each build here is a two-page site made from the project's own mkdocs.yml (through INHERIT), so
the test costs seconds, not the minute the full site takes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, require

MKDOCS = ROOT / ".venv" / "bin" / "mkdocs"

pytestmark = pytest.mark.slow


def _docs_recipe() -> str:
    """The command lines of the Makefile's ``docs`` target."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^docs:[^\n]*\n((?:\t[^\n]*\n)+)", text, re.MULTILINE)
    assert match is not None, "the Makefile has no docs target"
    return match.group(1)


def _make_docs(tmp_path: Path, page: str) -> subprocess.CompletedProcess[str]:
    """Run ``make docs`` on a site of index.md (+ index.en.md) and page.md with ``page``."""
    require("mkdocs (the docs extra; .ci/run builds the docs before the tests)",
            MKDOCS.exists() and shutil.which("make") is not None)
    docs = tmp_path / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n\n[页面](page.md)\n", encoding="utf-8")
    (docs / "index.en.md").write_text("# Home\n\n[Page](page.md)\n", encoding="utf-8")
    (docs / "page.md").write_text(page, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\n"
        f"docs_dir: {docs}\nsite_dir: {tmp_path / 'site'}\n"
        "nav:\n  - 首页: index.md\n  - 页面: page.md\n",
        encoding="utf-8",
    )
    # -o: the docs extra is installed already; never reinstall it from inside a test.
    return subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.docs-installed", "docs",
         f"MKDOCS_CONFIG={config}"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def test_docs_recipe_shows_warnings_and_is_strict() -> None:
    """The docs target builds with --strict and does not hide warnings with --quiet."""
    recipe = _docs_recipe()
    assert "mkdocs build" in recipe
    assert "--strict" in recipe
    assert "--quiet" not in recipe
    assert not re.search(r"\s-q\b", recipe)
    assert "|| true" not in recipe


def test_make_docs_fails_on_a_broken_link(tmp_path: Path) -> None:
    """A link to a page that does not exist fails `make docs`, and the output names it; the
    same site with the link fixed builds."""
    good = _make_docs(tmp_path / "good", "# 页面\n\n[首页](index.md)\n")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = _make_docs(tmp_path / "bad", "# 页面\n\n[没有](missing.md)\n")
    assert bad.returncode != 0
    assert "missing.md" in bad.stdout + bad.stderr


def test_make_docs_fails_on_a_broken_anchor(tmp_path: Path) -> None:
    """A link to an anchor that no heading has fails `make docs` too."""
    bad = _make_docs(tmp_path, "# 页面\n\n[首页](index.md#no-such-heading)\n")
    assert bad.returncode != 0
    assert "no-such-heading" in bad.stdout + bad.stderr
