"""The Python examples of docs/sdk.md and docs/serve*.md that are marked as tested run as
written: the library ones as they are, the client ones against a live ``qcheck serve``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import running_server

ROOT = Path(__file__).resolve().parents[1]
MARK = re.compile(r"<!-- tested:[^>]*-->\n```python\n(.*?)```", re.S)
DOCS = ["sdk.md", "serve.md", "serve.en.md"]


def _examples() -> list[tuple[str, int, str]]:
    out = []
    for name in DOCS:
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        out += [(name, n, m.group(1)) for n, m in enumerate(MARK.finditer(text), 1)]
    return out


EXAMPLES = _examples()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A live server for the client examples."""
    with running_server("--no-access-log") as url:
        yield url


def test_every_page_has_a_tested_example() -> None:
    """Each page keeps at least one example this test runs."""
    assert {name for name, _, _ in EXAMPLES} == set(DOCS)


@pytest.mark.parametrize(("page", "number", "code"), EXAMPLES,
                         ids=[f"{p}#{n}" for p, n, _ in EXAMPLES])
def test_example_runs(page: str, number: int, code: str, server: str) -> None:
    """The example exits 0 (its own asserts included), run from the repository root."""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False,
                          env={**os.environ, "QCHECK_URL": server})
    assert done.returncode == 0, done.stderr[-2000:]
