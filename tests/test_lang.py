"""The language follows the user: --lang, else QCHECK_LANG, else the POSIX locale variables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from qcompliance.cli.main import app
from qcompliance.i18n import user_lang

QCHECK = Path(sys.executable).with_name("qcheck")


@pytest.mark.parametrize(("env", "lang"), [
    ({}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "en"}, "en"),
    ({"LANG": "en_GB.UTF-8@euro"}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "C.UTF-8"}, "zh"),
    ({"LANG": "fr_FR.UTF-8"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"}, "zh"),
    ({"LC_MESSAGES": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LC_ALL": "", "LANG": "en_US.UTF-8"}, "en"),  # an empty variable does not count
    ({"QCHECK_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
    ({"QCHECK_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
    ({"QCHECK_LANG": "EN"}, "en"),
    ({"QCHECK_LANG": "klingon", "LANG": "en_US.UTF-8"}, "en"),  # not a language: the locale
])
def test_user_lang(env: dict[str, str], lang: str) -> None:
    """QCHECK_LANG overrides; else LC_ALL, LC_MESSAGES, LANG in POSIX order; en_* is English,
    anything else Chinese."""
    assert user_lang(env) == lang


def _missing_file(monkeypatch: pytest.MonkeyPatch, *args: str, **env: str) -> str:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["run", "no-such-profile.toml", *args])
    assert result.exit_code == 2
    return result.stderr


def test_cli_error_follows_the_locale_and_the_override(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no --lang, the one-line error is in the locale's language; QCHECK_LANG overrides
    the locale; --lang overrides both."""
    assert "错误" in _missing_file(monkeypatch)
    assert "error: " in _missing_file(monkeypatch, LANG="en_US.UTF-8")
    assert "错误" in _missing_file(monkeypatch, LANG="en_US.UTF-8", QCHECK_LANG="zh")
    assert "错误" in _missing_file(monkeypatch, "--lang", "zh", LANG="en_US.UTF-8")
    assert "error: " in _missing_file(monkeypatch, "--lang", "en", QCHECK_LANG="zh")


def test_terminal_summary_in_english_under_an_english_locale(tmp_path: Path) -> None:
    """`qcheck run` in a real process under LANG=en_US.UTF-8 prints the English summary."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("LC_ALL", "LC_MESSAGES", "QCHECK_LANG")}
    env["LANG"] = "en_US.UTF-8"
    result = subprocess.run(
        [str(QCHECK), "run", str(ROOT / "examples" / "small-food-producer.toml"),
         "--as-of", "2026-11-20", "--fail-on", "never"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "Assessed as of: 2026-11-20" in result.stdout
    assert "评估日" not in result.stdout
