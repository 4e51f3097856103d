"""`make test` fails when pytest collects nothing, unless a filter asked for that."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, require


def _make_test(tmp_path: Path, pytest_exit: int, args: str) -> subprocess.CompletedProcess[str]:
    """``make test`` with a stand-in python whose pytest exits with ``pytest_exit`` (the
    Makefile's own exit-code rule is what runs; no test suite does)."""
    require("make", shutil.which("make") is not None)
    python = tmp_path / "python"
    python.write_text(f"#!/bin/sh\necho \"pytest $*\"\nexit {pytest_exit}\n", encoding="utf-8")
    python.chmod(0o755)
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "test", f"BIN={tmp_path}", "STAMP=",
         f"PYTEST_ARGS={args}"],
        # not the variables of a `make test` this suite may run under (MAKEFLAGS passes them on)
        env={k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")},
        capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize(("pytest_exit", "args", "make_exit"), [
    (5, "", 2),  # nothing collected and no filter: the suite is broken, not empty on purpose
    (5, "-k no_such_test", 0),  # a filter that selects nothing
    (0, "", 0),
    (1, "-k some_test", 2),
])
def test_make_test_exit_code(tmp_path: Path, pytest_exit: int, args: str,
                             make_exit: int) -> None:
    """pytest's exit 5 (no tests) passes only when PYTEST_ARGS filtered; failures fail."""
    result = _make_test(tmp_path, pytest_exit, args)
    assert "-m pytest -n auto" in result.stdout, result.stdout  # the stand-in ran
    assert result.returncode == make_exit, result.stdout + result.stderr
