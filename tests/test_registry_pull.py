"""Pulling packs from a real HTTP server on 127.0.0.1: every failure a pull can meet.

The server (tests/packserver.py) runs in a thread for each test; clients get short timeouts
and a recorded, tiny backoff so the retries cost no time.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import attrs
import httpx
import pytest

from conftest import ASSETS
from packserver import PackServer, Reply, copy_pack, serve
from qcompliance.model import Text
from qcompliance.registry import AsyncRegistryClient, Cache, RegistryClient, RegistryError
from qcompliance.registry.build import build_pack
from qcompliance.registry.pack import IndexEntry, update_index
from qcompliance.registry.sources import load_sources, pack_source

TIMEOUT = httpx.Timeout(2.0, connect=2.0)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """acme 1.0 and 2.0 built from the test pack, once for the module."""
    tmp = tmp_path_factory.mktemp("built")
    out = tmp / "site"
    for version in ("1.0", "2.0"):
        build_pack(copy_pack(tmp, version), out)
    return out


@pytest.fixture
def site(built_site: Path, tmp_path: Path) -> Path:
    """A folder served as a registry (a fresh copy of the built site for each test)."""
    return Path(shutil.copytree(built_site, tmp_path / "site"))


@pytest.fixture
def server(site: Path) -> Iterator[PackServer]:
    """The registry server for ``site``."""
    yield from serve(site)


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    """An empty pack cache."""
    return Cache(tmp_path / "cache", lock_timeout=20)


class Sleeps(list[float]):
    """Records the backoff delays instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(server: PackServer, cache: Cache, sleeps: Sleeps | None = None,
           **kw: object) -> RegistryClient:
    """A client of ``server`` with short timeouts and a 10 ms backoff."""
    options: dict[str, object] = {"timeout": TIMEOUT, "retries": 3, "backoff": 0.01}
    options.update(kw)
    return RegistryClient(server.url("index.json"), cache=cache,
                          sleep=sleeps if sleeps is not None else Sleeps(),
                          **options)  # type: ignore[arg-type]


def publish(site: Path, name: str, version: str, data: bytes) -> IndexEntry:
    """Put archive bytes on the site and list them, with their true size and digest."""
    file = f"{name}-{version}.tar.gz"
    (site / file).write_bytes(data)
    entry = IndexEntry(name, version, file, len(data), hashlib.sha256(data).hexdigest(),
                       Text(name, name))
    update_index(site, entry)
    return entry


def nothing_installed(cache: Cache, name: str = "acme") -> bool:
    """No version of ``name`` is recorded and no pack folder exists."""
    return cache.get(name) is None and not list((cache.root / "packs").glob("*/content"))


def test_good_pull_installs_verified_pack(server: PackServer, cache: Cache) -> None:
    """A pull installs the newest version; its files verify; the checklists load with the
    pack as provenance; pulling again downloads nothing."""
    with client(server, cache) as c:
        pack = c.pull("acme")
        assert (pack.name, pack.version) == ("acme", "2.0")
        assert (pack.path / "t-mini.toml").is_file()
        pack.verify()
        assert c.pull("acme").sha256 == pack.sha256
    assert server.count("acme-2.0.tar.gz") == 1
    checklists = load_sources([pack_source(pack)], include_builtin=False)
    prov = checklists.checklists[0].provenance
    assert prov is not None
    assert (prov.origin, prov.pack, prov.version, prov.sha256) == (
        "pack", "acme", "2.0", pack.sha256)
    assert pack.index == server.url("index.json")


def test_pull_given_version(server: PackServer, cache: Cache) -> None:
    """NAME@VERSION installs that version beside the others."""
    with client(server, cache) as c:
        c.pull("acme", "1.0")
        c.pull("acme", "2.0")
    assert [p.version for p in cache.list()] == ["1.0", "2.0"]


def test_404_is_one_error_without_retries(server: PackServer, cache: Cache) -> None:
    """A 404 for the archive is final: one attempt, an error naming the URL."""
    server.script("acme-2.0.tar.gz", Reply(404, b"gone"))
    sleeps = Sleeps()
    with client(server, cache, sleeps) as c, pytest.raises(
            RegistryError, match=r"acme-2\.0\.tar\.gz: the server answered HTTP 404"):
        c.pull("acme")
    assert server.count("acme-2.0.tar.gz") == 1
    assert sleeps == []
    assert nothing_installed(cache)


