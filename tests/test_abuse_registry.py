"""Rule-pack pulls and --post under abuse, against a real server on 127.0.0.1: a dripping
server meets the deadline, stacked and inflating encodings are refused under a size cap,
redirect loops and hostile indexes are one line and exit 2 (never 3), an archive of another
pack is not installed, a pinned version never silently changes its sha256, and tokens and
credentials stay off the wire and off the screen."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ASSETS
from packserver import PackServer, Reply, copy_pack, serve
from qcompliance.cli.main import app
from qcompliance.registry import read_lock
from qcompliance.registry.build import build_pack
from qcompliance.registry.errors import DeliveryError
from qcompliance.registry.post import post_assessment

QCHECK = Path(sys.executable).with_name("qcheck")
PROFILE = str(ASSETS / "mini-profile.toml")


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """acme 1.0 and 2.0, built once."""
    tmp = tmp_path_factory.mktemp("built")
    for version in ("1.0", "2.0"):
        build_pack(copy_pack(tmp, version), tmp / "site")
    return tmp / "site"


@pytest.fixture
def site(built_site: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built site."""
    return Path(shutil.copytree(built_site, tmp_path / "site"))


@pytest.fixture
def server(site: Path) -> Iterator[PackServer]:
    """The registry server for ``site``."""
    yield from serve(site)


