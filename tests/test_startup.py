"""qcheck --version and --help start without loading the writers and their libraries."""

from __future__ import annotations

import subprocess
import sys

import pytest

import qcompliance

HEAVY = ("httpx", "jinja2", "openpyxl", "rich.table", "qcompliance.reports", "weasyprint",
         "sqlalchemy", "alembic", "psycopg", "qcompliance.store")


def _imported(*args: str) -> set[str]:
    """The modules ``qcheck ARGS`` imports, read from ``python -X importtime``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c",
         "from qcompliance.cli.main import main; main()", *args],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip()
    return {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
            if line.startswith("import time:")}


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_import_no_heavy_module(flag: str) -> None:
    """None of httpx, jinja2, openpyxl, rich.table or a report module is imported."""
    modules = _imported(flag)
    assert "qcompliance.cli.main" in modules  # the measurement sees our imports
    heavy = sorted(m for m in modules if m.startswith(HEAVY))
    assert heavy == []


def test_report_run_does_import_the_writer() -> None:
    """The check above can fail: a command that renders does load the writers."""
    modules = _imported("checklists", "show", "cn-quality-officers")
    assert "qcompliance.reports.describe" in modules


def test_lazy_exports_resolve() -> None:
    """The lazily loaded exports are the writers' functions."""
    from qcompliance.reports import render
    from qcompliance.reports.json import assessment_to_json

    assert qcompliance.render is render
    assert qcompliance.assessment_to_json is assessment_to_json
    with pytest.raises(AttributeError):
        qcompliance.no_such_name  # noqa: B018
