"""Shared helpers: build facts dictionaries and run single conditions."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

import pytest

from qcompliance.model import FactSpec, FactType, Text
from qcompliance.rules.compiler import Context, compile_condition
from qcompliance.rules.conditions import parse_condition

ROOT = Path(__file__).resolve().parents[1]
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


# The workspace tests' databases (tests/pgcluster.py): one PostgreSQL cluster per session.
from pgcluster import postgres_cluster, store_url  # noqa: E402, F401
