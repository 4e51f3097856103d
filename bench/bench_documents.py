"""Per-profile cost with every built-in checklist: evaluate, and evaluate + each JSON form.

Run: ``.venv/bin/python bench/bench_documents.py [N]`` (part of ``make bench``). Prints
profiles per second of CPU time (one core) and the size of each document for the examples.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path

from qcompliance import Profile, evaluate, load_checklists, load_profile
from qcompliance.reports.json import assessment_to_json

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 20)


def rate(n: int, profiles: list[Profile], run: Callable[[Profile], object]) -> float:
    """Profiles per CPU second over n runs (best of three)."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for i in range(n):
            run(profiles[i % len(profiles)])
        best = min(best, time.process_time() - start)
    return n / best


def main(n: int = 200) -> None:
    """Print profiles/s for each pipeline and the document sizes."""
    checklists = load_checklists()
    examples = [p for p in sorted((ROOT / "examples").glob("*.toml"))
                if p.name != "tailoring.toml"]
    profiles = [load_profile(p, checklists.facts) for p in examples]
    items = sum(len(c.items) for c in checklists.compiled)
    print(f"{len(checklists)} built-in checklists, {items} items; {len(profiles)} example "
          f"profiles; {n} evaluations each; CPU time, one core")
    pipelines: list[tuple[str, Callable[[Profile], object]]] = [
        ("evaluate", lambda p: evaluate(p, checklists, AS_OF)),
        ("evaluate + results read", lambda p: evaluate(p, checklists, AS_OF).results),
        ("evaluate + every explanation read",
         lambda p: [r.why for r in evaluate(p, checklists, AS_OF).results]),
        ("evaluate + compact JSON",
         lambda p: assessment_to_json(evaluate(p, checklists, AS_OF), "compact", checklists)),
        ("evaluate + full JSON", lambda p: assessment_to_json(evaluate(p, checklists, AS_OF))),
    ]
    for name, run in pipelines:
        print(f"{name:36} {rate(n, profiles, run):9,.0f} profiles/s")
    for path, profile in zip(examples, profiles, strict=True):
        assessment = evaluate(profile, checklists, AS_OF, skip_inapplicable=True)
        compact = len(assessment_to_json(assessment, "compact", checklists).encode())
        full = len(assessment_to_json(assessment).encode())
        print(f"{path.name:36} compact {compact / 1024:6.1f} KiB   full {full / 1024:7.1f} KiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