def pull(tmp_path: Path, *args: str) -> tuple[int, str]:
    """``qcheck pull ARGS`` with a private cache and lock file; exit code and stderr."""
    result = CliRunner().invoke(app, ["pull", *args, "--cache-dir", str(tmp_path / "cache"),
                                      "--lock-file", str(tmp_path / "q.lock"), "--retries",
                                      "0", "--lang", "en"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stderr


def test_dripping_server_meets_the_deadline(server: PackServer, tmp_path: Path) -> None:
    """A server that sends one byte every 0.2 s (never silent long enough for the read
    timeout) is given up on when --deadline passes."""
    server.script("index.json", Reply(action="drip", delay=0.2))
    code, err = pull(tmp_path, "acme", "--index", server.url("index.json"), "--deadline", "1")
    assert code == 2
    assert err == (f"qcheck: error: {server.url('index.json')}: the download took longer "
                   "than 1 s; nothing was installed\n")


def test_stacked_encodings_are_refused(server: PackServer, site: Path, tmp_path: Path) -> None:
    """``Content-Encoding: gzip, gzip`` is refused before anything is decoded."""
    body = gzip.compress(gzip.compress((site / "index.json").read_bytes()))
    server.script("index.json", Reply(body=body, headers={"Content-Encoding": "gzip, gzip"}))
    code, err = pull(tmp_path, "acme", "--index", server.url("index.json"))
    assert code == 2
    assert err == (f"qcheck: error: {server.url('index.json')}: the answer is encoded several "
                   "times over (gzip, gzip); at most one content encoding is accepted\n")


def test_inflating_index_is_cut_with_bounded_memory(server: PackServer, tmp_path: Path) -> None:
    """A 20 kB gzip answer that inflates to 64 MiB stops at the 16 MiB index bound; the pull's
    peak memory (``resource``, in a subprocess) stays far below what inflating it would take."""
    bomb = gzip.compress(b" " * (64 * 1024 * 1024), 9)
    assert len(bomb) < 100_000
    server.script("index.json", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    probe = ("import json, resource, subprocess, sys\n"
             "done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=120)\n"
             "print(json.dumps([done.returncode, done.stderr, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))\n")
    out = subprocess.run(
        [sys.executable, "-c", probe, str(QCHECK), "pull", "acme", "--index",
         server.url("index.json"), "--cache-dir", str(tmp_path / "c"), "--lock-file",
         str(tmp_path / "q.lock"), "--lang", "en"],
        capture_output=True, text=True, timeout=180, check=True).stdout
    code, err, rss = json.loads(out)
    assert code == 2
    assert err == (f"qcheck: error: {server.url('index.json')}: the answer decodes to more "
                   "than 16777216 bytes\n")
    assert rss < 150 * 1024, f"{rss // 1024} MiB"


def test_redirect_loop_is_exit_2(server: PackServer, tmp_path: Path) -> None:
    """A redirect loop is one line and exit 2 (it was an internal error, exit 3)."""
    server.script("index.json", Reply(302, b"", headers={"Location": "/index.json"}))
    code, err = pull(tmp_path, "acme", "--index", server.url("index.json"))
    assert code == 2
    assert err == (f"qcheck: error: {server.url('index.json')}: too many redirects (a "
                   "redirect loop?)\n")


@pytest.mark.parametrize(("body", "why"), [
    (b'{"schema": "qcompliance/index/v1", "packs": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
     "nested deeper than 32 levels"),
    (b'{"schema": "qcompliance/index/v1", "packs": [{"size": ' + b"9" * 5000 + b"}]}",
     "number out of range (at most 9007199254740991 in size)"),
    (b'{"schema": "qcompliance/index/v1", "packs": [], "packs": []}',
     "duplicate key 'packs'"),
])
def test_hostile_index_is_exit_2(server: PackServer, tmp_path: Path, body: bytes,
                                 why: str) -> None:
    """A deeply nested index, a 5,000-digit size, a duplicate key: one line, exit 2."""
    server.script("index.json", Reply(body=body))
    code, err = pull(tmp_path, "acme", "--index", server.url("index.json"))
    assert code == 2
    assert err == (f"qcheck: error: {server.url('index.json')}: the index is not valid JSON: "
                   f"{why}\n")


def _list(site: Path, version: str, file: str, data: bytes) -> None:
    """List ``file`` in the site's index as acme ``version``, with its true size and sha256."""
    index = json.loads((site / "index.json").read_text(encoding="utf-8"))
    template = next(p for p in index["packs"] if p["name"] == "acme")
    index["packs"] = [p for p in index["packs"] if p["version"] != version]
    index["packs"].append({**template, "version": version, "file": file, "size": len(data),
                           "sha256": hashlib.sha256(data).hexdigest()})
    (site / "index.json").write_text(json.dumps(index), encoding="utf-8")


def test_archive_of_another_version_is_not_installed(server: PackServer, site: Path,
                                                     tmp_path: Path) -> None:
    """The index lists acme 3.0, but the archive's own pack.toml says acme 2.0."""
    data = (site / "acme-2.0.tar.gz").read_bytes()
    (site / "acme-3.0.tar.gz").write_bytes(data)
    _list(site, "3.0", "acme-3.0.tar.gz", data)
    code, err = pull(tmp_path, "acme@3.0", "--index", server.url("index.json"))
    assert code == 2
    assert err == ("qcheck: error: acme-3.0.tar.gz: the archive's pack.toml names acme 2.0, "
                   "the index promised acme 3.0; nothing was installed\n")
    assert not (tmp_path / "q.lock").exists()


def test_pinned_version_does_not_change_sha256(server: PackServer, site: Path,
                                               tmp_path: Path) -> None:
    """acme 1.0 is pinned; the registry then serves another archive as 1.0: the pull refuses
    to re-pin it, and --repin accepts it."""
    assert pull(tmp_path, "acme@1.0", "--index", server.url("index.json"))[0] == 0
    pinned = read_lock(tmp_path / "q.lock").get("acme")
    assert pinned is not None
    changed = copy_pack(tmp_path / "changed", "1.0")
    readme = changed / "README.md"
    readme.write_text("changed\n", encoding="utf-8")
    build_pack(changed, tmp_path / "out")
    data = (tmp_path / "out" / "acme-1.0.tar.gz").read_bytes()
    (site / "acme-1.0.tar.gz").write_bytes(data)
    _list(site, "1.0", "acme-1.0.tar.gz", data)
    new = hashlib.sha256(data).hexdigest()
    code, err = pull(tmp_path, "acme@1.0", "--index", server.url("index.json"))
    assert code == 2
    assert err == (f"qcheck: error: --repin: acme 1.0 is pinned with sha256 {pinned.sha256}, "
                   f"the pull gave {new}: a published version must not change; give --repin "
                   "if the change is expected\n")
    assert read_lock(tmp_path / "q.lock").get("acme") == pinned
    assert pull(tmp_path, "acme@1.0", "--index", server.url("index.json"), "--repin")[0] == 0
    repinned = read_lock(tmp_path / "q.lock").get("acme")
    assert repinned is not None
    assert repinned.sha256 == new


def test_token_is_not_sent_over_plain_http_to_another_machine() -> None:
    """--post http://... to a host that is not this machine, with a token: refused before
    any connection, unless the caller accepts the risk."""
    result = CliRunner().invoke(app, [
        "run", PROFILE, "-c", str(ASSETS / "mini.toml"), "--as-of", "2026-11-20", "--post",
        "http://qms.invalid/in", "--lang", "en"], env={"QCOMPLIANCE_TOKEN": "t" * 20})
    assert result.exit_code == 2
    assert result.stderr == (
        "qcheck: error: http://qms.invalid/in: the token in $QCOMPLIANCE_TOKEN would cross "
        "the network unencrypted: use an https:// URL, or --insecure-http to accept the risk\n")


def test_post_error_shows_no_credentials() -> None:
    """Userinfo and secret query values of the URL never appear in the error."""
    with pytest.raises(DeliveryError) as caught:
        post_assessment(b"{}", "http://user:pw@127.0.0.1:9/in?token=abc&site=1",
                        token_env=None, retries=0, timeout=5)
    text = str(caught.value)
    assert text.startswith("http://***@127.0.0.1:9/in?token=***&site=1: the assessment was "
                           "not delivered")
    assert "pw" not in text.replace("***", "")
    assert "abc" not in text
