"""``POST /v1/batch`` on a real ``qcheck serve``: every row keeps the caller's ``id``,
``external_id`` and ``metadata`` and the shape of every other row, whether the profile was
evaluated, did not load, was not JSON, or was left when the batch ran out of time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import jsonschema
import pytest
import tomllib
from serving import running_server

from qcompliance.authoring.schema import schema

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = json.loads(json.dumps(tomllib.loads(
    (ROOT / "examples" / "small-food-producer.toml").read_text(encoding="utf-8")), default=str))
FIELDS = ("id", "external_id", "metadata")
NDJSON = {"Content-Type": "application/x-ndjson"}
PROFILES = [
    {**EXAMPLE, "id": "A-1", "external_id": "SUP-0042", "metadata": {"buyer": "张三"}},
    {"id": "B-2", "external_id": "SUP-7", "metadata": {"buyer": "李四"},
     "company": {"employees": "many"}},
    {**EXAMPLE, "external_id": "SUP-9"},
]


def _lines(*extra: bytes) -> bytes:
    return b"".join(json.dumps(p, ensure_ascii=False).encode("utf-8") + b"\n"
                    for p in PROFILES) + b"".join(extra)


def _same_shape(rows: list[dict[str, object]]) -> None:
    validator = jsonschema.Draft202012Validator(schema("batch-row"))
    for row in rows:
        validator.validate(row)
    assert len({frozenset(r) for r in rows}) == 1


@pytest.fixture(scope="module")
def live() -> Iterator[str]:
    """A server with the default limits."""
    with running_server("--no-access-log") as url:
        yield url


def test_rows_keep_the_callers_members(live: str) -> None:
    """JSON Lines in: an evaluated row, a row whose facts do not load, one with an external
    id only, a line that is not JSON and a line whose metadata is malformed, each with the
    caller's members it gave; the JSON form gives the same rows."""
    body = _lines(b"{not json\n",
                  json.dumps({"id": "E-5", "external_id": "SUP-5", "metadata": ["x"]}).encode()
                  + b"\n")
    response = httpx.post(f"{live}/v1/batch?as_of=2026-11-20", content=body, headers=NDJSON,
                          timeout=120)
    assert response.status_code == 200, response.text
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert [tuple(r[k] for k in FIELDS) for r in rows] == [
        ("A-1", "SUP-0042", {"buyer": "张三"}), ("B-2", "SUP-7", {"buyer": "李四"}),
        ("line 3", "SUP-9", {}), ("line 4", None, {}), ("E-5", "SUP-5", {})]
    assert rows[0]["error"] is None
    assert rows[0]["score"] is not None
    assert rows[1]["error_key"] == "company.employees"
    assert rows[3]["error"].startswith("invalid JSON")
    assert rows[4]["error_key"] == "metadata"
    _same_shape(rows)
    as_json = httpx.post(f"{live}/v1/batch?as_of=2026-11-20", json={"profiles": PROFILES},
                         timeout=120)
    assert as_json.status_code == 200, as_json.text
    assert as_json.json() == rows[:3]


def test_malformed_members_in_the_json_form_are_a_400(live: str) -> None:
    """In the JSON form the body has a schema: metadata that is not an object of text is a
    400 naming where, and nothing is evaluated."""
    body = {"profiles": [PROFILES[0], {**EXAMPLE, "metadata": {"n": 1}}]}
    response = httpx.post(f"{live}/v1/batch", json=body, timeout=120)
    assert response.status_code == 400
    assert response.json()["problems"][0]["key"] == "profiles.1.metadata.n"


def test_rows_left_by_the_batch_time_limit_keep_them() -> None:
    """With no time for the batch, every profile gives a time-limit row under the caller's
    id, external id and labels, of the shape of every other row."""
    with running_server("--no-access-log", "--batch-timeout", "0") as url:
        response = httpx.post(f"{url}/v1/batch", content=_lines(b"{not json\n"),
                              headers=NDJSON, timeout=120)
    assert response.status_code == 200, response.text
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert [tuple(r[k] for k in FIELDS) for r in rows] == [
        ("A-1", "SUP-0042", {"buyer": "张三"}), ("B-2", "SUP-7", {"buyer": "李四"}),
        ("line 3", "SUP-9", {}), ("line 4", None, {})]
    assert all("batch time limit" in r["error"] for r in rows)
    assert all(r["score"] is None for r in rows)
    _same_shape(rows)