def test_404_index(tmp_path: Path, cache: Cache) -> None:
    """An index URL that does not exist says so."""
    for state in serve(tmp_path):
        with RegistryClient(state.url("nope/index.json"), cache=cache, timeout=TIMEOUT) as c, \
                pytest.raises(RegistryError, match="HTTP 404 Not Found"):
            c.index()


def test_500_then_success(server: PackServer, cache: Cache) -> None:
    """Two 500s and then the archive: retried with growing backoff, then installed."""
    server.script("acme-2.0.tar.gz", Reply(500, b"oops"), Reply(503, b"busy"), Reply())
    sleeps = Sleeps()
    with client(server, cache, sleeps) as c:
        pack = c.pull("acme")
    pack.verify()
    assert server.count("acme-2.0.tar.gz") == 3
    assert sleeps == [0.01, 0.02]


def test_500_forever_gives_up(server: PackServer, cache: Cache) -> None:
    """A server that keeps failing: a bounded number of attempts, then one error."""
    server.script("index.json", Reply(500, b"oops"))
    with client(server, cache, retries=2) as c, pytest.raises(
            RegistryError, match=r"index\.json: HTTP 500 Internal Server Error after 3 attempts"):
        c.pull("acme")
    assert server.count("index.json") == 3


def test_connection_reset_then_success(server: PackServer, cache: Cache) -> None:
    """A reset connection is retried."""
    server.script("acme-2.0.tar.gz", Reply(action="reset"), Reply())
    with client(server, cache) as c:
        c.pull("acme").verify()
    assert server.count("acme-2.0.tar.gz") == 2


def test_connection_reset_forever(server: PackServer, cache: Cache) -> None:
    """Resets on every attempt end in one error; nothing is installed."""
    server.script("acme-2.0.tar.gz", Reply(action="reset"))
    with client(server, cache, retries=1) as c, pytest.raises(
            RegistryError, match=r"(connection broke off|network error).* after 2 attempts"):
        c.pull("acme")
    assert nothing_installed(cache)


def test_read_timeout(server: PackServer, cache: Cache) -> None:
    """A server slower than the read timeout: a timeout error, nothing installed."""
    server.script("acme-2.0.tar.gz", Reply(action="delay", delay=1.5))
    with client(server, cache, retries=0, timeout=httpx.Timeout(0.3, connect=2.0)) as c, \
            pytest.raises(RegistryError, match="timed out waiting for the server"):
        c.pull("acme")
    assert nothing_installed(cache)


def test_truncated_body(server: PackServer, cache: Cache, site: Path) -> None:
    """A body cut off before its Content-Length: an error, nothing installed."""
    server.script("acme-2.0.tar.gz", Reply(action="truncate", cut=200))
    with client(server, cache, retries=1) as c, pytest.raises(
            RegistryError, match=r"acme-2\.0\.tar\.gz: .*broke off"):
        c.pull("acme")
    assert nothing_installed(cache)


def test_sha256_mismatch(server: PackServer, cache: Cache, site: Path) -> None:
    """An archive of the listed size but other bytes is refused before unpacking."""
    data = bytearray((site / "acme-2.0.tar.gz").read_bytes())
    data[-10] ^= 0xFF
    server.script("acme-2.0.tar.gz", Reply(body=bytes(data)))
    with client(server, cache) as c, pytest.raises(
            RegistryError, match=r"sha256 mismatch: got [0-9a-f]{64}, the index lists"):
        c.pull("acme")
    assert nothing_installed(cache)


def test_body_larger_than_index(server: PackServer, cache: Cache, site: Path) -> None:
    """A body longer than the index says is cut off as soon as it is."""
    data = (site / "acme-2.0.tar.gz").read_bytes() + b"\0" * 5000
    server.script("acme-2.0.tar.gz", Reply(body=data))
    with client(server, cache) as c, pytest.raises(RegistryError,
                                                   match=r"larger than the .* the index lists"):
        c.pull("acme")
    assert nothing_installed(cache)


