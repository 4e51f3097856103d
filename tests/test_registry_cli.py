"""qcheck pull, run --locked/--offline/--post, report on old assessments, checklists list with
origins, and entry-point packs: the CLI against a real server on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ASSETS, ROOT
from packserver import PackServer, Reply, copy_pack, serve
from qcompliance.cli.main import app
from qcompliance.errors import QComplianceError
from qcompliance.registry import entry_point_sources, read_lock
from qcompliance.registry.build import build_pack

PROFILE = str(ASSETS / "mini-profile.toml")


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """acme 1.0 and 2.0, built once."""
    tmp = tmp_path_factory.mktemp("built")
    for version in ("1.0", "2.0"):
        build_pack(copy_pack(tmp, version), tmp / "site")
    return tmp / "site"


@pytest.fixture
def server(built_site: Path, tmp_path: Path) -> Iterator[PackServer]:
    """The registry server for a copy of the built site."""
    yield from serve(Path(shutil.copytree(built_site, tmp_path / "site")))


class Qcheck:
    """qcheck with its own cache folder and lock file."""

    def __init__(self, tmp_path: Path) -> None:
        self.cache = tmp_path / "cache"
        self.lock = tmp_path / "qcompliance.lock"

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Run qcheck in English (the registry's messages as raised; test_lang.py checks
        their Chinese); return exit code, stdout and stderr."""
        extra: list[str] = []
        if args[0] in ("pull", "run", "report"):
            extra += ["--cache-dir", str(self.cache), "--lock-file", str(self.lock)]
        elif args[:2] == ("checklists", "list"):
            extra += ["--cache-dir", str(self.cache)]
        result = CliRunner().invoke(app, [*args, *extra], env={"QCHECK_LANG": "en", **(env or {})})
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception)
        return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def qcheck(tmp_path: Path) -> Qcheck:
    """qcheck with an empty cache and no lock file."""
    return Qcheck(tmp_path)


def test_pull_pins_and_run_locked_offline(server: PackServer, qcheck: Qcheck,
                                          tmp_path: Path) -> None:
    """pull installs and pins; run --locked --offline evaluates exactly the pinned pack and
    records its name, version and sha256 for every checklist."""
    code, out, err = qcheck("pull", "acme@1.0", "--index", server.url("index.json"),
                            "--lang", "en")
    assert code == 0, err
    assert "installed acme 1.0" in out
    lock = read_lock(qcheck.lock)
    assert [(e.name, e.version, e.index) for e in lock.packs] == [
        ("acme", "1.0", server.url("index.json"))]
    out_file = tmp_path / "a.json"
    code, _, err = qcheck("run", PROFILE, "--as-of", "2026-11-20", "--locked", "--offline",
                          "--fail-on", "never", "-f", "json", "-o", str(out_file))
    assert code == 0, err
    doc = json.loads(out_file.read_text(encoding="utf-8"))
    assert [c["id"] for c in doc["checklists"]] == ["t-mini"]
    assert doc["checklists"][0]["provenance"] == {
        "origin": "pack", "pack": "acme", "version": "1.0", "sha256": lock.packs[0].sha256}


