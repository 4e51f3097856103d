"""The layer contracts in pyproject.toml hold, and they do catch a wrong-way import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")



def _lint(src: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    if not LINT_IMPORTS.exists():  # a dev dependency: missing means a broken setup, not a skip
        pytest.fail("import-linter is not installed: pip install -e '.[dev]'", pytrace=False)
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )


def test_layer_contracts_are_kept(tmp_path: Path) -> None:
    """import-linter finds every contract kept on the source tree as it is."""
    result = _lint(ROOT / "src", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


@pytest.mark.parametrize(("module", "line"), [
    ("engine/scoring.py", "import qcompliance.reports.markdown"),
    ("rules/operators.py", "import qcompliance.model"),
    ("selfcheck/answers.py", "import typer"),
    ("loading/load.py", "import jinja2"),
    ("engine/diff.py", "import rich"),
    ("engine/scoring.py", "import qcompliance.batch.run"),
    ("reports/csv.py", "import qcompliance.batch.output"),
    ("batch/run.py", "import qcompliance.cli.common"),
    ("batch/work.py", "import dask"),
])
def test_a_wrong_way_import_breaks_a_contract(tmp_path: Path, module: str, line: str) -> None:
    """Adding one import against the layers to a copy of the source makes lint-imports fail."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "qcompliance", src / "qcompliance",
                    ignore=shutil.ignore_patterns("__pycache__"))
    target = src / "qcompliance" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n",
                      encoding="utf-8")
    result = _lint(src, tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout


def test_question_logic_needs_no_terminal_library() -> None:
    """The interview's question logic imports neither typer nor rich, so a web form can use it."""
    code = ("import sys, qcompliance.selfcheck; "
            "bad = sorted(m for m in ('typer', 'rich', 'click') if m in sys.modules); "
            "print(','.join(bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
