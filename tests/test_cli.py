"""qcheck run end to end: exit codes, formats, output files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ASSETS, ROOT
from qcompliance.cli.main import app

MINI = str(ASSETS / "mini.toml")
PROFILE = str(ASSETS / "mini-profile.toml")


def run(*args: str) -> tuple[int, str, str]:
    """Invoke qcheck with ``args``; return exit code, stdout and stderr."""
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_mandatory_failure_exits_1() -> None:
    """A failing mandatory item makes qcheck run exit 1 by default."""
    code, out, _ = run("run", PROFILE, "-c", MINI, "--as-of", "2026-11-20")
    assert code == 1
    assert "标志为真" in out  # the failing item, by its title


def test_fail_on_never_exits_0() -> None:
    """--fail-on never always exits 0."""
    assert run("run", PROFILE, "-c", MINI, "--as-of", "2026-11-20", "--fail-on", "never")[0] == 0


def test_only_recommended_failure_passes_mandatory_gate(tmp_path: Path) -> None:
    """With no mandatory failure the default gate passes; --fail-on any catches the rest."""
    profile = tmp_path / "p.toml"
    profile.write_text("[company]\nproduces = true\n[t]\nflag = true\nyears = 6\nlogs = []\n",
                       encoding="utf-8")
    args = ("run", str(profile), "-c", MINI, "--as-of", "2026-11-20")
    assert run(*args)[0] == 0  # the recommended weekly-records item fails: no logs
    assert run(*args, "--fail-on", "any")[0] == 1


def test_fail_on_unknown(tmp_path: Path) -> None:
    """--fail-on-unknown also fails on an unknown mandatory item."""
    profile = tmp_path / "p.toml"
    profile.write_text("[company]\nproduces = true\n[t]\nflag = true\n", encoding="utf-8")
    args = ("run", str(profile), "-c", MINI, "--as-of", "2026-11-20")
    assert run(*args)[0] == 0
    assert run(*args, "--fail-on-unknown")[0] == 1


def test_json_is_byte_identical_and_written_atomically(tmp_path: Path) -> None:
    """The same inputs give the same bytes; --output replaces the file whole."""
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for out in (first, second):
        code, stdout, _ = run("run", PROFILE, "-c", MINI, "--as-of", "2026-11-20",
                              "--format", "json", "--output", str(out))
        assert code == 1
        assert stdout == ""
    assert first.read_bytes() == second.read_bytes()
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["schema"] == "qcompliance/assessment/v1"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_failed_run_leaves_existing_output_untouched(tmp_path: Path) -> None:
    """A run that stops on bad input does not touch the output file."""
    out = tmp_path / "report.json"
    out.write_text("previous", encoding="utf-8")
    code, _, _ = run("run", str(ASSETS / "bad" / "wrong-type.toml"), "-c", MINI,
                     "--format", "json", "--output", str(out))
    assert code == 2
    assert out.read_text(encoding="utf-8") == "previous"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_speaks_the_chosen_language(lang: str) -> None:
    """--lang switches the table's headings and verdicts."""
    _, out, _ = run("run", PROFILE, "-c", MINI, "--as-of", "2026-11-20", "--lang", lang)
    assert ("不符合" in out) == (lang == "zh")
    assert ("fail" in out) == (lang == "en")


def test_default_runs_every_applicable_builtin_checklist() -> None:
    """Without --checklist, checklists whose applies is false are skipped."""
    code, out, _ = run("run", str(ROOT / "examples" / "small-food-producer.toml"),
                       "--as-of", "2026-11-20", "--format", "json")
    assert code in (0, 1)
    data = json.loads(out)
    applicable = {c["id"]: c["applicable"] for c in data["checklists"]}
    assert len(applicable) >= 15
    with_results = {r["checklist"] for r in data["results"]}
    assert not {cid for cid, a in applicable.items() if a == "no"} & with_results


def test_checklists_list_show_lint_and_facts() -> None:
    """The catalogue commands answer and exit 0."""
    code, out, _ = run("checklists", "list")
    assert code == 0
    assert "cn-quality-officers" in out
    code, out, _ = run("checklists", "show", "cn-quality-officers", "--lang", "en")
    assert code == 0
    assert "SAMR Order No. 75" in out
    code, out, _ = run("checklists", "lint")
    assert code == 0
    assert out.startswith("通过：")
    code, out, _ = run("checklists", "lint", "--lang", "en")
    assert code == 0
    assert out.startswith("ok:")
    code, out, _ = run("facts", "-c", MINI)
    assert code == 0
    assert "t.years" in out
    assert "company.employees" not in out


def test_version() -> None:
    """--version prints the package version."""
    code, out, _ = run("--version")
    assert code == 0
    assert out.startswith("qcheck ")


def test_report_renders_a_saved_assessment_in_every_format(tmp_path: Path) -> None:
    """qcheck report turns assessment JSON into each format; binary formats need --output."""
    saved = tmp_path / "a.json"
    assert run("run", PROFILE, "-c", MINI, "--as-of", "2026-11-20", "-f", "json",
               "-o", str(saved))[0] == 1
    for fmt in ("table", "json", "markdown", "html", "csv", "junit", "ics", "oscal"):
        code, out, err = run("report", str(saved), "-f", fmt)
        assert code == 0, (fmt, err)
        assert out.strip(), fmt
    assert run("report", str(saved), "-f", "json")[1] == saved.read_text(encoding="utf-8")
    code, _, err = run("report", str(saved), "-f", "xlsx")
    assert code == 2
    assert "--output" in err
    assert run("report", str(saved), "-f", "xlsx", "-o", str(tmp_path / "a.xlsx"))[0] == 0
    assert (tmp_path / "a.xlsx").read_bytes()[:2] == b"PK"


def test_report_of_a_broken_file_is_one_line() -> None:
    """A malformed assessment file is a clean error."""
    code, _, err = run("report", str(ASSETS / "bad" / "syntax.json"))
    assert code == 2
    assert len(err.strip().splitlines()) == 1


def test_diff_exits_1_on_new_mandatory_failures(tmp_path: Path) -> None:
    """qcheck diff exits 1 when a mandatory item newly fails, 0 when gaps only close."""
    good = tmp_path / "good.toml"
    good.write_text("[company]\nproduces = true\n[t]\nflag = true\nyears = 6\n",
                    encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text("[company]\nproduces = true\n[t]\nflag = false\nyears = 6\n",
                   encoding="utf-8")
    paths = {}
    for name, profile in (("good", good), ("bad", bad)):
        paths[name] = str(tmp_path / f"{name}.json")
        run("run", str(profile), "-c", MINI, "--as-of", "2026-11-20", "-f", "json",
            "-o", paths[name])
    code, out, _ = run("diff", paths["good"], paths["bad"], "--lang", "en")
    assert code == 1
    assert "Flag is set" in out  # the item by its title, as a client reads it
    assert run("diff", paths["bad"], paths["good"])[0] == 0
    assert run("diff", paths["good"], paths["bad"], "--fail-on", "never")[0] == 0
    code, out, _ = run("diff", paths["good"], paths["bad"], "-f", "json")
    assert json.loads(out)
