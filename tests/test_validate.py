"""`qcheck profile validate`: every problem at once, one per line, then a count."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import AS_OF, ROOT
from qcompliance import load_checklists
from qcompliance.cli.main import app as qcheck_app
from qcompliance.selfcheck import validate_profile

EXAMPLE = ROOT / "examples" / "small-food-producer.toml"

BROKEN = """\
schema = "qcompliance/profile/v1"
[company]
nmae = "某某有限公司"
credit_code = "91350100M000100Y44"
employees = "many"
size = "medum"
[qms]
last_management_review_on = 2027-01-15
[[quality_safety.daily_checks]]
date = 2026-12-01
"""



def run(*args: str) -> tuple[int, str, str]:
    """Invoke `profile ARGS`; exit code, stdout and stderr."""
    result = CliRunner().invoke(qcheck_app, ["profile", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A profile with one of every kind of problem."""
    path = tmp_path / "broken.toml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_clean_example_exits_0() -> None:
    """The bundled example has no problem: exit 0 and a one-line confirmation."""
    code, out, err = run("validate", str(EXAMPLE), "--as-of", "2026-11-20")
    assert code == 0, err
    assert out.startswith(f"{EXAMPLE}：没有发现问题")
    assert err == ""


def test_every_problem_is_reported_at_once(broken: Path) -> None:
    """Unknown key, wrong type, value outside the set, bad USCC and future dates: all at once."""
    code, out, err = run("validate", str(broken), "--as-of", "2026-11-20", "--lang", "en")
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert lines == [
        f"{broken}:3: company.nmae: unknown fact 'company.nmae'; did you mean 'company.name'?",
        f"{broken}:4: company.credit_code: '91350100M000100Y44' fails the GB 32100 check: "
        "the last character should be '3'",
        f"{broken}:5: company.employees: expected a whole number, got string 'many'",
        f"{broken}:6: company.size: 'medum' is not one of large, medium, small, micro; "
        "did you mean 'medium'?",
        f"{broken}:8: qms.last_management_review_on: the date "
        "2027-01-15 is after the assessment day 2026-11-20, and this fact can only be a past "
        "date",
        f"{broken}:10: quality_safety.daily_checks[0].date:"
        " the date 2026-12-01 is after the assessment day 2026-11-20, and this fact can only "
        "be a past date",
        "6 problem(s).",
    ]


def test_messages_in_chinese_by_default(broken: Path) -> None:
    """The past-only check and the count speak Chinese by default."""
    code, _, err = run("validate", str(broken), "--as-of", "2026-11-20")
    assert code == 2
    assert "晚于评估日 2026-11-20，而该事实只能是过去的日期" in err
    assert err.splitlines()[-1] == "共 6 个问题。"


def test_as_of_decides_what_is_in_the_future(tmp_path: Path) -> None:
    """A past-only date is fine from its own day on."""
    path = tmp_path / "p.toml"
    path.write_text('[qms]\nlast_management_review_on = { value = 2027-01-15, '
                    'evidence = ["minutes.pdf"] }\n', encoding="utf-8")
    facts = load_checklists().facts
    before = validate_profile(path, facts, as_of=dt.date(2027, 1, 14), lang="en")
    assert [p.key for p in before.problems] == ["qms.last_management_review_on.value"]
    assert validate_profile(path, facts, as_of=dt.date(2027, 1, 15)).ok
    assert run("validate", str(path), "--as-of", "2027-01-15")[0] == 0


def test_syntax_error_is_one_problem(tmp_path: Path) -> None:
    """A file that is not TOML gives one problem with its line and column."""
    path = tmp_path / "bad.toml"
    path.write_text('[company]\nname = "unterminated\n', encoding="utf-8")
    code, _, err = run("validate", str(path), "--lang", "en")
    assert code == 2
    assert err.splitlines()[0].startswith(f"{path}:2:")
    assert err.splitlines()[-1] == "1 problem(s)."


def test_missing_file(tmp_path: Path) -> None:
    """A profile that does not exist is a problem, not a traceback."""
    code, _, err = run("validate", str(tmp_path / "nope.toml"), "--lang", "en")
    assert code == 2
    assert "no such file" in err


def test_library_returns_the_profile_when_clean() -> None:
    """validate_profile gives the loaded profile when there is no problem."""
    result = validate_profile(EXAMPLE, load_checklists().facts, as_of=AS_OF)
    assert result.ok
    assert result.profile is not None
    assert result.profile.name == "福州闽味园食品有限公司"