def test_pull_newer_version_replaces_pin(server: PackServer, qcheck: Qcheck) -> None:
    """Pulling another version re-pins the name; the lock keeps one version per pack."""
    qcheck("pull", "acme@1.0", "--index", server.url("index.json"))
    code, out, _ = qcheck("pull", "acme", "--index", server.url("index.json"))
    assert code == 0
    assert [(e.name, e.version) for e in read_lock(qcheck.lock).packs] == [("acme", "2.0")]
    # The change of version is offered as an impact run on a workspace, and it runs.
    assert "qcheck impact --from acme@1.0 --to acme@2.0 --store URL" in out
    (qcheck.lock.parent / "profiles").mkdir()
    shutil.copy(ROOT / "examples" / "small-food-producer.toml", qcheck.lock.parent / "profiles")
    code, out, err = qcheck("impact", "--from", "acme@1.0", "--to", "acme@2.0",
                            str(qcheck.lock.parent / "profiles"), "--cache-dir",
                            str(qcheck.cache), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["companies"][0]["name"] == "福州闽味园食品有限公司"


@pytest.mark.parametrize(("script", "message"), [
    (Reply(404, b"no"), "HTTP 404"),
    (Reply(500, b"no"), "HTTP 500 Internal Server Error after 2 attempts"),
    (Reply(action="reset"), "the connection broke off"),
    (Reply(action="truncate", cut=100), "the connection broke off"),
    (Reply(action="delay", delay=1.5), "timed out waiting for the server"),
    (Reply(body=b"\x1f\x8b" + b"x" * 98), "got 100 bytes, the index lists"),
], ids=["404", "500", "reset", "truncated", "timeout", "other-bytes"])
def test_pull_failure_is_one_line_exit_2(server: PackServer, qcheck: Qcheck, script: Reply,
                                         message: str) -> None:
    """A failed pull prints one error line naming the URL and exits 2; no lock is written."""
    server.script("acme-2.0.tar.gz", script)
    retries = "1" if script.status == 500 else "0"
    code, _, err = qcheck("pull", "acme", "--index", server.url("index.json"), "--retries",
                          retries, "--timeout", "0.5", "--lang", "en")
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith(f"qcheck: error: {server.url('acme-2.0.tar.gz')}: ")
    assert message in err
    assert not qcheck.lock.exists()


def test_pull_needs_an_index(qcheck: Qcheck) -> None:
    """Without --index and no pin to take it from, pull says what to give."""
    code, _, err = qcheck("pull", "acme", "--lang", "en")
    assert (code, err) == (2, "qcheck: error: --index: give --index URL (the pack is "
                              "not in the lock file)\n")


def test_run_locked_offline_names_what_to_pull(server: PackServer, qcheck: Qcheck) -> None:
    """--locked --offline with the pinned pack missing from the cache says which to pull."""
    qcheck("pull", "acme@1.0", "--index", server.url("index.json"))
    shutil.rmtree(qcheck.cache)
    code, _, err = qcheck("run", PROFILE, "--locked", "--offline")
    assert code == 2
    assert (f"pack acme@1.0 is not in the cache: run qcheck pull acme@1.0 --index "
            f"{server.url('index.json')}") in err


def test_run_locked_pulls_missing_pin(server: PackServer, qcheck: Qcheck) -> None:
    """--locked without --offline pulls a missing pinned pack from its recorded index."""
    qcheck("pull", "acme@1.0", "--index", server.url("index.json"))
    shutil.rmtree(qcheck.cache)
    code, _, err = qcheck("run", PROFILE, "--as-of", "2026-11-20", "--locked",
                          "--fail-on", "never")
    assert code == 0, err
    assert server.count("acme-1.0.tar.gz") == 2


def test_run_locked_refuses_changed_cache(server: PackServer, qcheck: Qcheck) -> None:
    """A pinned pack whose files changed in the cache is refused."""
    qcheck("pull", "acme@1.0", "--index", server.url("index.json"))
    target = next(qcheck.cache.glob("packs/*/content/t-mini.toml"))
    target.write_text(target.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    code, _, err = qcheck("run", PROFILE, "--locked", "--offline")
    assert code == 2
    assert "was changed (t-mini.toml); pull it again" in err


def test_run_locked_refuses_other_digest(server: PackServer, qcheck: Qcheck) -> None:
    """A lock file pinning another digest than the cache holds is refused."""
    qcheck("pull", "acme@1.0", "--index", server.url("index.json"))
    text = qcheck.lock.read_text(encoding="utf-8")
    sha = read_lock(qcheck.lock).packs[0].sha256
    qcheck.lock.write_text(text.replace(sha, "f" * 64), encoding="utf-8")
    code, _, err = qcheck("run", PROFILE, "--locked", "--offline")
    assert code == 2
    assert f"the lock file pins {'f' * 64}" in err


def test_run_locked_without_lock_file(qcheck: Qcheck) -> None:
    """--locked with no lock file is a usage error."""
    code, _, err = qcheck("run", PROFILE, "--locked")
    assert code == 2
    assert "run qcheck pull first" in err


def test_pull_offline_pins_from_cache(server: PackServer, qcheck: Qcheck) -> None:
    """pull --offline pins a pack already in the cache without the network."""
    qcheck("pull", "acme@1.0", "--index", server.url("index.json"))
    qcheck.lock.unlink()
    requests = len(server.requests)
    assert qcheck("pull", "acme", "--offline")[0] == 0
    assert len(server.requests) == requests
    assert read_lock(qcheck.lock).packs[0].index == server.url("index.json")
    code, _, err = qcheck("pull", "other", "--offline")
    assert (code, "not in the cache" in err) == (2, True)


def test_run_post_delivers(server: PackServer, qcheck: Qcheck) -> None:
    """run --post sends the assessment with the token from the environment; the exit code
    stays the --fail-on one."""
    code, _, err = qcheck("run", PROFILE, "-c", str(ASSETS / "mini.toml"), "--as-of",
                          "2026-11-20", "--post", server.url("qms"), "--lang", "en",
                          env={"QCOMPLIANCE_TOKEN": server.token})
    assert code == 1  # the mandatory flag item fails
    assert f"delivered to {server.url('qms')} (HTTP 201" in err
    assert len(server.stored) == 1


def test_run_post_undelivered_exits_2(server: PackServer, qcheck: Qcheck) -> None:
    """An assessment the endpoint refuses is a one-line error and exit code 2."""
    code, _, err = qcheck("run", PROFILE, "-c", str(ASSETS / "mini.toml"), "--as-of",
                          "2026-11-20", "--post", server.url("qms"), "--token-env", "MY_TOKEN",
                          env={"MY_TOKEN": "wrong"})
    assert code == 2
    assert err.strip().endswith("HTTP 401 Unauthorized (check the token in $MY_TOKEN)")
    assert server.stored == {}


def test_post_and_offline_conflict(qcheck: Qcheck) -> None:
    """--post needs the network, so it cannot be combined with --offline."""
    code, _, err = qcheck("run", PROFILE, "--post", "http://127.0.0.1:9/", "--offline")
    assert code == 2
    assert "--post needs the network" in err


def test_report_names_pack_to_pull(server: PackServer, qcheck: Qcheck, tmp_path: Path) -> None:
    """report on an assessment made with a pulled pack: quiet when the pack is in the cache;
    a note naming the pack and the pull command when it is not (the report still renders)."""
    qcheck("pull", "acme@1.0", "--index", server.url("index.json"))
    saved = tmp_path / "a.json"
    qcheck("run", PROFILE, "--as-of", "2026-11-20", "--locked", "--fail-on", "never",
           "-f", "json", "-o", str(saved))
    code, out, err = qcheck("report", str(saved), "--lang", "en")
    assert (code, err) == (0, "")
    assert "Flag is set" in out  # the item by its title
    shutil.rmtree(qcheck.cache)
    code, out, err = qcheck("report", str(saved), "--lang", "en")
    assert code == 0
    assert "Flag is set" in out  # the item by its title
    assert (f"run qcheck pull acme@1.0 --index {server.url('index.json')}") in err


def make_distribution(site: Path, marker: Path) -> None:
    """An installed distribution offering the acme pack through an entry point, whose Python
    package would leave ``marker`` behind if it were ever imported."""
    dist = site / "acme_qpack-3.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-qpack\nVersion: 3.1\n",
                                   encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        "[qcompliance.checklists]\nacme = acme_qpack/checklists\n", encoding="utf-8")
    package = site / "acme_qpack"
    package.mkdir()
    (package / "__init__.py").write_text(
        f"open({str(marker)!r}, 'w').write('imported')\n", encoding="utf-8")
    folder = package / "checklists"
    folder.mkdir()
    shutil.copy(ASSETS / "mini.toml", folder / "t-mini.toml")


@pytest.fixture
def distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The entry-point distribution on sys.path; returns the import marker path."""
    site = tmp_path / "site-packages"
    marker = tmp_path / "imported"
    make_distribution(site, marker)
    monkeypatch.syspath_prepend(str(site))
    return marker


def test_entry_point_checklists_are_found_not_imported(distribution: Path) -> None:
    """Checklists registered under qcompliance.checklists are found as data; the
    distribution's code is never imported."""
    sources = [s for s in entry_point_sources() if s.provenance.pack == "acme"]
    assert len(sources) == 1
    prov = sources[0].provenance
    assert (prov.origin, prov.version) == ("entry-point", "3.1")
    assert [p.name for p in sources[0].checklist_paths()] == ["t-mini.toml"]
    assert not distribution.exists()
    assert "acme_qpack" not in sys.modules


def test_checklists_list_shows_origins(distribution: Path, server: PackServer, qcheck: Qcheck,
                                       tmp_path: Path) -> None:
    """checklists list shows where each checklist came from: built-in, entry point, pulled
    pack, file."""
    qcheck("pull", "acme@2.0", "--index", server.url("index.json"))
    extra = tmp_path / "own.toml"
    extra.write_text((ASSETS / "mini.toml").read_text(encoding="utf-8").replace(
        'id = "t-mini"', 'id = "t-own"').replace('"t-mini.', '"t-own.'), encoding="utf-8")
    code, out, err = qcheck("checklists", "list", str(extra), "--lang", "en")
    assert code == 0, err
    origins = {tuple(line.split("\t")[i] for i in (0, 3)) for line in out.splitlines()}
    assert ("cn-recall", "builtin") in origins
    assert ("t-mini", "entry-point acme@3.1") in origins
    assert ("t-mini", "pack acme@2.0") in origins
    assert ("t-own", f"file {extra}") in origins
    assert not distribution.exists()


def test_run_includes_entry_point_checklists(distribution: Path, qcheck: Qcheck,
                                             tmp_path: Path) -> None:
    """qcheck run finds entry-point checklists beside the built-in ones, by id too."""
    out_file = tmp_path / "a.json"
    code, _, err = qcheck("run", PROFILE, "-c", "t-mini", "-c", "cn-recall", "--as-of",
                          "2026-11-20", "--fail-on", "never", "-f", "json", "-o", str(out_file))
    assert code == 0, err
    refs = json.loads(out_file.read_text(encoding="utf-8"))["checklists"]
    assert [(r["id"], r["provenance"]["origin"]) for r in refs] == [
        ("t-mini", "entry-point"), ("cn-recall", "builtin")]


def test_qcheck_starts_without_httpx() -> None:
    """Importing the CLI does not import httpx: only pull, --locked and --post need it."""
    import subprocess

    code = "import sys, qcompliance.cli.main; print('httpx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


def test_registry_exports_resolve() -> None:
    """Every name in qcompliance.registry.__all__ resolves (they load lazily), and no other
    public name does."""
    import qcompliance.registry as registry

    assert set(registry.__all__) == set(registry._WHERE)
    for name in registry.__all__:
        assert getattr(registry, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        registry.nope  # noqa: B018 - the attribute access is the test


def test_show_and_facts_find_entry_point_checklists(distribution: Path, qcheck: Qcheck) -> None:
    """checklists show and facts -c find an entry-point checklist by its id."""
    code, out, err = qcheck("checklists", "show", "t-mini", "--lang", "en")
    assert code == 0, err
    assert "t-mini.flag" in out
    code, out, err = qcheck("facts", "-c", "t-mini", "--lang", "en")
    assert code == 0, err
    assert "t.years" in out


def test_load_for_assessment(tmp_path: Path) -> None:
    """The checklists an assessment used come back from the built-in catalogue; a changed
    checklist and an older built-in catalogue are named."""
    import datetime as dt

    import attrs

    from qcompliance import Provenance, evaluate, load_checklists, load_profile
    from qcompliance.registry import Cache, RegistryError, load_for_assessment

    checklists = load_checklists(["cn-recall"])
    profile = load_profile(ASSETS.parent.parent / "examples" / "small-food-producer.toml",
                           checklists.facts)
    assessment = evaluate(profile, checklists, dt.date(2026, 11, 20))
    cache = Cache(tmp_path / "cache")
    again = load_for_assessment(assessment, cache)
    assert [c.id for c in again] == ["cn-recall"]
    [ref] = assessment.checklists
    changed = attrs.evolve(assessment, checklists=(attrs.evolve(ref, sha256="0" * 64),))
    with pytest.raises(RegistryError, match="checklist cn-recall differs from the one the "
                                            "assessment used"):
        load_for_assessment(changed, cache)
    older = attrs.evolve(assessment, checklists=(attrs.evolve(
        ref, provenance=Provenance("builtin", "cn-quality", "2025.1")),))
    with pytest.raises(QComplianceError, match=r"run qcheck pull cn-quality@2025\.1 --index URL"):
        load_for_assessment(older, cache)
