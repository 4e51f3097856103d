"""A typed client of the ``qcheck serve`` HTTP API, synchronous and asynchronous, on httpx.

::

    from qcompliance.client import Client

    with Client("http://127.0.0.1:8000") as client:
        assessment = client.assess(Path("profile.toml"), as_of=datetime.date(2026, 11, 20))
        html = client.report(Path("profile.toml"), "html")

Errors come back as the library's own: a profile that does not fit raises
:class:`~qcompliance.errors.InputError` with the server's problems (file, line, key, message);
anything else the server or the network refuses raises :class:`ServerError`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
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
from qcompliance.model import Assessment, Lang
from qcompliance.reports.json import assessment_from_json

__all__ = ["AsyncClient", "Client", "Document", "ServerError"]

Document = Path | str | Mapping[str, object]
"""A profile, tailoring or waivers document: a file path, TOML text, or a mapping."""

TOKEN_ENV = "QCHECK_TOKEN"


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
class _Call:
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


def _part(envelope: dict[str, object], name: str, value: Document) -> None:
    """Put one document into the request envelope: its text, hashed by the server as sent."""
    if isinstance(value, Mapping):
        envelope[name] = dict(value)
        return
    if isinstance(value, Path):
        try:
            raw = value.read_bytes()
        except OSError as exc:
            raise InputError(Problem(f"cannot be read: {exc.strerror}",
                                     file=str(value))) from None
        try:
            envelope[name] = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(Problem(f"is not UTF-8 text (byte {exc.start})",
                                     file=str(value))) from None
        envelope[f"{name}_format"] = "json" if value.suffix.lower() == ".json" else "toml"
        envelope[f"{name}_name"] = str(value)
        return
    envelope[name] = value
    envelope[f"{name}_format"] = "toml"


def _params(as_of: dt.date | str | None, lang: Lang | None, checklists: Iterable[str],
            include_inapplicable: bool = False, **more: str | None) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = []
    if as_of is not None:
        params.append(("as_of", as_of if isinstance(as_of, str) else as_of.isoformat()))
    if lang is not None:
        params.append(("lang", lang))
    params += [("checklist", c) for c in checklists]
    if include_inapplicable:
        params.append(("include_inapplicable", "true"))
    params += [(k, v) for k, v in more.items() if v is not None]
    return params


def _assess_call(profile: Document, *, as_of: dt.date | str | None, lang: Lang,
                 checklists: Iterable[str], fmt: str, view: str | None,
                 tailoring: Document | None, waivers: Document | None,
                 include_inapplicable: bool = False) -> _Call:
    envelope: dict[str, object] = {}
    _part(envelope, "profile", profile)
    if tailoring is not None:
        _part(envelope, "tailoring", tailoring)
    if waivers is not None:
        _part(envelope, "waivers", waivers)
    return _Call("POST", "/v1/assessments",
                 _params(as_of, lang, checklists, include_inapplicable, format=fmt, view=view),
                 json.dumps(envelope, ensure_ascii=False).encode("utf-8"),
                 {"Content-Type": "application/json"})


def _batch_call(profiles: Iterable[Mapping[str, object]], as_of: dt.date | str | None,
                checklists: Iterable[str]) -> _Call:
    body = b"".join(json.dumps(p, ensure_ascii=False, default=str).encode("utf-8") + b"\n"
                    for p in profiles)
    return _Call("POST", "/v1/batch", _params(as_of, None, checklists), body,
                 {"Content-Type": "application/x-ndjson"})


def _raise_for(response: httpx.Response) -> None:
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


def _connect_error(base_url: str, exc: httpx.HTTPError) -> ServerError:
    return ServerError(Problem(f"cannot reach the server: {exc}", file=base_url))


def _token(token: str | None) -> dict[str, str]:
    token = token if token is not None else os.environ.get(TOKEN_ENV) or None
    return {"Authorization": f"Bearer {token}"} if token else {}


class Client:
    """A synchronous client of one server.

    ``token`` defaults to the ``QCHECK_TOKEN`` environment variable; ``transport`` replaces
    the network (an ``httpx.MockTransport`` or ``httpx.ASGITransport``, say).
    """

    def __init__(self, base_url: str, *, timeout: float = 60.0, token: str | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout,
                                  headers=_token(token), transport=transport)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def _send(self, call: _Call) -> httpx.Response:
        try:
            response = self._http.request(call.method, call.path, params=call.query,
                                          content=call.content, headers=call.headers)
        except httpx.HTTPError as exc:
            raise _connect_error(self.base_url, exc) from None
        _raise_for(response)
        return response

    def assess(self, profile: Document, *, as_of: dt.date | str | None = None,
               lang: Lang = "zh", checklists: Iterable[str] = (),
               tailoring: Document | None = None, waivers: Document | None = None,
               include_inapplicable: bool = False) -> Assessment:
        """Evaluate ``profile`` on the server; the full assessment.

        Checklists that do not apply are left out unless ``include_inapplicable``."""
        call = _assess_call(profile, as_of=as_of, lang=lang, checklists=checklists,
                            fmt="json", view=None, tailoring=tailoring, waivers=waivers,
                            include_inapplicable=include_inapplicable)
        return assessment_from_json(self._send(call).text, origin=self.base_url)

    def summary(self, profile: Document, *, as_of: dt.date | str | None = None,
                checklists: Iterable[str] = ()) -> dict[str, Any]:
        """Evaluate ``profile``; the summary row."""
        call = _assess_call(profile, as_of=as_of, lang="zh", checklists=checklists,
                            fmt="json", view="summary", tailoring=None, waivers=None)
        data: dict[str, Any] = self._send(call).json()
        return data

    def report(self, profile: Document, fmt: str, *, as_of: dt.date | str | None = None,
               lang: Lang = "zh", checklists: Iterable[str] = (),
               tailoring: Document | None = None, waivers: Document | None = None
               ) -> str | bytes:
        """Evaluate ``profile``; the report in ``fmt`` (bytes for xlsx, text otherwise)."""
        call = _assess_call(profile, as_of=as_of, lang=lang, checklists=checklists, fmt=fmt,
                            view=None, tailoring=tailoring, waivers=waivers)
        response = self._send(call)
        return response.content if fmt == "xlsx" else response.text

    def batch(self, profiles: Iterable[Mapping[str, object]], *,
              as_of: dt.date | str | None = None, checklists: Iterable[str] = ()
              ) -> Iterator[dict[str, Any]]:
        """Evaluate many profiles; one summary row (or error row) each, as they stream in."""
        call = _batch_call(profiles, as_of, checklists)
        try:
            with self._http.stream(call.method, call.path, params=call.query,
                                   content=call.content, headers=call.headers) as response:
                if not response.is_success:
                    response.read()
                    _raise_for(response)
                for line in response.iter_lines():
                    if line.strip():
                        yield json.loads(line)
        except httpx.HTTPError as exc:
            raise _connect_error(self.base_url, exc) from None

    def _get(self, path: str, params: list[tuple[str, str]] | None = None) -> Any:
        return self._send(_Call("GET", path, params or [])).json()

    def checklists(self) -> list[dict[str, Any]]:
        """The checklists the server evaluates with (id, version, title, items, sha256)."""
        data: list[dict[str, Any]] = self._get("/v1/checklists")
        return data

    def checklist(self, checklist_id: str) -> dict[str, Any]:
        """One checklist in full."""
        data: dict[str, Any] = self._get(f"/v1/checklists/{checklist_id}")
        return data

    def facts(self, checklists: Iterable[str] = ()) -> list[dict[str, Any]]:
        """The facts dictionary (or the facts these checklists read)."""
        data: list[dict[str, Any]] = self._get("/v1/facts",
                                                [("checklist", c) for c in checklists])
        return data

    def schema(self, kind: str) -> dict[str, Any]:
        """The JSON Schema of a file format."""
        data: dict[str, Any] = self._get(f"/v1/schemas/{kind}")
        return data

    def health(self) -> dict[str, Any]:
        """``/healthz``."""
        data: dict[str, Any] = self._get("/healthz")
        return data

    def ready(self) -> dict[str, Any]:
        """``/readyz``."""
        data: dict[str, Any] = self._get("/readyz")
        return data


class AsyncClient:
    """The asynchronous twin of :class:`Client` (same methods, awaited)."""

    def __init__(self, base_url: str, *, timeout: float = 60.0, token: str | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout,
                                       headers=_token(token), transport=transport)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def _send(self, call: _Call) -> httpx.Response:
        try:
            response = await self._http.request(call.method, call.path, params=call.query,
                                                content=call.content, headers=call.headers)
        except httpx.HTTPError as exc:
            raise _connect_error(self.base_url, exc) from None
        _raise_for(response)
        return response

    async def assess(self, profile: Document, *, as_of: dt.date | str | None = None,
                     lang: Lang = "zh", checklists: Iterable[str] = (),
                     tailoring: Document | None = None, waivers: Document | None = None,
                     include_inapplicable: bool = False) -> Assessment:
        """Evaluate ``profile`` on the server; the full assessment.

        Checklists that do not apply are left out unless ``include_inapplicable``."""
        call = _assess_call(profile, as_of=as_of, lang=lang, checklists=checklists,
                            fmt="json", view=None, tailoring=tailoring, waivers=waivers,
                            include_inapplicable=include_inapplicable)
        return assessment_from_json((await self._send(call)).text, origin=self.base_url)

    async def summary(self, profile: Document, *, as_of: dt.date | str | None = None,
                      checklists: Iterable[str] = ()) -> dict[str, Any]:
        """Evaluate ``profile``; the summary row."""
        call = _assess_call(profile, as_of=as_of, lang="zh", checklists=checklists,
                            fmt="json", view="summary", tailoring=None, waivers=None)
        data: dict[str, Any] = (await self._send(call)).json()
        return data

    async def report(self, profile: Document, fmt: str, *, as_of: dt.date | str | None = None,
                     lang: Lang = "zh", checklists: Iterable[str] = (),
                     tailoring: Document | None = None, waivers: Document | None = None
                     ) -> str | bytes:
        """Evaluate ``profile``; the report in ``fmt`` (bytes for xlsx, text otherwise)."""
        call = _assess_call(profile, as_of=as_of, lang=lang, checklists=checklists, fmt=fmt,
                            view=None, tailoring=tailoring, waivers=waivers)
        response = await self._send(call)
        return response.content if fmt == "xlsx" else response.text

    async def batch(self, profiles: Iterable[Mapping[str, object]], *,
                    as_of: dt.date | str | None = None, checklists: Iterable[str] = ()
                    ) -> AsyncIterator[dict[str, Any]]:
        """Evaluate many profiles; one summary row (or error row) each, as they stream in."""
        call = _batch_call(profiles, as_of, checklists)
        try:
            async with self._http.stream(call.method, call.path, params=call.query,
                                         content=call.content, headers=call.headers
                                         ) as response:
                if not response.is_success:
                    await response.aread()
                    _raise_for(response)
                async for line in response.aiter_lines():
                    if line.strip():
                        yield json.loads(line)
        except httpx.HTTPError as exc:
            raise _connect_error(self.base_url, exc) from None

    async def _get(self, path: str, params: list[tuple[str, str]] | None = None) -> Any:
        return (await self._send(_Call("GET", path, params or []))).json()

    async def checklists(self) -> list[dict[str, Any]]:
        """The checklists the server evaluates with (id, version, title, items, sha256)."""
        data: list[dict[str, Any]] = await self._get("/v1/checklists")
        return data

    async def checklist(self, checklist_id: str) -> dict[str, Any]:
        """One checklist in full."""
        data: dict[str, Any] = await self._get(f"/v1/checklists/{checklist_id}")
        return data

    async def facts(self, checklists: Iterable[str] = ()) -> list[dict[str, Any]]:
        """The facts dictionary (or the facts these checklists read)."""
        data: list[dict[str, Any]] = await self._get(
            "/v1/facts", [("checklist", c) for c in checklists])
        return data

    async def schema(self, kind: str) -> dict[str, Any]:
        """The JSON Schema of a file format."""
        data: dict[str, Any] = await self._get(f"/v1/schemas/{kind}")
        return data

    async def health(self) -> dict[str, Any]:
        """``/healthz``."""
        data: dict[str, Any] = await self._get("/healthz")
        return data

    async def ready(self) -> dict[str, Any]:
        """``/readyz``."""
        data: dict[str, Any] = await self._get("/readyz")
        return data
