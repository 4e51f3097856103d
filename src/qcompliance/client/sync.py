"""The synchronous client of ``qcheck serve``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any, Literal, overload

import httpx

from qcompliance.batch.rows import AssessmentSummary, BatchRow, ChecklistEntry
from qcompliance.client.calls import (
    Call,
    ClientOptions,
    TextFormat,
    assess_call,
    batch_call,
    connect_error,
    raise_for,
    row,
)
from qcompliance.errors import Problem, UsageError
from qcompliance.loading.load import Input
from qcompliance.model import Assessment, Lang
from qcompliance.reports.json import assessment_from_json

__all__ = ["Client"]


class Client:
    """A synchronous client of one server, with httpx's options.

    ``token`` defaults to the ``QCHECK_TOKEN`` environment variable; ``headers`` go with every
    request; ``timeout`` is seconds or an ``httpx.Timeout``; ``verify`` is httpx's (a CA bundle
    path, or False). ``transport`` replaces the network (``httpx.MockTransport``,
    ``httpx.WSGITransport``); ``http`` is an ``httpx.Client`` of your own (its limits, proxies,
    event hooks), which the client uses and does not close.

    Profiles, tailoring and waivers are what :func:`qcompliance.load_profile` takes: a path
    (``str`` or ``Path``) to a TOML or JSON file, a mapping (dates allowed), or a
    :class:`~qcompliance.loading.load.Document` (for text you hold:
    :func:`~qcompliance.client.from_text`).
    """

    def __init__(self, base_url: str, *, token: str | None = None,
                 headers: Mapping[str, str] | None = None,
                 timeout: float | httpx.Timeout | None = 60.0, verify: bool | str = True,
                 allow_plain_http: bool = False,
                 transport: httpx.BaseTransport | None = None,
                 http: httpx.Client | None = None) -> None:
        self.options = ClientOptions(base_url.rstrip("/"), token, headers, timeout, verify,
                                     allow_plain_http)
        self.base_url = self.options.base_url
        if http is not None and transport is not None:
            raise UsageError(Problem("give transport or http, not both", key="transport"))
        self._owned = http is None
        self._http = http if http is not None else httpx.Client(
            timeout=timeout, verify=verify, transport=transport)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections (not those of an ``http`` client given to it)."""
        if self._owned:
            self._http.close()

    def _send(self, call: Call) -> httpx.Response:
        try:
            response = self._http.request(
                call.method, self.options.url(call.path), params=call.query,
                content=call.content, headers={**self.options.auth_headers(), **call.headers})
        except httpx.HTTPError as exc:
            raise connect_error(self.base_url, exc) from None
        raise_for(response)
        return response

    def assess(self, profile: Input, *, as_of: dt.date | str | None = None,
               lang: Lang = "zh", checklists: Iterable[str] = (),
               tailoring: Input | None = None, waivers: Input | None = None,
               include_inapplicable: bool = False, external_id: str | None = None,
               metadata: Mapping[str, str] | None = None) -> Assessment:
        """Evaluate ``profile`` on the server; the full assessment.

        Checklists that do not apply are left out unless ``include_inapplicable``."""
        call = assess_call(profile, as_of=as_of, lang=lang, checklists=checklists, fmt="json",
                           view=None, tailoring=tailoring, waivers=waivers,
                           include_inapplicable=include_inapplicable,
                           external_id=external_id, metadata=metadata)
        return assessment_from_json(self._send(call).text, origin=self.base_url)

    def compact(self, profile: Input, *, as_of: dt.date | str | None = None,
                checklists: Iterable[str] = (), tailoring: Input | None = None,
                waivers: Input | None = None, external_id: str | None = None,
                metadata: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Evaluate ``profile``; the compact assessment document (to store; schema
        ``assessment-compact``), as plain data."""
        call = assess_call(profile, as_of=as_of, lang="zh", checklists=checklists, fmt="json",
                           view="compact", tailoring=tailoring, waivers=waivers,
                           external_id=external_id, metadata=metadata)
        data: dict[str, Any] = self._send(call).json()
        return data

    def summary(self, profile: Input, *, as_of: dt.date | str | None = None,
                checklists: Iterable[str] = (), tailoring: Input | None = None,
                waivers: Input | None = None, external_id: str | None = None,
                metadata: Mapping[str, str] | None = None) -> AssessmentSummary:
        """Evaluate ``profile``; its summary row."""
        call = assess_call(profile, as_of=as_of, lang="zh", checklists=checklists, fmt="json",
                           view="summary", tailoring=tailoring, waivers=waivers,
                           external_id=external_id, metadata=metadata)
        data: AssessmentSummary = self._send(call).json()
        return data

    @overload
    def report(self, profile: Input, fmt: Literal["xlsx"], *,
               as_of: dt.date | str | None = None, lang: Lang = "zh",
               checklists: Iterable[str] = (), tailoring: Input | None = None,
               waivers: Input | None = None) -> bytes: ...
    @overload
    def report(self, profile: Input, fmt: TextFormat, *, as_of: dt.date | str | None = None,
               lang: Lang = "zh", checklists: Iterable[str] = (),
               tailoring: Input | None = None, waivers: Input | None = None) -> str: ...
    def report(self, profile: Input, fmt: str, *, as_of: dt.date | str | None = None,
               lang: Lang = "zh", checklists: Iterable[str] = (),
               tailoring: Input | None = None, waivers: Input | None = None
               ) -> str | bytes:
        """Evaluate ``profile``; the report in ``fmt`` (bytes for xlsx, text otherwise)."""
        call = assess_call(profile, as_of=as_of, lang=lang, checklists=checklists, fmt=fmt,
                           view=None, tailoring=tailoring, waivers=waivers)
        response = self._send(call)
        return response.content if fmt == "xlsx" else response.text

    def batch(self, profiles: Iterable[Mapping[str, object]], *,
              as_of: dt.date | str | None = None, checklists: Iterable[str] = (),
              include_inapplicable: bool = False) -> Iterator[BatchRow]:
        """Evaluate many profiles (mappings; an ``id`` member names each row); one row each,
        in order, as they stream in. A profile that fails gives a row with ``error``."""
        call = batch_call(profiles, as_of, checklists, include_inapplicable)
        url = self.options.url(call.path)
        try:
            with self._http.stream(call.method, url, params=call.query, content=call.content,
                                   headers={**self.options.auth_headers(), **call.headers}
                                   ) as response:
                if not response.is_success:
                    response.read()
                    raise_for(response)
                for line in response.iter_lines():
                    if line.strip():
                        yield row(line, url)
        except httpx.HTTPError as exc:
            raise connect_error(self.base_url, exc) from None

    def _get(self, path: str, params: list[tuple[str, str]] | None = None) -> Any:
        return self._send(Call("GET", path, params or [])).json()

    def checklists(self) -> list[ChecklistEntry]:
        """The checklists the server evaluates with (id, version, title, items, sha256)."""
        data: list[ChecklistEntry] = self._get("/v1/checklists")
        return data

    def checklist(self, checklist_id: str) -> dict[str, Any]:
        """One checklist in full (as its file holds it)."""
        data: dict[str, Any] = self._get(f"/v1/checklists/{checklist_id}")
        return data

    def facts(self, checklists: Iterable[str] = ()) -> list[dict[str, Any]]:
        """The facts dictionary (or the facts these checklists read)."""
        data: list[dict[str, Any]] = self._get("/v1/facts",
                                                [("checklist", c) for c in checklists])
        return data

    def schema(self, kind: str) -> dict[str, Any]:
        """The JSON Schema of a document format."""
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
