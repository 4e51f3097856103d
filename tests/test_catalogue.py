"""Library, CLI and service agree on the catalogue: load_checklists() without arguments is what
qcheck run uses (built-ins and entry-point packs, or a lock's packs); batch and profile see the
same; checklists list shows what the lock pins; a broken entry point spoils only its own pack."""

# The fixtures imported from test_registry_cli are named again as test parameters (F811).
# ruff: noqa: F811

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import pytest
from test_registry_cli import (  # noqa: F401 - fixtures used by name
    PROFILE,
    Qcheck,
    built_site,
    distribution,
    make_distribution,
    qcheck,
    server,
)

import qcompliance
from packserver import PackServer
from qcompliance.registry.sources import PackWarning, entry_point_sources

ASSETS = Path(__file__).resolve().parent / "assets"


def test_load_checklists_is_what_run_uses(distribution: Path, qcheck: Qcheck,
                                          tmp_path: Path) -> None:
    """The library's default catalogue holds the entry-point pack beside the built-ins, as
    qcheck run's does; the pack's code is never imported."""
    ids = [c.id for c in qcompliance.load_checklists()]
    assert "t-mini" in ids
    assert "cn-recall" in ids
    out = tmp_path / "a.json"
    code, _, err = qcheck("run", PROFILE, "--as-of", "2026-11-20", "--fail-on", "never",
                          "--include-inapplicable", "-f", "json", "-o", str(out))
    assert code == 0, err
    run_ids = [r["id"] for r in json.loads(out.read_text(encoding="utf-8"))["checklists"]]
    assert run_ids == ids
    assert not distribution.exists()


def test_profile_and_batch_template_see_entry_point_facts(distribution: Path,
                                                          qcheck: Qcheck) -> None:
    """profile template and validate know the pack's facts, as run does."""
    code, out, err = qcheck("profile", "template", "-c", "t-mini", "--lang", "en")
    assert code == 0, err
    facts = {f.key for f in qcompliance.load_checklists(["t-mini"]).facts_read()}
    assert facts
    assert all(key.split(".")[-1] in out for key in facts)
    code, _, err = qcheck("profile", "validate", PROFILE, "-c", "t-mini")
    assert code == 0, err


def test_missing_entry_point_folder_is_a_warning_for_that_pack(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               qcheck: Qcheck) -> None:
    """An entry point naming a folder that is not installed is left out with a warning;
    the built-ins and every other pack still load, and qcheck run still runs."""
    site = tmp_path / "site-packages"
    make_distribution(site, tmp_path / "imported")
    broken = site / "broken_qpack-1.0.dist-info"
    broken.mkdir()
    (broken / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-qpack\n"
                                     "Version: 1.0\n", encoding="utf-8")
    (broken / "entry_points.txt").write_text(
        "[qcompliance.checklists]\nbroken = broken_qpack/checklists\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    with pytest.warns(PackWarning, match="broken-qpack entry point broken"):
        packs = [s.provenance.pack for s in entry_point_sources()]
    assert "acme" in packs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PackWarning)
        assert "t-mini" in [c.id for c in qcompliance.load_checklists()]
        code, _, err = qcheck("run", PROFILE, "--as-of", "2026-11-20", "--fail-on", "never")
    assert code == 0, err


def test_editable_install_is_found_without_importing(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """An editable install (metadata in site-packages, the package in a source tree on the
    import path) is found where its package is, without running the package's code."""
    site, source = tmp_path / "site-packages", tmp_path / "project" / "src"
    make_distribution(source, tmp_path / "imported")
    (source / "acme_qpack-3.1.dist-info").rename(site.mkdir(parents=True) or
                                                 site / "acme_qpack-3.1.dist-info")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.syspath_prepend(str(source))
    sources = [s for s in entry_point_sources() if s.provenance.pack == "acme"]
    assert [s.path for s in sources] == [source / "acme_qpack" / "checklists"]
    assert not (tmp_path / "imported").exists()
    assert "acme_qpack" not in sys.modules


def test_checklists_list_shows_the_locked_version(server: PackServer, qcheck: Qcheck) -> None:
    """With acme 1.0 pinned and 2.0 also pulled, checklists list shows the pinned 1.0."""
    index = server.url("index.json")
    assert qcheck("pull", "acme@2.0", "--index", index)[0] == 0
    assert qcheck("pull", "acme@1.0", "--index", index)[0] == 0
    code, out, err = qcheck("checklists", "list", "--lock-file", str(qcheck.lock))
    assert code == 0, err
    origins = [line.split("\t")[3] for line in out.splitlines() if line.startswith("t-mini")]
    assert origins == ["pack acme@1.0 locked"]
    locked = qcompliance.load_checklists(lock=qcheck.lock, cache_dir=qcheck.cache)
    assert [(c.id, c.provenance.version) for c in locked  # type: ignore[union-attr]
            ] == [("t-mini", "1.0")]


def test_batch_takes_locked_offline_and_tailoring(server: PackServer, qcheck: Qcheck,
                                                  tmp_path: Path) -> None:
    """qcheck batch evaluates with the lock's packs (--locked --offline) and applies a
    tailoring to every company."""
    assert qcheck("pull", "acme@1.0", "--index", server.url("index.json"))[0] == 0
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "a.toml").write_text(Path(PROFILE).read_text(encoding="utf-8"), encoding="utf-8")
    summary = tmp_path / "s.jsonl"
    common = ["batch", str(folder), "--as-of", "2026-11-20", "--fail-on", "never",
              "--summary", str(summary), "--cache-dir", str(qcheck.cache),
              "--lock-file", str(qcheck.lock), "--locked", "--offline"]
    code, _, err = qcheck(*common)
    assert code == 0, err
    row = json.loads(summary.read_text(encoding="utf-8"))
    assert "score.t-mini" in row
    assert "score.cn-recall" not in row
    tailoring = tmp_path / "t.toml"
    tailoring.write_text('schema = "qcompliance/tailoring/v1"\n[[checklists]]\n'
                         'id = "t-mini"\nselect = false\nreason = "out of scope"\n',
                         encoding="utf-8")
    code, _, err = qcheck(*common, "--tailoring", str(tailoring))
    assert code == 0, err
    tailored = json.loads(summary.read_text(encoding="utf-8"))
    assert tailored["score"] is None
    assert row["score"] is not None
