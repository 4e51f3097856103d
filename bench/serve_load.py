"""Load on ``qcheck serve`` over loopback: latency percentiles and requests per second.

Sends N assessment requests (the small food producer, summary view, every built-in checklist)
over C concurrent keep-alive connections and reports p50, p99 and requests/s, for each
``--workers`` value given. The server runs on 127.0.0.1; client and server share the machine,
so the numbers are for comparing settings on one machine, not absolute capacity.

Run: ``.venv/bin/python bench/serve_load.py [N] [C] [WORKERS ...]`` (default 2000 16 1 2).
tests/test_load.py uses :func:`hammer` to check that 2,000 requests give 0 errors.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

import attrs
import httpx

ROOT = Path(__file__).resolve().parents[1]
PROFILE = (ROOT / "examples" / "small-food-producer.toml").read_bytes()


@attrs.frozen
class Stats:
    """What one load run measured."""

    requests: int
    errors: int
    seconds: float
    latencies: tuple[float, ...]
    statuses: dict[int, int]

    def percentile(self, p: float) -> float:
        """Latency at percentile ``p`` (0-100), in milliseconds."""
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000

    @property
    def rate(self) -> float:
        """Requests per second over the whole run."""
        return self.requests / self.seconds

    def line(self) -> str:
        """One line for the table in docs/performance.md."""
        return (f"{self.requests} requests, {self.errors} errors, {self.rate:.1f} req/s, "
                f"p50 {self.percentile(50):.1f} ms, p99 {self.percentile(99):.1f} ms, "
                f"mean {statistics.fmean(self.latencies) * 1000:.1f} ms")


async def _hammer(url: str, requests: int, connections: int, timeout: float) -> Stats:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    queue = iter(range(requests))
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) as http:

        async def worker() -> None:
            nonlocal errors
            for _ in queue:
                start = time.perf_counter()
                try:
                    response = await http.post(
                        "/v1/assessments", params={"view": "summary", "as_of": "2026-11-20"},
                        content=PROFILE, headers={"Content-Type": "application/toml"})
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                    ok = response.status_code == 200 and b'"score"' in response.content
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - start)
                errors += not ok

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        seconds = time.perf_counter() - began
    return Stats(requests, errors, seconds, tuple(latencies), statuses)


def hammer(url: str, requests: int = 2000, connections: int = 16, timeout: float = 120.0
           ) -> Stats:
    """Send ``requests`` assessment requests over ``connections`` connections; the stats."""
    return asyncio.run(_hammer(url, requests, connections, timeout))


def main(argv: list[str]) -> None:
    """Start a server for each workers value and print one line of stats for each."""
    sys.path.insert(0, str(ROOT / "tests"))
    from serving import running_server

    requests = int(argv[0]) if argv else 2000
    connections = int(argv[1]) if len(argv) > 1 else 16
    for workers in [int(w) for w in argv[2:]] or [1, 2]:
        with running_server("--workers", str(workers), "--no-access-log",
                            "--concurrency", "8") as url:
            hammer(url, 100, connections)  # warm up every worker
            stats = hammer(url, requests, connections)
        print(f"workers={workers} connections={connections}: {stats.line()}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
