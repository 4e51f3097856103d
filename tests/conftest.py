"""Shared helpers: build facts dictionaries and run single conditions; in CI a skip is a failure."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from qcompliance.model import FactSpec, FactType, Text
from qcompliance.rules.compiler import Context, compile_condition
from qcompliance.rules.conditions import parse_condition

ROOT = Path(__file__).resolve().parents[1]
# CI (.ci/run, CI=true) installs every tool the tests drive, so there a skipped test is a test
# that did not run: it fails instead, unless its reason is one of these (other platforms).
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
CI_MAY_SKIP = ("win32", "POSIX pty")
ASSETS = Path(__file__).resolve().parent / "assets"
AS_OF = dt.date(2026, 11, 20)


def spec(key: str, type_: str, **kw: object) -> FactSpec:
    """A fact declaration with placeholder texts."""
    return FactSpec(key, FactType(type_), Text(key, key), Text(key + "?", key + "?"), **kw)  # type: ignore[arg-type]


FACTS: dict[str, FactSpec] = {
    s.key: s
    for s in (
        spec("b", "bool"),
        spec("c", "bool"),
        spec("i", "int"),
        spec("n", "number"),
        spec("s", "string"),
        spec("d", "date"),
        spec("e", "enum", values=("large", "medium", "small", "micro")),
        spec("l", "list", values=("x", "y", "z")),
        spec("r", "records", fields=(spec("date", "date"), spec("ok", "bool"))),
    )
}


def decide(cond: Mapping[str, object], values: Mapping[str, object],
           params: Mapping[str, object] | None = None, as_of: dt.date = AS_OF) -> bool | None:
    """Parse, compile and run one condition on ``values``."""
    run = compile_condition(parse_condition(cond), FACTS, params)
    return run(Context(values, as_of))[0]


@pytest.fixture
def assets() -> Path:
    """The folder of test input files."""
    return ASSETS


@pytest.fixture(autouse=True, scope="session")
def _private_pack_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads or writes the user's real pack cache (qcheck's default one)."""
    os.environ["QCOMPLIANCE_CACHE_DIR"] = str(tmp_path_factory.mktemp("pack-cache"))
    # qcheck follows the user's locale when no --lang is given (i18n.user_lang): the tests
    # expect the default, Chinese, whatever the locale of the machine running them.
    for name in ("QCHECK_LANG", "LC_ALL", "LC_MESSAGES"):
        os.environ.pop(name, None)
    os.environ["LANG"] = "C.UTF-8"


def require(what: str, present: bool) -> None:
    """Skip a test when ``what`` is missing on a developer's machine; fail it in CI."""
    if not present:
        if IN_CI:
            pytest.fail(f"{what} is missing, and CI must run this test", pytrace=False)
        pytest.skip(f"{what} is not installed")


def _ci_skip_reason(report: pytest.CollectReport | pytest.TestReport) -> str | None:
    """The reason of a skip that CI must not accept, else None."""
    if not IN_CI or not report.skipped or hasattr(report, "wasxfail"):
        return None
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return None if any(word in reason for word in CI_MAY_SKIP) else reason


def _fail_skip(report: pytest.CollectReport | pytest.TestReport) -> None:
    reason = _ci_skip_reason(report)
    if reason is not None:
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every tool is installed: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """In CI, a test that skips fails (see CI_MAY_SKIP)."""
    outcome = yield
    _fail_skip(outcome.get_result())  # type: ignore[attr-defined]


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    """In CI, a test module that skips as a whole (importorskip, a module mark) fails."""
    outcome = yield
    _fail_skip(outcome.get_result())  # type: ignore[attr-defined]


_SHARED_SCOPES = frozenset({"module", "class", "package"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``--dist loadgroup`` (make test), the tests of a file that share a module-scoped
    fixture (a server, a browser, a loaded catalogue) stay on one worker, so it starts once;
    every other test goes to whichever worker is free."""
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        if any(d.scope in _SHARED_SCOPES for defs in info.name2fixturedefs.values()
               for d in defs):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


# The workspace tests' databases (tests/pgcluster.py): one PostgreSQL cluster per session.
from pgcluster import postgres_cluster, store_url  # noqa: E402, F401
