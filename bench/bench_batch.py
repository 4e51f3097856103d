"""End-to-end throughput and peak memory of ``qcheck batch`` over JSON Lines.

Generates N synthetic companies from the bundled examples (each a copy of one example with
varied facts: booleans flipped, numbers scaled, enumerations and list members changed, facts
dropped, records trimmed, a new name), then runs, in a fresh process each time::

    qcheck batch companies.jsonl --summary summary.csv --as-of 2026-11-20 [--jobs J]

with every built-in checklist, and reports profiles per second (wall clock and per CPU-second of
the batch process and its workers) and the peak RSS of the batch process (``wait4``). The
companies are generated once per size and kept in ``bench/.data/`` (git-ignored) for reruns.

Run: ``.venv/bin/python bench/bench_batch.py [N ...] [--jobs J] [--profile]`` (default sizes
10000 100000). ``--profile`` runs the first size under cProfile in this process and prints the
top functions instead. Nothing here is asserted; the figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomllib

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / ".data"
AS_OF = "2026-11-20"
QCHECK = Path(sys.executable).with_name("qcheck")


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _examples() -> list[dict[str, Any]]:
    out = []
    for path in sorted((ROOT / "examples").glob("*.toml")):
        if path.name != "tailoring.toml":
            out.append(_plain(tomllib.loads(path.read_text(encoding="utf-8"))))
    return out


def _facts() -> dict[str, Any]:
    from qcompliance import load_checklists

    return dict(load_checklists().facts)


def _vary(value: Any, spec: Any, rng: random.Random) -> Any:
    """A plausible other value of the same fact (the same type, so the company still loads)."""
    kind = spec.type.value
    if isinstance(value, Mapping) and "value" in value:
        return {**value, "value": _vary(value["value"], spec, rng)}
    if kind == "bool":
        return not value if rng.random() < 0.3 else value
    if kind == "int" and isinstance(value, int):
        return max(0, int(value * rng.uniform(0.5, 1.5)))
    if kind == "number" and isinstance(value, (int, float)):
        return round(value * rng.uniform(0.5, 1.5), 2)
    if kind == "enum" and spec.values:
        return rng.choice(spec.values) if rng.random() < 0.3 else value
    if kind == "list" and isinstance(value, list):
        if spec.values and rng.random() < 0.3:
            return sorted(set(value) | {rng.choice(spec.values)})
        return value[: rng.randint(0, len(value))] if rng.random() < 0.2 else value
    if kind == "records" and isinstance(value, list):
        return value[: rng.randint(0, len(value))] if rng.random() < 0.3 else value
    return value


def synthetic(n: int, seed: int = 9) -> Path:
    """``n`` varied companies as JSON Lines (generated once per version of the examples and the
    facts dictionary, then reused)."""
    DATA.mkdir(exist_ok=True)
    digest = hashlib.sha256()
    for source in [*sorted((ROOT / "examples").glob("*.toml")), ROOT / "checklists/facts.toml"]:
        digest.update(source.read_bytes())
    path = DATA / f"companies-{n}-{digest.hexdigest()[:10]}.jsonl"
    if path.exists():
        return path
    rng = random.Random(seed)
    examples = _examples()
    facts = _facts()
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for i in range(n):
            base = examples[i % len(examples)]
            company: dict[str, Any] = {"id": f"s{i:07d}"}

            def walk(node: Mapping[str, Any], prefix: str, into: dict[str, Any]) -> None:
                for key, value in node.items():
                    dotted = prefix + key
                    spec = facts.get(dotted)
                    if spec is None:
                        if isinstance(value, Mapping):
                            into[key] = {}
                            walk(value, dotted + ".", into[key])
                        else:
                            into[key] = value
                    elif dotted in ("company.name", "company.credit_code"):
                        into[key] = value
                    elif rng.random() < 0.05:
                        continue  # a fact the supplier did not give
                    else:
                        into[key] = _vary(value, spec, rng)

            walk(base, "", company)
            company["company"]["name"] = f"{base['company']['name']}（{i}）"
            handle.write(json.dumps(company, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


def run_batch(source: Path, jobs: int) -> dict[str, float]:
    """One ``qcheck batch`` in a fresh process: wall time, CPU time, peak RSS."""
    summary = DATA / "summary.csv"
    command = [str(QCHECK), "batch", str(source), "--summary", str(summary), "--as-of", AS_OF,
               "--fail-on", "never"]
    if jobs > 1:
        command += ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"qcheck batch failed ({process.returncode}): "
                 f"{process.stderr.read().decode() if process.stderr else ''}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rows = sum(1 for _ in summary.open(encoding="utf-8")) - 1
    return {"rows": rows, "wall": wall, "cpu": max(cpu, usage.ru_utime + usage.ru_stime),
            "rss_mib": usage.ru_maxrss / 1024}


def profile(source: Path) -> None:
    """The batch under cProfile in this process: where the time goes."""
    from typer.testing import CliRunner

    from qcompliance.cli.main import app

    profiler = cProfile.Profile()
    profiler.enable()
    CliRunner().invoke(app, ["batch", str(source), "--summary", str(DATA / "summary.csv"),
                             "--as-of", AS_OF, "--fail-on", "never"])
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)


def main() -> None:
    """Generate, run, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if args.profile:
        profile(synthetic(args.sizes[0]))
        return
    cores = os.cpu_count()
    load = os.getloadavg()[0]
    print(f"# qcheck batch over JSON Lines, all built-in checklists, --jobs {args.jobs}; "
          f"{cores} cores, load average {load:.1f} at start (shared machine: figures are noisy)")
    print("| profiles | wall s | profiles/s (wall) | CPU s | profiles/s per CPU-second "
          "| peak RSS MiB |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        source = synthetic(n)
        result = run_batch(source, args.jobs)
        assert result["rows"] == n, result
        # Pool workers are children of the forkserver, which is not reaped with the batch:
        # their CPU time is invisible here, so with --jobs only wall-clock figures are real.
        cpu = (f"{result['cpu']:.1f} | {n / result['cpu']:,.0f}" if args.jobs == 1
               else "— | —")
        print(f"| {n:,} | {result['wall']:.1f} | {n / result['wall']:,.0f} | {cpu} | "
              f"{result['rss_mib']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
