"""The code base stays typed and lint-clean: mypy --strict on src, ruff on everything."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(ROOT / ".venv" / "bin")) or shutil.which(name)
    if found is None:  # a dev dependency: missing means a broken setup, never a skip
        pytest.fail(f"{name} is not installed: pip install -e '.[dev]'", pytrace=False)
    return found


def test_mypy_strict_on_src() -> None:
    """mypy --strict reports nothing on src/."""
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_clean() -> None:
    """ruff check reports nothing."""
    result = subprocess.run([_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_code_runs_data() -> None:
    """Checklists and profiles stay data: no eval, exec, pickle or marshal in src/."""
    forbidden = ("eval(", "exec(", "pickle.", "marshal.", "yaml.load(")
    for path in (ROOT / "src").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for word in forbidden:
            assert word not in text.replace("literal_eval(", ""), f"{word} in {path}"
