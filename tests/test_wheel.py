"""The built wheel works on its own: checklists ship inside it and are found when installed."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def test_wheel_in_a_fresh_venv_runs_the_example(tmp_path: Path) -> None:
    """Build a wheel, install it in a new venv, run qcheck outside the source tree."""
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                    "--disable-pip-version-check", "-w", str(dist), str(ROOT)],
                   check=True, cwd=tmp_path)
    wheel = next(dist.glob("qcompliance-*.whl"))
    env_dir = tmp_path / "venv"
    # No pip inside the new venv (ensurepip costs a third of this test): this pip installs
    # the wheel and its dependencies into it.
    venv.create(env_dir, with_pip=False)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(bin_dir / "python"), "install",
                    "--quiet", "--disable-pip-version-check", str(wheel)],
                   check=True, cwd=tmp_path)
    where = subprocess.run(
        [str(bin_dir / "python"), "-c",
         "from qcompliance.loading.load import builtin_dir, builtin_paths; "
         "print(builtin_dir()); print(len(builtin_paths()))"],
        check=True, cwd=tmp_path, capture_output=True, text=True).stdout.split()
    assert "site-packages" in where[0]
    assert int(where[1]) >= 15
    example = tmp_path / "profile.toml"
    example.write_bytes((ROOT / "examples" / "small-food-producer.toml").read_bytes())
    result = subprocess.run(
        [str(bin_dir / "qcheck"), "run", str(example), "--as-of", "2026-11-20",
         "--format", "json", "--fail-on", "never"],
        cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert '"schema": "qcompliance/assessment/v1"' in result.stdout
