"""Time every file of the bad-input corpus through the library, and a 10 MB profile with
10,000 errors; print the slowest. The goal is under one second per corpus file and "within
seconds" for the large file; a benchmark, not a test (timings are never asserted).

Run: ``.venv/bin/python bench/bench_bad_inputs.py``
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qcompliance.errors import QComplianceError  # noqa: E402
from qcompliance.loading.load import load_profile  # noqa: E402
from tests.test_bad_inputs import CASES, HERE, _mini, library  # noqa: E402


def main() -> None:
    """Print the five slowest corpus files and the large-file timing."""
    os.chdir(HERE)
    library(CASES[0])  # warm the checklist cache
    timings = []
    for rel in CASES:
        start = time.perf_counter()
        library(rel)
        timings.append((time.perf_counter() - start, rel))
    timings.sort(reverse=True)
    print(f"{len(CASES)} files, slowest:")
    for seconds, rel in timings[:5]:
        print(f"  {seconds:6.3f} s  {rel}")
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "many.toml"
        lines = ['schema = "qcompliance/profile/v1"', "[company]"]
        lines += [f"unknown_{i} = '{'x' * 900}'" for i in range(10_000)]
        big.write_text("\n".join(lines) + "\n", encoding="utf-8")
        start = time.perf_counter()
        try:
            load_profile(big, _mini().facts)
            message = "loaded"
        except QComplianceError as exc:
            message = str(exc)
        print(f"10,000 errors in {big.stat().st_size / 1e6:.1f} MB: "
              f"{time.perf_counter() - start:.2f} s ({message[-30:]})")


if __name__ == "__main__":
    main()
