"""examples/qms_integration.py (the script docs/sdk.md walks through) runs end to end against
a registry serving the built-in catalogue pack and a QMS endpoint, both on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from packserver import PackServer, serve
from qcompliance import FailOn, assessment_from_json, exit_code
from qcompliance.registry import Cache, load_locked, read_lock
from qcompliance.registry.build import build_pack

SCRIPT = ROOT / "examples" / "qms_integration.py"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PackServer]:
    """A registry holding the built-in catalogue as a pack, which also plays the QMS."""
    build_pack(ROOT / "checklists", tmp_path / "site")
    yield from serve(tmp_path / "site")


def run_script(server: PackServer, workdir: Path, token: str | None = None
               ) -> subprocess.CompletedProcess[str]:
    """Run the example with the token (default: the right one) in its environment variable."""
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--index", server.url("index.json"), "--post",
         server.url("qms"), "--workdir", str(workdir), "--as-of", "2026-11-20"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "QMS_TOKEN": token or server.token, "NO_PROXY": "127.0.0.1"})


def test_example_pins_evaluates_stores_and_posts(server: PackServer, tmp_path: Path) -> None:
    """The script pins cn-quality, stores the compact assessment it posted (read back with the
    pinned checklists), records the pack in every checklist reference, and exits with the
    --fail-on mandatory code; run again, it posts the same document under the same key and the
    endpoint keeps one copy."""
    workdir = tmp_path / "work"
    first = run_script(server, workdir)
    stored = workdir / "assessment-SUP-0042-2026-11-20.json"
    lock = read_lock(workdir / "qcompliance.lock")
    text = stored.read_text(encoding="utf-8")
    assert '"detail":"compact"' in text
    assessment = assessment_from_json(text, checklists=load_locked(lock, Cache(workdir / "cache")))
    assert first.returncode == exit_code(assessment.results, FailOn.MANDATORY), first.stderr
    assert "delivered (HTTP 201" in first.stdout
    [pin] = lock.packs
    assert (pin.name, pin.index) == ("cn-quality", server.url("index.json"))
    index = json.loads((server.root / "index.json").read_text(encoding="utf-8"))
    assert pin.sha256 == index["packs"][0]["sha256"]
    assert {(r.provenance.origin, r.provenance.sha256) for r in assessment.checklists
            if r.provenance} == {("pack", pin.sha256)}
    assert list(server.stored.values()) == [stored.read_bytes()]
    assert assessment.profile_name == "福州闽味园食品有限公司"

    second = run_script(server, workdir)
    assert second.returncode == first.returncode
    assert "delivered (HTTP 200" in second.stdout  # the endpoint saw a duplicate
    assert len(server.stored) == 1


def test_example_reports_undelivered(server: PackServer, tmp_path: Path) -> None:
    """Without the right token the script says so in one line and exits 2."""
    result = run_script(server, tmp_path / "work", token="wrong")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "HTTP 401 Unauthorized (check the token in $QMS_TOKEN)" in result.stderr
