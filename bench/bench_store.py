"""The workspace's cost: assessments stored per second, and the history queries at
100 companies × 20 assessments.

Run: ``.venv/bin/python bench/bench_store.py [URL]`` (default: a new SQLite file in a
temporary folder; give ``postgresql://…`` of an empty database to measure PostgreSQL).
Wall time (a database waits on the disk), best of the runs stated; docs/performance.md keeps
the figures.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import attrs

from qcompliance import evaluate, load_checklists, load_profile
from qcompliance.china.uscc import uscc_check_character
from qcompliance.store import Store
from qcompliance.store.history import company_history

ROOT = Path(__file__).resolve().parents[1]
COMPANIES, ASSESSMENTS = 100, 20


def code(n: int) -> str:
    """A valid credit code for company number ``n``."""
    first17 = f"9135010{n:010d}"
    return first17 + uscc_check_character(first17)


def main() -> None:
    """Fill a workspace and time it."""
    with tempfile.TemporaryDirectory() as folder:
        url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{Path(folder) / 'b.sqlite3'}"
        checklists = load_checklists()
        profiles = [load_profile(p, checklists.facts) for p in sorted(
            (ROOT / "examples").glob("*.toml")) if p.name != "tailoring.toml"]
        days = [dt.date(2025, 1, 1) + dt.timedelta(days=30 * i) for i in range(ASSESSMENTS)]
        # Evaluate once per profile and day; storing is what is measured.
        made = {(i, d): evaluate(p, checklists, d) for i, p in enumerate(profiles)
                for d in days}
        store = Store(url)
        text = (ROOT / "examples" / "small-food-producer.toml").read_text(encoding="utf-8")
        start = time.perf_counter()
        stored = 0
        for round_, day in enumerate(days):
            for n in range(COMPANIES):
                uscc = code(n)
                assessment = attrs.evolve(made[(n % len(profiles), day)],
                                          profile_credit_code=uscc)
                with store.write() as c:
                    version = store.put_profile(uscc, text + f"# {round_}\n", "toml",
                                                connection=c)
                    store.add_assessment(uscc, assessment, checklists, version, connection=c)
                stored += 1
        elapsed = time.perf_counter() - start
        print(f"{store.dialect}: {stored} assessments (with profile version and plan) stored "
              f"in {elapsed:.1f} s: {stored / elapsed:.0f}/s")

        def best(fn: object, runs: int = 5) -> float:
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                fn()  # type: ignore[operator]
                times.append(time.perf_counter() - t0)
            return min(times)

        overview = best(store.companies)
        per_company = statistics.median(best(lambda n=n: store.assessments(code(n)), 3)
                                        for n in range(0, COMPANIES, 10))
        plan = statistics.median(best(lambda n=n: store.plan(code(n)), 3)
                                 for n in range(0, COMPANIES, 10))
        trend = best(lambda: company_history(store, code(0), checklists), 3)
        print(f"GET /v1/companies (100 companies, latest scores, overdue items): "
              f"{overview * 1000:.1f} ms")
        print(f"one company's 20 assessments (history rows): {per_company * 1000:.1f} ms")
        print(f"one company's plan: {plan * 1000:.1f} ms")
        print(f"qcheck history (20 documents read back, 19 diffs): {trend * 1000:.0f} ms")
        store.close()


if __name__ == "__main__":
    main()
