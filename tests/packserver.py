"""A real HTTP server on 127.0.0.1 for the registry tests, scripted path by path.

Each path answers with a queue of :class:`Reply` scripts (the last one repeats): a normal
answer, an HTTP error, a reset connection, a delay, a truncated body, or a body that stalls
half way. It also serves a folder of static files and plays a small QMS endpoint that checks
the bearer token and stores assessments by idempotency key.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import ssl
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

__all__ = ["ACME", "PackServer", "Reply", "copy_pack", "serve"]

ACME = Path(__file__).resolve().parent / "assets" / "packs" / "acme"
"""A small test pack that extends the built-in catalogue."""


def copy_pack(tmp_path: Path, version: str = "1.0", src: Path = ACME) -> Path:
    """A copy of a pack folder with its version set to ``version``."""
    folder = tmp_path / f"{src.name}-{version}"
    shutil.copytree(src, folder)
    manifest = folder / "pack.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'version = "1.0"', f'version = "{version}"'), encoding="utf-8")
    return folder


@dataclass
class Reply:
    """How the server answers one request."""

    status: int = 200
    body: bytes | None = None
    """None: the static file for the path (or 404)."""
    action: str = "send"
    """send | reset | delay | truncate | stall | drip (one byte every ``delay`` seconds, at
    most ``cut`` bytes, until the client leaves)"""
    delay: float = 0.0
    cut: int = 0
    """Bytes sent before ``truncate`` closes or ``stall`` waits."""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    """A request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class PackServer:
    """The server's state: scripts, static folder, received requests, QMS store."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.scripts: dict[str, list[Reply]] = {}
        self.requests: list[Request] = []
        self.stalled = threading.Event()
        """Set when a ``stall`` reply has sent its first part."""
        self.release = threading.Event()
        """Set to let stalled replies finish (and at shutdown)."""
        self.token = "s3cret"
        self.stored: dict[str, bytes] = {}
        self.lock = threading.Lock()
        self.httpd: ThreadingHTTPServer | None = None
        self.scheme = "http"

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT`` (or ``https://``)."""
        assert self.httpd is not None
        return f"{self.scheme}://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        """The URL of ``path`` on this server."""
        return self.base + "/" + path.lstrip("/")

    def script(self, path: str, *replies: Reply) -> None:
        """Answer requests for ``path`` with ``replies`` in turn, the last one repeating."""
        self.scripts["/" + path.lstrip("/")] = list(replies)

    def count(self, path: str, method: str = "GET") -> int:
        """How many requests for ``path`` arrived."""
        return sum(1 for r in self.requests
                   if r.path == "/" + path.lstrip("/") and r.method == method)

    def next_reply(self, path: str) -> Reply | None:
        with self.lock:
            queue = self.scripts.get(path)
            if not queue:
                return None
            return queue.pop(0) if len(queue) > 1 else queue[0]


def _handler(state: PackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

        def _record(self, body: bytes) -> None:
            with state.lock:
                state.requests.append(Request(self.command, self.path, dict(self.headers), body))

        def _reset(self) -> None:
            # SO_LINGER 0: close with a TCP RST instead of a FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None,
                  length: int | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()

        def _play(self, reply: Reply, body: bytes) -> None:
            if reply.action == "reset":
                self._reset()
                return
            if reply.action == "delay":
                time.sleep(reply.delay)
            if reply.action == "truncate":
                # A clean close (FIN) before the promised Content-Length has been sent.
                self._send(reply.status, body, reply.headers)
                self.wfile.write(body[: reply.cut])
                self.wfile.flush()
                self.close_connection = True
                return
            if reply.action == "drip":
                self._send(reply.status, body, reply.headers)
                for byte in body[: reply.cut or len(body)]:
                    if state.release.wait(reply.delay):
                        return
                    try:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    except OSError:  # the client gave up
                        return
                self.close_connection = True
                return
            if reply.action == "stall":
                self._send(reply.status, body, reply.headers)
                self.wfile.write(body[: reply.cut])
                self.wfile.flush()
                state.stalled.set()
                state.release.wait(30)
                self.wfile.write(body[reply.cut:])
                return
            self._send(reply.status, body, reply.headers)
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._record(b"")
            reply = state.next_reply(self.path) or Reply()
            body = reply.body
            if body is None:
                file = state.root / self.path.lstrip("/")
                if reply.status == 200 and file.is_file():
                    body = file.read_bytes()
                else:
                    body = b"not found"
                    reply = Reply(404 if reply.status == 200 else reply.status, body,
                                  reply.action, reply.delay, reply.cut, reply.headers)
            self._play(reply, body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            self._record(body)
            reply = state.next_reply(self.path)
            if reply is not None and reply.action != "send":
                self._play(reply, reply.body or b"")
                return
            if reply is not None and reply.status != 200:
                self._play(reply, reply.body or b"{}")
                return
            if self.headers.get("Authorization") != f"Bearer {state.token}":
                self._send(401, b'{"error": "unauthorized"}')
                self.wfile.write(b'{"error": "unauthorized"}')
                return
            key = self.headers.get("Idempotency-Key", "")
            with state.lock:
                duplicate = key in state.stored
                state.stored.setdefault(key, body)
            receipt = json.dumps({"id": hashlib.sha256(key.encode()).hexdigest()[:12],
                                  "duplicate": duplicate}).encode()
            self._send(200 if duplicate else 201, receipt)
            self.wfile.write(receipt)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up early (the tests make them) are not errors of the server."""


def serve(root: Path, tls: ssl.SSLContext | None = None) -> Iterator[PackServer]:
    """Run a :class:`PackServer` for ``root`` on a free port until the generator closes;
    over HTTPS with the server context ``tls``."""
    state = PackServer(root)
    httpd = _Server(("127.0.0.1", 0), _handler(state))
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
        state.scheme = "https"
    state.httpd = httpd
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