def test_oversized_pack_is_not_downloaded(server: PackServer, cache: Cache) -> None:
    """A pack the index lists as larger than max_size is refused without downloading it."""
    with client(server, cache, max_size=100) as c, pytest.raises(
            RegistryError, match="more than the limit of 100"):
        c.pull("acme")
    assert server.count("acme-2.0.tar.gz") == 0


def evil_archive(member: tarfile.TarInfo, data: bytes = b"x") -> bytes:
    """A gzip tar with a valid pack.toml and one hostile member."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as tar:
        manifest = (ASSETS / "packs" / "acme" / "pack.toml").read_bytes()
        info = tarfile.TarInfo("pack.toml")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
        if member.isfile():
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
        else:
            tar.addfile(member)
    return raw.getvalue()


def _member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info


EVIL = {
    "dotdot": (_member("../../evil.toml"), "escapes the pack folder"),
    "nested-dotdot": (_member("fixtures/../../evil.toml"), "escapes the pack folder"),
    "absolute": (_member("/tmp/evil.toml"), "has an absolute path"),
    "symlink": (_member("evil.toml", tarfile.SYMTYPE, "/etc/passwd"), "is a link"),
    "hardlink": (_member("evil.toml", tarfile.LNKTYPE, "pack.toml"), "is a link"),
    "device": (_member("evil", tarfile.CHRTYPE), "device, FIFO or other special"),
    "fifo": (_member("evil", tarfile.FIFOTYPE), "device, FIFO or other special"),
}


@pytest.mark.parametrize("case", sorted(EVIL))
def test_hostile_archive_is_refused(case: str, server: PackServer, cache: Cache, site: Path,
                                    tmp_path: Path) -> None:
    """Archives with ../, absolute paths, links or special files are refused whole, even
    with a matching digest, and nothing lands in the cache or outside it."""
    member, message = EVIL[case]
    publish(site, "evil", "1.0", evil_archive(member))
    with client(server, cache) as c, pytest.raises(RegistryError, match=message):
        c.pull("evil")
    assert nothing_installed(cache, "evil")
    assert not list(tmp_path.rglob("evil.toml"))
    assert not list((cache.root / "tmp").iterdir())


def test_archive_without_manifest(server: PackServer, cache: Cache, site: Path) -> None:
    """An archive that holds no pack.toml is not a pack."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as tar:
        info = tarfile.TarInfo("x.toml")
        tar.addfile(info, io.BytesIO(b""))
    publish(site, "bare", "1.0", raw.getvalue())
    with client(server, cache) as c, pytest.raises(RegistryError, match=r"no pack\.toml"):
        c.pull("bare")


def test_not_gzip(server: PackServer, cache: Cache, site: Path) -> None:
    """Bytes that are not a gzip tar are one error."""
    publish(site, "junk", "1.0", b"this is not an archive")
    with client(server, cache) as c, pytest.raises(RegistryError, match="cannot be read"):
        c.pull("junk")


PULL = """
import sys
from qcompliance.registry import Cache, RegistryClient
client = RegistryClient(sys.argv[1], cache=Cache(sys.argv[2]), timeout=20, retries=0)
pack = client.pull("acme", sys.argv[3])
print(pack.version, pack.sha256)
"""


def spawn_pull(server: PackServer, cache: Cache, version: str) -> subprocess.Popen[str]:
    """``RegistryClient.pull`` in a separate Python process."""
    return subprocess.Popen(
        [sys.executable, "-c", PULL, server.url("index.json"), str(cache.root), version],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "NO_PROXY": "127.0.0.1"})


