"""The language follows the user: --lang, else QCHECK_LANG, else the POSIX locale variables."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from qcompliance.cli.main import app
from qcompliance.i18n import user_lang

QCHECK = Path(sys.executable).with_name("qcheck")
CJK = re.compile(r"[\u4e00-\u9fff]")


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


def _command_line(env: dict[str, str], *args: str) -> tuple[int, str]:
    """Run ``qcheck args`` in a real process with ``env`` on top of a locale-free environment;
    its exit code and stderr."""
    clean = {k: v for k, v in os.environ.items()
             if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "QCHECK_LANG")}
    result = subprocess.run([str(QCHECK), *args], capture_output=True, text=True,
                            env={**clean, **env}, timeout=120, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr


@pytest.mark.parametrize(("env", "zh"), [
    ({}, True),
    ({"LANG": "zh_CN.UTF-8"}, True),
    ({"LANG": "en_US.UTF-8"}, False),
    ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, False),
    ({"LANG": "en_US.UTF-8", "QCHECK_LANG": "zh"}, True),
    ({"LANG": "zh_CN.UTF-8", "QCHECK_LANG": "en"}, False),
])
def test_a_bad_command_line_is_told_in_the_users_language(env: dict[str, str], zh: bool) -> None:
    """Before any command runs (a bad option value, here --lang's own), the parser's usage
    error follows QCHECK_LANG and the locale, with exit code 2."""
    code, stderr = _command_line(env, "run", "--lang", "xx", "profile.toml")
    assert code == 2
    if zh:
        assert stderr.splitlines() == [
            "用法：qcheck run [OPTIONS] {profile}", "请运行 'qcheck run --help' 查看帮助。", "",
            "错误：'--lang' 的取值无效：“xx”不在可选范围内（可选：'zh', 'en'）。"]
    else:
        assert stderr.splitlines()[-1] == ("Error: Invalid value for '--lang': 'xx' is not "
                                           "one of 'zh', 'en'.")
        assert not CJK.search(stderr)


# One bad command line of each kind the parser knows, for every group of commands.
BAD_COMMAND_LINES = [
    (["rnu"], "没有命令“rnu”。是否指 'run'？"),
    (["run"], "缺少参数 'profile'。"),
    (["run", "p.toml", "--fromat", "json"], "没有选项 --fromat（可用的选项：--format）"),
    (["run", "p.toml", "--format"], "选项“--format”需要一个值。"),
    (["run", "a.toml", "b.toml"], "多余的参数（b.toml）"),
    (["batch", "run", "in.jsonl", "--jobs", "0"], "的取值无效：0 不在范围 x>=1 内。"),
    (["report", "a.json", "--format", "doc"], "“doc”不在可选范围内"),
    (["serve", "token", "create", "--role"], "选项“--role”需要一个值。"),
    (["pull", "--retries", "many"], "“many”不是有效的整数。"),
    (["checklists", "lint", "--lang", "fr"], "“fr”不在可选范围内"),
]


@pytest.mark.parametrize(("args", "zh"), BAD_COMMAND_LINES)
def test_every_kind_of_bad_command_line_reads_in_chinese(
        args: list[str], zh: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each of the parser's complaints has its Chinese form (no English left in the error line),
    and under an English locale stays click's English text."""
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    error = result.stderr.splitlines()[-1]
    assert error.startswith("错误："), result.stderr
    assert zh in error
    assert "Usage" not in result.stderr
    assert "Error" not in result.stderr
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    english = CliRunner().invoke(app, args)
    assert english.exit_code == 2
    assert english.stderr.splitlines()[-1].startswith("Error: ")
    assert not CJK.search(english.stderr)


def test_a_missing_file_follows_the_locale_in_a_real_process(tmp_path: Path) -> None:
    """The error for a missing profile, printed by the command, follows the locale and
    QCHECK_LANG too (a real process, so nothing of the test's environment leaks in)."""
    missing = str(tmp_path / "missing.toml")
    assert _command_line({}, "run", missing) == (2, f"qcheck: 错误：{missing}: 文件不存在\n")
    assert _command_line({"LANG": "en_US.UTF-8"}, "run", missing) == (
        2, f"qcheck: error: {missing}: no such file\n")
    assert _command_line({"LANG": "en_US.UTF-8", "QCHECK_LANG": "zh"}, "report", missing) == (
        2, f"qcheck: 错误：{missing}: 文件不存在\n")


@pytest.mark.parametrize("args", [
    ["run", "{missing}"], ["report", "{missing}"], ["diff", "{missing}", "{missing}"],
    ["checklists", "show", "no-such-checklist"], ["facts", "-c", "no-such-checklist"],
    ["batch", "run", "{missing}"],
    ["pack", "test", "{missing}"], ["pull", "no-such-pack", "--offline", "--lock-file",
                                    "{missing}"],
    ["impact", "--from", "builtin", "--to", "no-such-pack@1.0", "{missing}"],
    ["plan", "ics", "{missing}"],
    ["history", "--store", "sqlite:///{missing}/ws.db", "91350100M000100Y43"],
])
def test_every_command_tells_its_error_in_the_users_language(
        args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each command's one-line error (a missing file, an unknown checklist, the registry's)
    is Chinese by default and English under an English locale; it fits the message table."""
    args = [a.replace("{missing}", str(tmp_path / "missing")) for a in args]
    chinese = CliRunner().invoke(app, args)
    assert chinese.exit_code == 2, chinese.output
    assert chinese.stderr.startswith("qcheck: 错误："), chinese.stderr
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    english = CliRunner().invoke(app, args)
    assert english.exit_code == 2, english.output
    assert english.stderr.startswith("qcheck: error: "), english.stderr
    assert not CJK.search(english.stderr.split(": ", 3)[-1])


@pytest.mark.parametrize(("args", "zh", "en"), [
    (["profile", "validate", "{missing}"], "{missing}: 文件不存在", "{missing}: no such file"),
    (["checklists", "lint", "{missing}"], "{missing}: 文件不存在", "{missing}: no such file"),
])
def test_problem_lists_follow_the_users_language(
        args: list[str], zh: str, en: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands that list every problem (profile validate, checklists lint) list them in the
    user's language, their count line too."""
    missing = str(tmp_path / "missing")
    args = [a.replace("{missing}", missing) for a in args]
    chinese = CliRunner().invoke(app, args)
    assert chinese.exit_code == 2
    assert chinese.stderr.splitlines()[0] == zh.replace("{missing}", missing)
    assert CJK.search(chinese.stderr.splitlines()[-1])
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    english = CliRunner().invoke(app, args)
    assert english.exit_code == 2
    assert english.stderr.splitlines()[0] == en.replace("{missing}", missing)
    assert not CJK.search(english.stderr)
