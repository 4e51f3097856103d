"""`qcheck profile template`: a skeleton that explains every fact and stays valid TOML."""

from __future__ import annotations

import re
import sys

import pytest
from typer.testing import CliRunner

from conftest import AS_OF
from qcompliance import load_checklists, load_profile
from qcompliance.cli.main import app as qcheck_app
from qcompliance.errors import ProfileError
from qcompliance.model import FactType
from qcompliance.selfcheck.template import profile_template, template_specs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

UNCOMMENT = re.compile(r"(?m)^# ")



@pytest.fixture(scope="module")
def full() -> str:
    """The template of every built-in checklist, in Chinese."""
    return profile_template(template_specs(load_checklists()), lang="zh", as_of=AS_OF)


def test_template_loads_as_an_empty_profile(full: str) -> None:
    """The template as printed is valid TOML and a valid profile giving no fact."""
    assert full.splitlines()[0] == "#:schema ./schemas/profile.schema.json"
    assert load_profile(tomllib.loads(full)).facts == {}


def test_uncommented_template_still_parses(full: str) -> None:
    """With every fact line uncommented the file parses; only placeholders are wrong."""
    data = tomllib.loads(UNCOMMENT.sub("", full))
    assert data["company"]["employees"] == 0
    with pytest.raises(ProfileError) as caught:
        load_profile(data)
    # The empty credit code and the empty city code are the placeholders that are not valid
    # values (both are checked codes).
    assert [p.key for p in caught.value.problems] == ["company.credit_code", "company.city"]


def test_every_fact_read_is_in_the_template(full: str) -> None:
    """Every fact the checklists read appears, under its question, type and values."""
    checklists = load_checklists()
    lines = full.splitlines()
    for spec in checklists.facts_read():
        table, _, leaf = spec.key.rpartition(".")
        if spec.type is FactType.RECORDS:
            index = lines.index(f"# [[{spec.key}]]")
        else:
            index = next(i for i, line in enumerate(lines) if line.startswith(f"# {leaf} = ")
                         and lines.index(f"[{table}]") < i)
        above = "\n".join(lines[max(0, index - 8):index])
        assert " ".join(spec.question.zh.split()) in above, spec.key
    assert "##   可选值：large（大型）, medium（中型）, small（小型）, micro（微型）" in lines
    assert "##   类型：整数；单位：人" in lines


def test_records_block_uncomments_as_a_record() -> None:
    """A records fact is one commented [[table.key]] block with a line per field."""
    checklists = load_checklists(["cn-recall"])
    text = profile_template(template_specs(checklists), lang="en", as_of=AS_OF)
    assert "# [[recall.incident_reports]]" in text
    record = tomllib.loads(UNCOMMENT.sub("", text))["recall"]["incident_reports"][0]
    assert record["date"] == AS_OF
    assert set(record) == {"date", "product", "situation", "report_working_days"}


def test_template_command_with_checklist_and_lang() -> None:
    """`profile template -c ID --lang en` prints only that checklist's facts, in English."""
    result = CliRunner().invoke(qcheck_app, ["profile", "template", "-c", "cn-recall", "--lang",
                                         "en", "--as-of", "2026-11-20"])
    assert result.exit_code == 0, result.output
    assert "## Company name — What is the company's registered name?" in result.stdout
    assert "# defect_info_system = false" in result.stdout
    assert "cqo" not in result.stdout
    tomllib.loads(result.stdout)


def test_template_command_unknown_checklist() -> None:
    """An unknown checklist id is one error line and exit code 2."""
    result = CliRunner().invoke(qcheck_app, ["profile", "template", "-c", "cn-recal",
                                                  "--lang", "en"])
    assert result.exit_code == 2
    assert "did you mean 'cn-recall'?" in result.stderr
