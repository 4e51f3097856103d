"""Pack format: building archives and the index, pack tests with diffs, the built-in pack."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from packserver import copy_pack
from qcompliance.cli.main import app
from qcompliance.errors import QComplianceError, SchemaError
from qcompliance.registry import RegistryError, build_pack, parse_index, run_pack_tests
from qcompliance.registry.archive import safe_unpack
from qcompliance.registry.pack import version_key

BUILTIN = ROOT / "checklists"


def test_build_writes_archive_and_index(tmp_path: Path) -> None:
    """pack build writes NAME-VERSION.tar.gz and an index entry whose size and sha256 are the
    archive's, listing the pack's checklists."""
    result = build_pack(copy_pack(tmp_path), tmp_path / "site")
    archive = tmp_path / "site" / "acme-1.0.tar.gz"
    data = archive.read_bytes()
    index = parse_index((tmp_path / "site" / "index.json").read_bytes(), "index.json")
    entry = index.find("acme", "1.0")
    assert entry == result.entry
    assert entry.size == len(data)
    assert entry.sha256 == hashlib.sha256(data).hexdigest()
    assert [c.id for c in entry.checklists] == ["t-mini"]
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        assert sorted(tar.getnames()) == ["fixtures/mini.expected.toml", "fixtures/mini.toml",
                                          "pack.toml", "t-mini.toml"]


def test_build_is_byte_identical(tmp_path: Path) -> None:
    """Building the same files twice gives the same archive bytes."""
    folder = copy_pack(tmp_path)
    first = build_pack(folder, tmp_path / "a").archive.read_bytes()
    second = build_pack(folder, tmp_path / "b").archive.read_bytes()
    assert first == second


def test_index_keeps_other_versions(tmp_path: Path) -> None:
    """A second build adds its version to the index; the newest is found by default."""
    site = tmp_path / "site"
    build_pack(copy_pack(tmp_path, "1.0"), site)
    build_pack(copy_pack(tmp_path, "1.10"), site)
    build_pack(copy_pack(tmp_path, "1.9"), site)
    index = parse_index((site / "index.json").read_bytes(), "index.json")
    assert [e.version for e in index.packs] == ["1.0", "1.9", "1.10"]
    assert index.find("acme").version == "1.10"
    with pytest.raises(RegistryError, match=r"no version '2\.0' of pack 'acme'.*1\.0, 1\.9"):
        index.find("acme", "2.0")
    with pytest.raises(RegistryError, match="no pack 'acne' in the index; did you mean 'acme'"):
        index.find("acne")


def test_version_order_is_numeric() -> None:
    """Versions compare part by part as numbers."""
    assert sorted(["2026.9.1", "2026.10", "2026.1"], key=version_key) == [
        "2026.1", "2026.9.1", "2026.10"]


def test_build_refuses_failing_fixture(tmp_path: Path) -> None:
    """A fixture whose verdicts differ stops the build before anything is written."""
    folder = copy_pack(tmp_path)
    expected = folder / "fixtures" / "mini.expected.toml"
    expected.write_text(expected.read_text(encoding="utf-8").replace(
        '"t-mini.flag" = "fail"', '"t-mini.flag" = "pass"'), encoding="utf-8")
    with pytest.raises(RegistryError, match="fixtures fail: mini"):
        build_pack(folder, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_build_refuses_pack_without_fixtures(tmp_path: Path) -> None:
    """A pack must bring at least one fixture."""
    folder = copy_pack(tmp_path)
    shutil.rmtree(folder / "fixtures")
    with pytest.raises(RegistryError, match="at least one fixture"):
        build_pack(folder, tmp_path / "site")


def test_build_refuses_symlink(tmp_path: Path) -> None:
    """A symbolic link in a pack folder is refused, not followed."""
    folder = copy_pack(tmp_path)
    (folder / "fixtures" / "link.toml").symlink_to(ROOT / "pyproject.toml")
    with pytest.raises(RegistryError, match="not symbolic links"):
        build_pack(folder, tmp_path / "site")


def test_bad_manifest_names_file_and_key(tmp_path: Path) -> None:
    """An invalid pack name is an error naming pack.toml, its line and the key."""
    folder = copy_pack(tmp_path)
    manifest = folder / "pack.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'name = "acme"', 'name = "../evil"'), encoding="utf-8")
    with pytest.raises(SchemaError, match=r"pack\.toml:\d+: name: '\.\./evil' is not a valid"):
        build_pack(folder, tmp_path / "site")


def test_pack_test_prints_diff_on_mismatch(tmp_path: Path) -> None:
    """qcheck pack test exits 1 and prints a unified diff of the verdicts that differ."""
    folder = copy_pack(tmp_path)
    expected = folder / "fixtures" / "mini.expected.toml"
    expected.write_text(expected.read_text(encoding="utf-8").replace(
        '"t-mini.years" = "unknown"', '"t-mini.years" = "pass"'), encoding="utf-8")
    result = CliRunner().invoke(app, ["pack", "test", str(folder), "--lang", "en"])
    assert result.exit_code == 1
    assert "-t-mini.years = pass\n+t-mini.years = unknown\n" in result.stdout
    assert "fixtures: 0 passed, 1 failed" in result.stdout
    assert [r.ok for r in run_pack_tests(folder)] == [False]


def test_pack_test_update_rewrites_expected(tmp_path: Path) -> None:
    """--update rewrites the expected verdicts, after which the fixtures pass."""
    folder = copy_pack(tmp_path)
    expected = folder / "fixtures" / "mini.expected.toml"
    expected.write_text(expected.read_text(encoding="utf-8").replace(
        '"t-mini.recent" = "pass"\n', ""), encoding="utf-8")
    assert CliRunner().invoke(app, ["pack", "test", str(folder)]).exit_code == 1
    assert CliRunner().invoke(app, ["pack", "test", str(folder), "--update"]).exit_code == 0
    assert '"t-mini.recent" = "pass"' in expected.read_text(encoding="utf-8")


def test_builtin_fixtures_pass() -> None:
    """The built-in catalogue's own fixtures give their expected verdicts."""
    results = run_pack_tests(BUILTIN)
    assert [r.name for r in results] == ["car-maker", "construction-company",
                                         "medium-electronics-exporter", "online-retailer",
                                         "small-food-producer"]
    for result in results:
        # An intended change of the catalogue: `qcheck pack test checklists --update`, review
        # the diff, and raise the version in checklists/pack.toml.
        assert result.ok, result.diff()


