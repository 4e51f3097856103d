"""The bad-input corpus: every file in tests/bad_inputs/<kind>/ must produce exactly the error
line recorded for it in tests/bad_inputs/expected.json, through the CLI (one stderr line, exit
code 2, never a traceback) and through the library (a QComplianceError whose text is the same
line). Regenerate the files with ``python tests/bad_inputs/generate.py`` and the expected lines
with QCOMPLIANCE_UPDATE_GOLDEN=1 (then review the diff). Timings: bench/bad_inputs.py.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qcompliance.batch.sources import open_source
from qcompliance.cli.main import app
from qcompliance.engine.tailoring import apply_tailoring, load_tailoring, load_waivers
from qcompliance.errors import QComplianceError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.load import load_checklists, load_facts, load_profile
from qcompliance.registry.archive import safe_unpack
from qcompliance.registry.pack import read_manifest
from qcompliance.reports.json import load_assessment

HERE = Path(__file__).parent / "bad_inputs"
EXPECTED_FILE = HERE / "expected.json"
KINDS = ("profile", "checklist", "facts", "tailoring", "waivers", "assessment", "pack",
         "batch")
CASES = sorted(f"{p.parent.name}/{p.name}" for kind in KINDS for p in (HERE / kind).iterdir())
UPDATE = os.environ.get("QCOMPLIANCE_UPDATE_GOLDEN") == "1"
PREFIX = "qcheck: error: "


def cli_args(rel: str) -> list[str] | None:
    """The qcheck command line that reads ``rel`` (run from tests/bad_inputs), or None."""
    kind = rel.split("/")[0]
    day = ["--as-of", "2026-11-20", "--lang", "en", "-f", "json"]
    return {
        "profile": ["run", rel, "-c", "../assets/mini.toml", *day],
        "checklist": ["run", "../assets/mini-profile.toml", "-c", rel, *day],
        "tailoring": ["run", "../assets/mini-profile.toml", "-c", "../assets/mini.toml",
                      "--tailoring", rel, *day],
        "waivers": ["run", "../assets/mini-profile.toml", "-c", "../assets/mini.toml",
                    "--waivers", rel, *day],
        "assessment": ["report", rel, "--lang", "en"],
        # A pack folder is what `qcheck pack test` reads; archives only come from a pull.
        "pack": ["pack", "test", rel, "--lang", "en"] if (HERE / rel).is_dir() else None,
        "batch": ["batch", rel, "-c", "../assets/mini.toml", *day[:4]],
    }.get(kind)


@functools.cache
def _mini() -> ChecklistSet:
    return load_checklists([HERE.parent / "assets" / "mini.toml"])


def raised(rel: str) -> QComplianceError | str:
    """The error the library raises for ``rel`` (run from tests/bad_inputs), or what it loaded
    when it raises nothing."""
    kind = rel.split("/")[0]
    try:
        if kind == "profile":
            profile = load_profile(rel, _mini().facts)
            return "loaded, facts: " + str(len(profile.facts))
        if kind == "checklist":
            load_checklists([rel])
        elif kind == "facts":
            load_facts(rel)
        elif kind == "tailoring":
            tailoring, _, rejected = load_tailoring(rel, known=_mini().known_ids)
            apply_tailoring(_mini(), tailoring)
            return "loaded, waiver problems: " + str(len(rejected))
        elif kind == "waivers":
            _, rejected = load_waivers(rel, known=_mini().known_ids)
            return "loaded, waiver problems: " + str(len(rejected))
        elif kind == "assessment":
            load_assessment(rel)
        elif kind == "pack" and (HERE / rel).is_dir():
            read_manifest(Path(rel))
        elif kind == "batch":
            for _ in open_source(rel, _mini().facts).entries:
                pass
        elif kind == "pack":
            with tempfile.TemporaryDirectory() as folder:
                safe_unpack((HERE / rel).read_bytes(), Path(folder), where=rel,
                            max_size=65_536)
    except QComplianceError as exc:
        return exc
    return "loaded"


def library(rel: str) -> str:
    """The library's error line for ``rel`` (or what it loaded, when it raises nothing)."""
    outcome = raised(rel)
    return outcome if isinstance(outcome, str) else str(outcome)


def _expected() -> dict[str, dict[str, str]]:
    if EXPECTED_FILE.exists():
        data: dict[str, dict[str, str]] = json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))
        return data
    return {}


EXPECTED = _expected()


def test_the_corpus_is_large_and_covers_every_kind() -> None:
    """At least 150 files, every input kind represented, every file has its expected line."""
    assert len(CASES) >= 150
    assert {c.split("/")[0] for c in CASES} == set(KINDS)
    if not UPDATE:
        assert sorted(EXPECTED) == CASES


@pytest.mark.parametrize("rel", CASES)
def test_bad_input(rel: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI prints exactly the expected line and exits 2; the library raises it."""
    monkeypatch.chdir(HERE)
    args = cli_args(rel)
    cli_line = None
    if args is not None:
        result = CliRunner().invoke(app, args)
        lines = result.stderr.splitlines()
        assert "Traceback" not in result.output
        assert result.exit_code == 2, (result.exit_code, result.stderr)
        assert len(lines) == 1, result.stderr
        cli_line = lines[0]
    lib = library(rel)
    if UPDATE:
        EXPECTED[rel] = {"cli": cli_line or "-", "library": lib}
        EXPECTED_FILE.write_text(json.dumps(dict(sorted(EXPECTED.items())), ensure_ascii=False,
                                            indent=1) + "\n", encoding="utf-8")
        return
    assert cli_line == (None if EXPECTED[rel]["cli"] == "-" else EXPECTED[rel]["cli"])
    assert lib == EXPECTED[rel]["library"]
    if cli_line is not None and not lib.startswith("loaded"):
        assert cli_line == PREFIX + lib  # one message, whichever door it leaves by
