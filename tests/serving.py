"""A real ``qcheck serve`` on 127.0.0.1 for tests: started as a subprocess on a free port."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

QCHECK = Path(sys.executable).with_name("qcheck")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def running_server(*args: str, env: dict[str, str] | None = None, log: Path | None = None,
                   cwd: Path | None = None) -> Iterator[str]:
    """Start ``qcheck serve ARGS`` and yield its base URL once /readyz answers; stop it after."""
    port = free_port()
    out = open(log, "wb") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        [str(QCHECK), "serve", "--port", str(port), *args],
        stdout=out, stderr=subprocess.STDOUT if log is not None else subprocess.DEVNULL,
        env={**os.environ, **(env or {})}, cwd=cwd,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        # A deadline, not a wait: ready servers answer at once; a busy CI machine needs minutes.
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"qcheck serve exited with {process.returncode}")
            try:
                if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("qcheck serve did not become ready in 180 s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log is not None:
            out.close()  # type: ignore[union-attr]
