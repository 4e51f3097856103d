"""Each kind of bad input gives one clear line naming file, line and key, and exit code 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ASSETS
from qcompliance import load_checklists, load_profile
from qcompliance.authoring.lint import lint_paths
from qcompliance.cli.main import app
from qcompliance.errors import (
    ChecklistError,
    ParseError,
    ProfileError,
    QComplianceError,
    SchemaError,
)

BAD = ASSETS / "bad"
MINI = str(ASSETS / "mini.toml")

PROFILES = [
    ("syntax.toml", ParseError, r"syntax\.toml:3:15: invalid TOML"),
    ("syntax.json", ParseError, r"syntax\.json:3:27: invalid JSON: Expecting property name"),
    ("wrong-type.toml", ProfileError,
     r"wrong-type\.toml:4: company\.employees: expected a whole number, got string 'many'"),
    ("unknown-key.toml", ProfileError,
     r"unknown-key\.toml:4: company\.employes: unknown fact 'company\.employes'; "
     r"did you mean 'company\.employees'\?"),
    ("bad-date.toml", ProfileError,
     r"bad-date\.toml:3: t\.when: expected a date YYYY-MM-DD, got '2026-13-45'"),
    ("bad-enum.json", ProfileError,
     r"bad-enum\.json:4: company\.size: 'medum' is not one of .*did you mean 'medium'\?"),
    ("bad-credit-code.toml", ProfileError,
     r"bad-credit-code\.toml:3: company\.credit_code: .* not allowed in GB 32100: Z"),
]

CHECKLISTS = [
    ("undeclared-fact.toml", ChecklistError,
     r"undeclared-fact\.toml:20: items\[0\]\.check\.fact: reads undeclared fact "
     r"'company\.emploees'; did you mean 'company\.employees'\?"),
    ("duplicate-id.toml", ChecklistError,
     r"duplicate-id\.toml:25: items\[1\]\.id: duplicate item id 't-bad\.a'"),
    ("unknown-operator.toml", SchemaError,
     r"unknown-operator\.toml:20: items\[0\]\.check\.greater: unknown operator 'greater'; "
     r"did you mean 'gt'\?"),
    ("wrong-value-type.toml", ChecklistError,
     r"wrong-value-type\.toml:20: items\[0\]\.check\.ge: 'company\.employees' is a whole "
     r"number; 'ten' cannot be compared with it"),
    ("missing-basis-source.toml", ChecklistError,
     r"missing-basis-source\.toml:19: items\[0\]\.basis\[0\]\.source: cites unknown source "
     r"'lwa'; did you mean 'law'\?"),
]


@pytest.mark.parametrize(("name", "kind", "message"), PROFILES, ids=[p[0] for p in PROFILES])
def test_bad_profile_raises_typed_error(name: str, kind: type[QComplianceError],
                                        message: str) -> None:
    """The library raises a typed error whose text names file, line and key."""
    facts = load_checklists([MINI]).facts
    with pytest.raises(kind, match=message) as info:
        load_profile(BAD / name, facts)
    problem = info.value.first
    assert problem.file is not None
    assert problem.file.endswith(name)
    assert problem.line is not None


@pytest.mark.parametrize(("name", "kind", "message"), CHECKLISTS,
                         ids=[c[0] for c in CHECKLISTS])
def test_bad_checklist_raises_typed_error(name: str, kind: type[QComplianceError],
                                          message: str) -> None:
    """Authoring mistakes are caught when the checklist loads."""
    with pytest.raises(kind, match=message):
        load_checklists([str(BAD / name)])


@pytest.mark.parametrize(("name", "message"), [(p[0], p[2]) for p in PROFILES])
def test_cli_prints_one_line_and_exits_2_for_bad_profiles(name: str, message: str) -> None:
    """qcheck run prints one stderr line, no traceback, and exits 2 (in English on request)."""
    result = CliRunner().invoke(app, ["run", str(BAD / name), "-c", MINI, "--lang", "en"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert re.search(message, lines[0])
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("name", "message"), [(c[0], c[2]) for c in CHECKLISTS])
def test_cli_exits_2_for_bad_checklists(name: str, message: str) -> None:
    """A broken checklist stops qcheck run with exit code 2."""
    result = CliRunner().invoke(app, ["run", str(ASSETS / "mini-profile.toml"),
                                      "-c", MINI, "-c", str(BAD / name), "--lang", "en"])
    assert result.exit_code == 2
    assert re.search(message, result.stderr)


def test_lint_reports_an_applies_that_can_never_be_true() -> None:
    """lint finds conditions no profile can satisfy."""
    problems, _, _ = lint_paths([BAD / "never-applies.toml"])
    assert [str(p) for p in problems] == [
        f"{BAD / 'never-applies.toml'}:20: items[0].applies: this condition can never be true"
    ]


def test_lint_reports_all_problems_of_all_files() -> None:
    """lint does not stop at the first broken file."""
    problems, _, _ = lint_paths([BAD / "undeclared-fact.toml", BAD / "duplicate-id.toml"])
    text = "\n".join(str(p) for p in problems)
    assert "undeclared fact 'company.emploees'" in text
    assert "duplicate item id 't-bad.a'" in text


def test_profile_reports_every_problem_at_once(tmp_path: Path) -> None:
    """A profile with several mistakes lists them all, not just the first."""
    path = tmp_path / "p.toml"
    path.write_text('[company]\nemployes = 3\nsize = "huge"\nproduces = "yes"\n',
                    encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(path, load_checklists([MINI]).facts)
    keys = [p.key for p in info.value.problems]
    assert keys == ["company.employes", "company.size", "company.produces"]
    assert [p.line for p in info.value.problems] == [2, 3, 4]
    assert "(and 2 more problems)" in str(info.value)


def test_unknown_checklist_id_is_a_usage_error() -> None:
    """--checklist with an unknown id suggests the closest built-in id."""
    result = CliRunner().invoke(app, ["run", str(ASSETS / "mini-profile.toml"),
                                      "-c", "cn-recal", "--lang", "en"])
    assert result.exit_code == 2
    assert "no built-in checklist 'cn-recal'; did you mean 'cn-recall'?" in result.stderr


def test_bad_as_of_is_a_usage_error() -> None:
    """A malformed --as-of names the option."""
    result = CliRunner().invoke(app, ["run", str(ASSETS / "mini-profile.toml"), "-c", MINI,
                                      "--as-of", "2026-02-30", "--lang", "en"])
    assert result.exit_code == 2
    assert "--as-of: expected a date YYYY-MM-DD, got '2026-02-30'" in result.stderr


def test_lint_reports_sources_no_item_cites(tmp_path: Path) -> None:
    """A source nobody cites is an authoring slip the linter names."""
    text = (ASSETS / "mini.toml").read_text(encoding="utf-8").replace(
        '[[facts]]', '[[sources]]\nid = "spare"\ntitle = { zh = "备用", en = "Spare" }\n'
        'issuer = { zh = "机关", en = "Authority" }\nverified = "policy"\n\n[[facts]]', 1)
    path = tmp_path / "spare.toml"
    path.write_text(text, encoding="utf-8")
    problems, _, _ = lint_paths([path])
    assert f"{path}:14: sources[1].id: source 'spare' is cited by no item" in [
        str(p) for p in problems]


@pytest.mark.parametrize(("args", "expected"), [
    (["run", str(BAD / "wrong-type.toml"), "-c", MINI],
     r"^qcheck: 错误：\S*wrong-type\.toml:4: company\.employees: 应填整数，实际为 字符串 'many'$"),
    (["run", str(BAD / "bad-enum.json"), "-c", MINI],
     r"company\.size: “medum”不是允许的取值（可选：.*）；是否指“medium”？$"),
    (["run", str(BAD / "bad-date.toml"), "-c", MINI],
     r"t\.when: 应填日期 YYYY-MM-DD，实际为 '2026-13-45'$"),
    (["run", str(ASSETS / "mini-profile.toml"), "-c", "cn-recal"],
     r"--checklist: 没有内置检查清单“cn-recal”；是否指“cn-recall”？$"),
    (["run", str(ASSETS / "no-such-profile.toml"), "-c", MINI], r"文件不存在$"),
])
def test_errors_speak_chinese_by_default(args: list[str], expected: str) -> None:
    """Without --lang the one error line is in Chinese; names, values and positions stay as
    found."""
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert re.search(expected, lines[0]), lines[0]
