"""A throwaway PostgreSQL cluster for the tests: initdb into a temporary folder, one server
listening on a unix socket there, a fresh database for every test that asks.

PostgreSQL refuses to run as root, so under root (CI) the cluster runs as the ``postgres``
system user that Debian's package creates (or ``nobody``). Without the binaries the tests that
need it are skipped, except under CI, where that is a failure.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return ["runuser", "-u", name, "--"]
    pytest.fail("running as root and no user postgres or nobody to run PostgreSQL as")


def _owner() -> tuple[int, int] | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            return entry.pw_uid, entry.pw_gid
    return None


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[str]:
    """The socket folder of a running throwaway cluster (superuser ``qcheck``, trust)."""
    bindir = _bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed (.ci/run installs Debian's postgresql)")
        pytest.skip("PostgreSQL binaries not found")
    # Not under pytest's tmp folder: that is private to root, and the server runs as another user.
    top = Path(tempfile.mkdtemp(prefix="qcheck-pg-"))
    owner = _owner()
    if owner is not None:
        os.chown(top, *owner)
    data = top / "data"
    prefix = _as_user()
    subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "qcheck",
                    "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                   check=True, capture_output=True)
    server = subprocess.Popen(
        [*prefix, str(bindir / "postgres"), "-D", str(data), "-k", str(top),
         "-c", "listen_addresses=", "-c", "fsync=off", "-c", "max_connections=100"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while subprocess.run([str(bindir / "pg_isready"), "-h", str(top), "-U", "qcheck",
                              "-d", "postgres"], capture_output=True).returncode != 0:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the throwaway PostgreSQL did not start")
            time.sleep(0.2)
        yield str(top)
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(top, ignore_errors=True)


def new_database(socket_dir: str) -> str:
    """A new empty database on the cluster, as a ``postgresql://`` URL."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:16]
    with psycopg.connect(host=socket_dir, user="qcheck", dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql://qcheck@/{name}?host={socket_dir}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty workspace URL: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.sqlite3'}"
    return new_database(request.getfixturevalue("postgres_cluster"))
