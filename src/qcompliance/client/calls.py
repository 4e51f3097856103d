"""What the synchronous and asynchronous clients share: inputs turned into requests, responses
turned into results or the library's errors, and the options of the underlying httpx client."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
import httpx

from qcompliance.errors import (
    ChecklistError,
    InputError,
    ParseError,
    Problem,
    QComplianceError,
    UsageError,
)
from qcompliance.loading.load import Document, Input, parse_document, read_bytes
from qcompliance.model import Lang
from qcompliance.registry.post import is_loopback

__all__ = [
    "TOKEN_ENV",
    "ClientOptions",
    "ServerError",
    "TextFormat",
    "View",
    "assess_call",
    "batch_call",
    "connect_error",
    "from_text",
    "raise_for",
]

TOKEN_ENV = "QCHECK_TOKEN"
"""The environment variable a client takes its bearer token from when none is given."""

TextFormat = Literal["json", "html", "markdown", "csv", "junit", "ics", "oscal"]
"""The report formats sent as text (``xlsx`` comes as bytes)."""

View = Literal["full", "compact", "summary"]
"""The JSON forms of ``POST /v1/assessments``."""


class ServerError(QComplianceError):
    """The server could not be reached, refused the request, or failed."""

    def __init__(self, problems: Sequence[Problem] | Problem, status: int | None = None
                 ) -> None:
        super().__init__(problems)
        self.status = status


_ERRORS: dict[str, type[QComplianceError]] = {
    "parse-error": ParseError,
    "input-error": InputError,
    "checklist-error": ChecklistError,
    "usage-error": UsageError,
}


@attrs.frozen
class Call:
    """One request, built apart from sending it so the two clients share everything else."""

    method: Literal["GET", "POST"]
    path: str
    params: list[tuple[str, str]] = attrs.field(factory=list)
    content: bytes | None = None
    headers: dict[str, str] = attrs.field(factory=dict)

    @property
    def query(self) -> httpx.QueryParams:
        """The query parameters in order (a checklist may repeat)."""
        return httpx.QueryParams(tuple(self.params))


@attrs.frozen
class ClientOptions:
    """The options both clients take, as httpx takes them."""

    base_url: str
    token: str | None = None
    headers: Mapping[str, str] | None = None
    timeout: float | httpx.Timeout | None = 60.0
    verify: bool | str = True
    allow_plain_http: bool = False

    def auth_headers(self) -> dict[str, str]:
        """``headers`` with the bearer token (default: ``$QCHECK_TOKEN``); a UsageError when
        the token would cross the network unencrypted (plain ``http://`` to another machine)
        and ``allow_plain_http`` does not accept that risk."""
        token = self.token if self.token is not None else os.environ.get(TOKEN_ENV) or None
        out = dict(self.headers or {})
        if token:
            if (self.base_url.startswith("http://") and not is_loopback(self.base_url)
                    and not self.allow_plain_http):
                raise UsageError(Problem(
                    "the token would cross the network unencrypted: use an https:// URL, or "
                    "accept the risk (allow_plain_http=True; qcheck run --insecure-http)",
                    file=self.base_url, key="token"))
            out["Authorization"] = f"Bearer {token}"
        return out

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` (so an injected client's own base URL does not matter)."""
        return self.base_url.rstrip("/") + path


def _plain(value: object) -> object:
    """JSON's view of a profile value: dates as ISO text, as ``load_profile`` reads them."""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(type(value).__name__)


def _json(data: object, origin: str) -> bytes:
    """``data`` as JSON, or the library's error naming the value that cannot be sent."""
    try:
        return json.dumps(data, ensure_ascii=False, default=_plain,
                          allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise InputError(Problem(f"cannot be sent as JSON: {exc}", file=origin)) from None


def _part(envelope: dict[str, object], name: str, value: Input) -> None:
    """Put one document into the request envelope.

    As ``load_profile`` reads it: ``str`` or ``Path`` is a file (sent as its text, so the
    server hashes the same bytes), a mapping is data, a :class:`Document` is sent as the text
    it was parsed from (or its data); :func:`from_text` makes one of text you hold.
    """
    if isinstance(value, Document):
        if value.text is not None and value.fmt != "mapping":
            envelope[name] = value.text
            envelope[f"{name}_format"] = value.fmt
        else:
            envelope[name] = dict(value.data)
        envelope[f"{name}_name"] = value.origin
        return
    if isinstance(value, Mapping):
        envelope[name] = dict(value)
        return
    if isinstance(value, (str, Path)):
        path = Path(value)
        raw = read_bytes(path, str(value))
        try:
            envelope[name] = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(Problem(f"is not UTF-8 text (byte {exc.start})",
                                     file=str(value))) from None
        envelope[f"{name}_format"] = "json" if path.suffix.lower() == ".json" else "toml"
        envelope[f"{name}_name"] = str(value)
        return
    raise UsageError(Problem(f"must be a path, a mapping or a Document, not "
                             f"{type(value).__name__}", key=name))


def from_text(text: str, fmt: Literal["toml", "json"] = "toml", name: str = "<text>"
              ) -> Document:
    """A profile, tailoring or waivers document from text you hold (a ``str`` argument is a
    path, as for ``load_profile``). Its syntax is checked here: a ParseError names the line."""
    return parse_document(text.encode("utf-8"), name, fmt)


def _day(as_of: dt.date | str | None) -> str | None:
    if as_of is None or isinstance(as_of, str):
        return as_of
    if isinstance(as_of, dt.date):
        return as_of.isoformat()
    raise UsageError(Problem(f"must be a date or YYYY-MM-DD, not {type(as_of).__name__}",
                             key="as_of"))


def _params(as_of: dt.date | str | None, lang: Lang | None, checklists: Iterable[str],
            include_inapplicable: bool = False, **more: str | None) -> list[tuple[str, str]]:
    if isinstance(checklists, str):
        checklists = [checklists]  # one id, not its letters
    params: list[tuple[str, str]] = []
    day = _day(as_of)
    if day is not None:
        params.append(("as_of", day))
    if lang is not None:
        params.append(("lang", lang))
    params += [("checklist", str(c)) for c in checklists]
    if include_inapplicable:
        params.append(("include_inapplicable", "true"))
    params += [(k, v) for k, v in more.items() if v is not None]
    return params


def assess_call(profile: Input, *, as_of: dt.date | str | None, lang: Lang,
                checklists: Iterable[str], fmt: str, view: View | None,
                tailoring: Input | None, waivers: Input | None,
                include_inapplicable: bool = False, external_id: str | None = None,
                metadata: Mapping[str, str] | None = None) -> Call:
    """The request of one assessment (the envelope carries every document as sent, and the
    caller's id and labels, which come back in the assessment)."""
    envelope: dict[str, object] = {}
    if external_id is not None:
        envelope["external_id"] = external_id
    if metadata:
        envelope["metadata"] = dict(metadata)
    _part(envelope, "profile", profile)
    if tailoring is not None:
        _part(envelope, "tailoring", tailoring)
    if waivers is not None:
        _part(envelope, "waivers", waivers)
    return Call("POST", "/v1/assessments",
                _params(as_of, lang, checklists, include_inapplicable, format=fmt,
                        view=view if view != "full" else None),
                _json(envelope, "<profile>"), {"Content-Type": "application/json"})


def batch_call(profiles: Iterable[Mapping[str, object]], as_of: dt.date | str | None,
               checklists: Iterable[str], include_inapplicable: bool = False) -> Call:
    """The request of a batch: one JSON object a line (dates as ISO text)."""
    lines = []
    for n, profile in enumerate(profiles, 1):
        if not isinstance(profile, Mapping):
            raise UsageError(Problem(f"profile {n} must be a mapping, not "
                                     f"{type(profile).__name__}", key="profiles"))
        lines.append(_json(dict(profile), f"<profile {n}>") + b"\n")
    return Call("POST", "/v1/batch", _params(as_of, None, checklists, include_inapplicable),
                b"".join(lines), {"Content-Type": "application/x-ndjson",
                                  "Accept": "application/x-ndjson"})


def raise_for(response: httpx.Response) -> None:
    """Raise the library error a problem response carries."""
    if response.is_success:
        return
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = {}
    if not isinstance(body, dict):
        body = {}
    detail = str(body.get("detail") or body.get("title") or response.reason_phrase)
    problems = [
        Problem(str(p.get("message")), file=p.get("file"), line=p.get("line"),
                column=p.get("column"), key=p.get("key"))
        for p in body.get("problems") or () if isinstance(p, dict)
    ]
    slug = str(body.get("type", "")).rpartition(":")[2]
    kind = _ERRORS.get(slug)
    if kind is not None and problems:
        raise kind(problems)
    raise ServerError(problems or [Problem(f"HTTP {response.status_code}: {detail}",
                                           file=str(response.request.url))],
                      response.status_code)


def connect_error(base_url: str, exc: httpx.HTTPError) -> ServerError:
    """The library's error for a request that got no answer."""
    return ServerError(Problem(f"cannot reach the server: {exc}", file=base_url))


def row(line: str | bytes, url: str) -> Any:
    """One JSON Lines row of a batch response."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise ServerError(Problem(f"the server sent a row that is not JSON: {exc.msg}",
                                  file=url)) from None
