"""Load: 2,000 assessment requests over 16 concurrent connections to a real server, 0 errors.

Bounded in time: a fixed number of requests, each with a client timeout, against a server
whose own per-request limit answers 503 rather than hang. Throughput is measured by
bench/serve_load.py and recorded in docs/performance.md, never asserted here.
"""

from __future__ import annotations

import sys

import pytest
from serving import running_server

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from serve_load import hammer  # bench/ is not a package: found through sys.path

pytestmark = [pytest.mark.slow, pytest.mark.load]


def test_two_thousand_requests_over_sixteen_connections_without_error() -> None:
    """Every one of 2,000 requests is answered 200 with a summary row."""
    with running_server("--no-access-log", "--timeout", "60") as url:
        stats = hammer(url, requests=2000, connections=16, timeout=120)
    assert stats.requests == len(stats.latencies) == 2000
    assert stats.statuses == {200: 2000}
    assert stats.errors == 0
