"""Hardening of the error door, the input bounds and the output files (issue 12)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qcompliance.cli import main as cli_main
from qcompliance.cli.main import app
from qcompliance.errors import OutputError, ParseError, ProfileError
from qcompliance.loading.files import write_atomic
from qcompliance.loading.load import MAX_BYTES, load_checklists, load_profile, read_document

ROOT = Path(__file__).parents[1]
ASSETS = ROOT / "tests" / "assets"
EXAMPLE = ROOT / "examples" / "small-food-producer.toml"
MINI = str(ASSETS / "mini.toml")


def run(*args: str) -> tuple[int, str]:
    """qcheck ``args`` in English: exit code and stderr."""
    result = CliRunner().invoke(app, [*args, "--lang", "en"])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def test_device_is_refused_without_reading() -> None:
    """/dev/zero would never end: it is refused as not a regular file."""
    code, err = run("run", "/dev/zero", "-c", MINI)
    assert code == 2
    assert err == "qcheck: error: /dev/zero: is not a regular file (a device, pipe or socket)\n"


def test_fifo_without_writer_does_not_hang(tmp_path: Path) -> None:
    """A named pipe nobody writes to is refused at once instead of waiting forever."""
    fifo = tmp_path / "profile.toml"
    os.mkfifo(fifo)
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(run("run", str(fifo), "-c", MINI)),
                              daemon=True)
    worker.start()
    worker.join(30)
    assert outcome, "qcheck waited on the pipe"
    code, err = outcome[0]  # type: ignore[misc]
    assert code == 2
    assert "is not a regular file" in err


def test_file_larger_than_the_bound_is_refused(tmp_path: Path) -> None:
    """An input over MAX_BYTES is refused before it is parsed."""
    big = tmp_path / "big.toml"
    with big.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(ParseError, match="is larger than 32 MiB"):
        read_document(big)


def test_ten_thousand_errors_are_counted(tmp_path: Path) -> None:
    """10,000 problems in a large profile are all found, each with its line, and the one
    line says how many more there are (the timing is in bench/bad_inputs.py)."""
    path = tmp_path / "many.toml"
    lines = ['schema = "qcompliance/profile/v1"', "[company]"]
    lines += [f"unknown_{i} = '{'x' * 900}'" for i in range(10_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > 9_000_000
    with pytest.raises(ProfileError) as info:
        load_profile(path, load_checklists([MINI]).facts)
    problems = info.value.problems
    assert len(problems) == 10_000
    assert [p.line for p in problems[:3]] == [3, 4, 5]
    assert problems[-1].line == 10_002
    assert str(info.value).endswith("(and 9999 more problems)")


def test_as_of_far_in_the_future_is_a_usage_error() -> None:
    """--as-of 9999-12-31 is refused before any date arithmetic can overflow."""
    code, err = run("run", str(EXAMPLE), "--as-of", "9999-12-31")
    assert code == 2
    assert err == ("qcheck: error: --as-of: date 9999-12-31 is outside the supported range "
                   "1900-01-01 to 2199-12-31\n")


def test_error_line_in_chinese_by_default() -> None:
    """Without --lang the one line is in Chinese, with file, line and key."""
    result = CliRunner().invoke(app, ["run", str(ASSETS / "bad" / "wrong-type.toml"),
                                      "-c", MINI])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.startswith("qcheck: 错误：")
    assert "wrong-type.toml:4: company.employees: 应填整数，实际为 字符串 'many'" in line


def test_empty_profile_is_an_error(tmp_path: Path) -> None:
    """An empty profile would pass with exit 0: it is refused."""
    empty = tmp_path / "empty.toml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    code, err = run("run", str(empty))
    assert (code, err) == (2, f"qcheck: error: {empty}: the profile gives no facts\n")


@pytest.mark.parametrize("where", ["missing-folder", "directory", "read-only-folder",
                                   "read-only-file"])
def test_output_that_cannot_be_written(tmp_path: Path, where: str) -> None:
    """--output into a missing folder, onto a folder, into a read-only folder or over a
    read-only file: one line, exit 2, nothing replaced."""
    target = {
        "missing-folder": tmp_path / "nope" / "out.json",
        "directory": tmp_path,
        "read-only-folder": tmp_path / "ro" / "out.json",
        "read-only-file": tmp_path / "kept.json",
    }[where]
    if where == "read-only-folder":
        target.parent.mkdir()
        target.parent.chmod(0o555)
    if where == "read-only-file":
        target.write_text("keep me", encoding="utf-8")
        target.chmod(0o444)
    code, err = run("run", str(EXAMPLE), "--as-of", "2026-11-20", "-f", "json",
                    "-o", str(target))
    assert code == 2
    assert err.startswith(f"qcheck: error: {target}: ")
    assert err.count("\n") == 1
    if where == "read-only-file":
        assert target.read_text(encoding="utf-8") == "keep me"
    if where == "read-only-folder":
        assert list(target.parent.iterdir()) == []
        target.parent.chmod(0o755)


def test_write_atomic_keeps_the_mode_and_leaves_no_temporary(tmp_path: Path) -> None:
    """A replaced file keeps its permissions; no temporary file is left behind."""
    path = tmp_path / "out.md"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    write_atomic(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]
    with pytest.raises(OutputError, match="is a directory"):
        write_atomic(tmp_path, "x")


def test_internal_error_exits_3_with_a_log(monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    """A fault of qcheck itself (simulated: evaluation raising) is one line naming a log
    file that holds the traceback, and exit code 3 (never 1, which means a failed duty)."""
    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("simulated fault")

    monkeypatch.setattr(cli_main, "evaluate", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    code, err = run("run", str(EXAMPLE), "--as-of", "2026-11-20")
    assert code == 3
    assert err.startswith("qcheck: internal error (ZeroDivisionError), please report it")
    log = Path(err.strip().rsplit(" ", 1)[-1])
    assert log.parent == tmp_path
    assert "simulated fault" in log.read_text(encoding="utf-8")