@pytest.mark.parametrize("name", ["car-maker", "construction-company",
                                  "medium-electronics-exporter", "online-retailer",
                                  "small-food-producer"])
def test_builtin_fixtures_are_the_examples(name: str) -> None:
    """Each built-in fixture profile is the example profile of the same name, byte for byte,
    so the two cannot drift apart."""
    assert (BUILTIN / "fixtures" / f"{name}.toml").read_bytes() == (
        ROOT / "examples" / f"{name}.toml").read_bytes(), (
        f"copy examples/{name}.toml to checklists/fixtures/ and run "
        "`qcheck pack test checklists --update`")


def test_builtin_catalogue_builds_as_a_pack(tmp_path: Path) -> None:
    """The built-in catalogue is published by the same command, and its archive unpacks to
    the checklists, facts dictionary and fixtures."""
    result = CliRunner().invoke(app, ["pack", "build", str(BUILTIN), "--out",
                                      str(tmp_path / "site"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    index = json.loads((tmp_path / "site" / "index.json").read_text(encoding="utf-8"))
    entry = index["packs"][0]
    assert entry["name"] == "cn-quality"
    data = (tmp_path / "site" / entry["file"]).read_bytes()
    files = safe_unpack(data, tmp_path / "out", where="x", max_size=10**8)
    assert "facts.toml" in files
    assert "fixtures/small-food-producer.expected.toml" in files
    assert len(entry["checklists"]) == len([p for p in files if p.startswith("cn-")])


def test_malformed_index_is_one_error() -> None:
    """An index that does not fit its schema is one RegistryError naming the key."""
    bad = json.dumps({"schema": "qcompliance/index/v1", "packs": [
        {"name": "a", "version": "1", "file": "a.tar.gz", "size": "big",
         "sha256": "0" * 64, "title": {"zh": "a", "en": "a"}}]})
    with pytest.raises(QComplianceError, match=r"index\.json: packs\[0\]\.size:"):
        parse_index(bad, "index.json")
    with pytest.raises(RegistryError, match="not a pack index"):
        parse_index("{}", "index.json")
    with pytest.raises(RegistryError, match="not valid JSON"):
        parse_index("<html>", "index.json")


def test_published_version_never_changes(tmp_path: Path) -> None:
    """Rebuilding a published version with the same files is harmless; with other content it
    is refused and the published archive stays as it was."""
    folder = copy_pack(tmp_path)
    site = tmp_path / "site"
    first = build_pack(folder, site).archive.read_bytes()
    build_pack(folder, site)
    with (folder / "notes.md").open("w", encoding="utf-8") as handle:
        handle.write("a change\n")
    with pytest.raises(RegistryError, match=r"acme 1\.0 is already published with other content"):
        build_pack(folder, site)
    assert (site / "acme-1.0.tar.gz").read_bytes() == first


def test_checklist_file_named_after_its_id(tmp_path: Path) -> None:
    """A pack's checklist file must be named after the checklist's id, as built-in ones are."""
    folder = copy_pack(tmp_path)
    (folder / "t-mini.toml").rename(folder / "other.toml")
    with pytest.raises(RegistryError, match=r"other\.toml: the file of checklist 't-mini' must "
                                            r"be named t-mini\.toml"):
        build_pack(folder, tmp_path / "site")


def test_update_with_as_of_creates_new_fixtures(tmp_path: Path) -> None:
    """pack test --update --as-of writes expected verdicts for a new fixture profile; without
    any fixture, pack test is an error."""
    folder = copy_pack(tmp_path)
    (folder / "fixtures" / "mini.expected.toml").unlink()
    result = CliRunner().invoke(app, ["pack", "test", str(folder)])
    assert result.exit_code == 2
    assert "规则包至少需要一个夹具" in result.stderr
    result = CliRunner().invoke(app, ["pack", "test", str(folder), "--update", "--as-of",
                                      "2026-11-20", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "fixtures: 1 passed, 0 failed" in result.stdout
    written = (folder / "fixtures" / "mini.expected.toml").read_text(encoding="utf-8")
    assert "as_of = 2026-11-20" in written
    assert '"t-mini.flag" = "fail"' in written
