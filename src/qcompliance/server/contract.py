"""The operation table enforced on every request, before a route runs: a body whose media type
the operation does not take is a 415, a query parameter it does not declare is a 400 (a typo
such as ``asof`` must not silently evaluate as of today), and ``Accept`` is negotiated with
q-values by python-mimeparse."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl

import jsonschema
import mimeparse  # type: ignore[import-untyped]  # python-mimeparse ships no type hints
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from qcompliance.errors import Problem
from qcompliance.server.openapi import MESSAGES
from qcompliance.server.operations import MEDIA_ALIASES, OPERATIONS, Operation
from qcompliance.server.problems import HTTPProblem, problem_response
from qcompliance.suggest import did_you_mean

__all__ = ["Contract", "check_message", "negotiate"]


def negotiate(accept: str, offered: Sequence[str]) -> str | None:
    """The media type of ``offered`` that ``accept`` prefers (q-values, wildcards); ``offered``
    is in order of increasing preference for ties; an empty header takes the last; None when
    none is acceptable. A malformed header is a 400."""
    if not accept.strip():
        return offered[-1]
    try:
        best: str = mimeparse.best_match(list(offered), accept)
    except (mimeparse.MimeTypeParseException, ValueError):
        raise HTTPProblem(400, "usage-error", "The Accept header cannot be read",
                          f"malformed Accept: {accept[:80]}",
                          [Problem("is not a list of media ranges", key="Accept")]) from None
    return best or None


@functools.cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    brought = {k: v for op in OPERATIONS for k, v in op.components.items()}
    return jsonschema.Draft202012Validator({**brought, **MESSAGES}[name],
                                           format_checker=jsonschema.FormatChecker())


def check_message(data: object, name: str) -> None:
    """A 400 listing every way ``data`` breaks the message schema ``name`` (a component of
    the OpenAPI document), if it does."""
    errors = sorted(_validator(name).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        problems = [Problem(e.message, file="<request>",
                            key=".".join(str(p) for p in e.path) or None) for e in errors]
        raise HTTPProblem(400, "usage-error", "The request body does not fit its schema",
                          str(problems[0]), problems)


def _media(content_type: str) -> str:
    media = content_type.split(";", 1)[0].strip().lower()
    return MEDIA_ALIASES.get(media, media)


class Contract:
    """ASGI middleware: each request checked against the operation its method and path name."""

    def __init__(self, app: ASGIApp, operations: Iterable[Operation]) -> None:
        self.app = app
        self.routes: list[tuple[re.Pattern[str], Operation]] = [
            (compile_path(op.path)[0], op) for op in operations]

    def operation(self, method: str, path: str) -> Operation | None:
        """The operation of ``method`` and ``path``, if the table has one."""
        for pattern, op in self.routes:
            if op.method == method and pattern.match(path):
                return op
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 400 or 415 for a request the table does not allow; else pass it on."""
        op = self.operation(scope["method"], scope["path"]) if scope["type"] == "http" else None
        error = None if op is None else self.check(op, scope)
        if error is not None:
            await problem_response(error, scope["path"])(scope, receive, send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    def check(op: Operation, scope: Scope) -> HTTPProblem | None:
        """The problem with a request to ``op``, if any."""
        query = scope.get("query_string", b"").decode("latin-1")
        names = dict.fromkeys(k for k, _ in parse_qsl(query, keep_blank_values=True))
        unknown = [n for n in names if n not in op.query_names]
        if unknown:
            known = sorted(op.query_names)
            problems = [Problem(f"unknown query parameter{did_you_mean(n, known)}", key=n)
                        for n in unknown]
            return HTTPProblem(400, "usage-error", "Unknown query parameter",
                               f"{op.method} {op.path} takes "
                               f"{', '.join(known) if known else 'no query parameters'}",
                               problems)
        if op.body is None:
            return None
        content_type = ""
        for name, value in scope["headers"]:
            if name == b"content-type":
                content_type = value.decode("latin-1")
        media = _media(content_type)
        if not op.takes(media):
            return HTTPProblem(415, "unsupported-media-type", "Unsupported Content-Type",
                               f"send one of {', '.join(sorted(op.media_types))}",
                               [Problem(f"'{media}' is not taken here", key="Content-Type")],
                               headers={"Accept-Post": ", ".join(sorted(op.media_types))})
        return None