def test_pull_killed_half_way_leaves_previous_pack(server: PackServer, cache: Cache) -> None:
    """A pull killed while the archive is half downloaded leaves the installed version
    whole and usable, installs nothing half, and the next pull succeeds."""
    with client(server, cache) as c:
        old = c.pull("acme", "1.0")
    size = (server.root / "acme-2.0.tar.gz").stat().st_size
    server.script("acme-2.0.tar.gz", Reply(action="stall", cut=size // 2), Reply())
    proc = spawn_pull(server, cache, "2.0")
    try:
        stalled = server.stalled.wait(30)
        proc.kill()
    finally:
        _, err = proc.communicate(timeout=30)
    assert stalled, err
    assert proc.returncode != 0
    assert cache.get("acme", "2.0") is None
    intact = cache.get("acme")
    assert intact == old
    intact.verify()
    with client(server, cache) as c:
        c.pull("acme", "2.0").verify()
    assert not list((cache.root / "tmp").iterdir())


def test_pull_killed_while_unpacking(server: PackServer, cache: Cache) -> None:
    """Staging left behind by a pull killed while unpacking is removed by the next pull and
    never seen as a pack."""
    with client(server, cache) as c:
        c.pull("acme", "1.0")
    leftover = cache.root / "tmp" / "unpack-killed" / "content"
    leftover.mkdir(parents=True)
    (leftover / "pack.toml").write_text("half", encoding="utf-8")
    assert [p.version for p in cache.list()] == ["1.0"]
    with client(server, cache) as c:
        c.pull("acme", "2.0")
    assert not (cache.root / "tmp" / "unpack-killed").exists()


def test_two_pulls_at_once(server: PackServer, cache: Cache) -> None:
    """Two processes pulling the same pack at once: the file lock serialises them, the
    archive is downloaded once, and both report the same installed pack."""
    server.script("acme-2.0.tar.gz", Reply(action="delay", delay=0.5))
    procs = [spawn_pull(server, cache, "2.0") for _ in range(2)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert outs[0][0] == outs[1][0]
    assert server.count("acme-2.0.tar.gz") == 1
    pack = cache.get("acme", "2.0")
    assert pack is not None
    pack.verify()


def test_lock_pin_must_match_index(server: PackServer, cache: Cache) -> None:
    """A pull pinned to a digest (from a lock file) refuses an index listing another."""
    with client(server, cache) as c, pytest.raises(RegistryError, match="the lock file pins"):
        c.pull("acme", "2.0", sha256="0" * 64)
    assert server.count("acme-2.0.tar.gz") == 0


def test_changed_cache_is_detected(server: PackServer, cache: Cache) -> None:
    """A file edited in the cache after unpacking fails verification."""
    with client(server, cache) as c:
        pack = c.pull("acme")
    (pack.path / "t-mini.toml").write_text("tampered", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"was changed \(t-mini\.toml\)"):
        pack.verify()


def test_async_client_pulls_with_retries(server: PackServer, cache: Cache) -> None:
    """AsyncRegistryClient: a 503 then the archive, installed like the sync client's."""
    server.script("acme-2.0.tar.gz", Reply(503, b"busy"), Reply())
    delays: list[float] = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    async def main() -> str:
        async with AsyncRegistryClient(server.url("index.json"), cache=cache, timeout=TIMEOUT,
                                       backoff=0.01, sleep=sleep) as c:
            pack = await c.pull("acme")
            again = await c.pull("acme")
            assert again == pack
            return pack.version

    assert asyncio.run(main()) == "2.0"
    assert delays == [0.01]
    assert server.count("acme-2.0.tar.gz") == 2
    installed = cache.get("acme", "2.0")
    assert installed is not None
    installed.verify()


def test_async_client_reports_sha_mismatch(server: PackServer, cache: Cache, site: Path
                                           ) -> None:
    """The async client verifies the digest before unpacking, too."""
    data = bytearray((site / "acme-2.0.tar.gz").read_bytes())
    data[-10] ^= 0xFF
    server.script("acme-2.0.tar.gz", Reply(body=bytes(data)))

    async def main() -> None:
        async with AsyncRegistryClient(server.url("index.json"), cache=cache,
                                       timeout=TIMEOUT) as c:
            await c.pull("acme")

    with pytest.raises(RegistryError, match="sha256 mismatch"):
        asyncio.run(main())
    assert nothing_installed(cache)


def test_installed_pack_is_frozen_value(server: PackServer, cache: Cache) -> None:
    """InstalledPack is an immutable value."""
    with client(server, cache) as c:
        pack = c.pull("acme")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        pack.version = "3"  # type: ignore[misc]


def test_pull_repairs_changed_or_damaged_cache(server: PackServer, cache: Cache) -> None:
    """Pulling again replaces a pack whose files were changed, or whose folder was removed,
    with a fresh download."""
    with client(server, cache) as c:
        pack = c.pull("acme")
        (pack.path / "t-mini.toml").write_text("tampered", encoding="utf-8")
        c.pull("acme").verify()
        shutil.rmtree(cache.root / "packs")
        c.pull("acme").verify()
    assert server.count("acme-2.0.tar.gz") == 3
