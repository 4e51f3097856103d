"""``qcheck batch`` and the terminal under abuse: only regular files are read, every line and
workbook is bounded, a bad line is a row (never exit 3), a control character in one company
never loses the run's outputs, protected files stay, and input text reaches a terminal
neutralised. Memory is measured with ``resource`` in a subprocess."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from qcompliance.cli.main import app
from qcompliance.textsafe import neutralise, redact_url

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXAMPLE = ROOT / "examples" / "small-food-producer.toml"
DAY = "2026-11-20"
QCHECK = Path(sys.executable).with_name("qcheck")


def run(*args: str) -> tuple[int, str, str]:
    """Invoke qcheck in this process; exit code, stdout and stderr."""
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def profile_data(**company: object) -> dict[str, object]:
    """The example profile as JSON data, with ``company`` fields replaced."""
    data = json.loads(json.dumps(tomllib.loads(EXAMPLE.read_text(encoding="utf-8")),
                                 default=str))
    data["company"].update(company)
    return data


def line_of(data: dict[str, object]) -> bytes:
    """One JSON Lines line."""
    return json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_input_is_refused_at_once(tmp_path: Path) -> None:
    """A FIFO as INPUT is one line and exit 2, without waiting for a writer."""
    fifo = tmp_path / "in.jsonl"
    os.mkfifo(fifo)
    done = subprocess.run([str(QCHECK), "batch", str(fifo), "--lang", "en"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr == (f"qcheck: error: {fifo}: INPUT: is not a regular file (a device, "
                           "pipe or socket)\n")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("name", ["zero.jsonl", "zero.csv", "zero.xlsx"])
def test_device_input_is_refused(tmp_path: Path, name: str) -> None:
    """A link to /dev/zero is refused before a byte is read."""
    link = tmp_path / name
    link.symlink_to("/dev/zero")
    code, _, err = run("batch", str(link), "--lang", "en")
    assert code == 2
    assert err == (f"qcheck: error: {link}: INPUT: is not a regular file (a device, pipe or "
                   "socket)\n")


def test_bad_jsonl_lines_are_rows_and_exit_4(tmp_path: Path) -> None:
    """Every hostile line is a row with its error; the good lines are evaluated; the exit code
    says some could not be loaded (4), never an internal error (3)."""
    source = tmp_path / "in.jsonl"
    lines = [
        line_of({**profile_data(), "id": "good-1"}),
        b'{"id": "big", "pad": "' + b"x" * (5 * 1024 * 1024) + b'"}\n',
        b'{"id": "bad\xff", "company": {}}\n',
        b'{"company": {}, "company": {}}\n',
        b'{"id": "\\udfff"}\n',
        b"[" * 10_000 + b"]" * 10_000 + b"\n",
        b'{"company": {"employees": 1' + b"0" * 400 + b"}}\n",
        line_of({**profile_data(), "id": "good-2"}),
    ]
    source.write_bytes(b"".join(lines))
    summary = tmp_path / "summary.jsonl"
    code, _, err = run("batch", str(source), "--summary", str(summary), "--as-of", DAY,
                       "--lang", "en")
    assert code == 4, err
    rows = [json.loads(r) for r in summary.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["error"]) for r in rows[1:-1]] == [
        ("line 2", "the line is longer than 4 MiB"),
        ("line 3", "is not UTF-8 text (byte 11)"),
        ("line 4", "invalid JSON: duplicate key 'company'"),
        ("line 5", "holds an unpaired surrogate (\\ud800-\\udfff), not text"),
        ("line 6", "nested deeper than 32 levels"),
        ("line 7", "number out of range (at most 9007199254740991 in size)"),
    ]
    assert [rows[0]["id"], rows[0]["error"], rows[-1]["id"], rows[-1]["error"]] == [
        "good-1", None, "good-2", None]
    assert err.endswith("6 could not be loaded\n")
    # --max-line-bytes raises the bound: the long line is then read (and refused for its key).
    code, _, err = run("batch", str(source), "--summary", str(summary), "--as-of", DAY,
                       "--max-line-bytes", str(6 * 1024 * 1024), "--lang", "en")
    rows = [json.loads(r) for r in summary.read_text(encoding="utf-8").splitlines()]
    assert rows[1]["id"] == "big"
    assert rows[1]["error_key"] == "pad"


def _workbook_with(member: str, size: int) -> bytes:
    """A real questionnaire workbook whose ``member`` is replaced by ``size`` bytes of XML
    that compress to almost nothing (a decompression bomb)."""
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.Workbook()
    book.active.append(["id", "company.name"])
    book.active.append(["A", "甲"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != member:
                dst.writestr(info, src.read(info))
        head = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
        head += b'spreadsheetml/2006/main">'
        dst.writestr(member, head + b" " * (size - len(head) - 6) + b"</sst>")
    return out.getvalue()


def _max_rss_of(*args: str) -> tuple[int, int, str]:
    """Run qcheck ARGS in a child of a fresh interpreter; its exit code, its peak memory in
    KiB (``resource``, RUSAGE_CHILDREN) and its stderr."""
    probe = (
        "import resource, subprocess, sys, json\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=300)\n"
        "print(json.dumps([done.returncode, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.stderr]))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(QCHECK), *args],
                         capture_output=True, text=True, timeout=360, check=True).stdout
    code, rss, err = json.loads(out)
    return code, rss, err


def test_xlsx_bomb_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    """A workbook whose shared strings unzip to 40 MiB (from a few kB) is refused before
    openpyxl reads it; qcheck's peak memory stays far below what unzipping it would take."""
    import openpyxl  # noqa: F401  (qcheck reads the workbook with it)
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(_workbook_with("xl/sharedStrings.xml", 40 * 1024 * 1024))
    assert bomb.stat().st_size < 200_000
    code, rss, err = _max_rss_of("batch", str(bomb), "--lang", "en")
    assert code == 2
    assert err == (f"qcheck: error: {bomb}: xl/sharedStrings.xml: a part of the workbook "
                   "unzips to more than 32 MiB (--max-workbook-bytes)\n")
    assert rss < 200 * 1024, f"{rss // 1024} MiB"
    # A user who trusts the file may raise the bound; the workbook is then read.
    code, _, err = run("batch", str(bomb), "--max-workbook-bytes", str(1024 ** 3),
                       "--lang", "en")
    assert code in (0, 1, 4), err
    assert "unzips to more than" not in err


def test_csv_line_too_long_is_one_line_exit_2(tmp_path: Path) -> None:
    """A CSV line over the bound is a one-line error naming the file and line."""
    source = tmp_path / "in.csv"
    source.write_bytes(b"id,company.name\nA," + b"x" * (4 * 1024 * 1024 + 10) + b"\n")
    code, _, err = run("batch", str(source), "--as-of", DAY, "--lang", "en")
    assert code == 2
    assert err == f"qcheck: error: {source}:2: the line is longer than 4 MiB\n"


def test_control_character_in_a_name_keeps_every_output(tmp_path: Path) -> None:
    """A company name holding an escape sequence, a bell and a NUL: the summary, the
    assessments and both portfolio reports are all written; the xlsx shows the escapes."""
    import openpyxl

    source = tmp_path / "in.jsonl"
    name = "坏\x1b[31m名\x07\x00公司"
    source.write_bytes(line_of({**profile_data(name=name), "id": "A"})
                       + line_of({**profile_data(), "id": "B"}))
    outputs = [tmp_path / "s.csv", tmp_path / "a.jsonl", tmp_path / "p.xlsx",
               tmp_path / "p.html"]
    code, _, err = run("batch", str(source), "--summary", str(outputs[0]), "--assessments",
                       str(outputs[1]), "--report", str(outputs[2]), "--report",
                       str(outputs[3]), "--as-of", DAY, "--lang", "en")
    assert code in (0, 1), err
    assert all(p.exists() for p in outputs)
    book = openpyxl.load_workbook(outputs[2], read_only=True)
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             for c in row if isinstance(c, str)]
    assert "坏\x1b[31m名\x07\\x00公司".replace("\x1b", "\\x1b").replace("\x07", "\\x07") in cells


@pytest.mark.parametrize("option", ["--summary", "--assessments"])
def test_read_only_outputs_are_not_replaced(tmp_path: Path, option: str) -> None:
    """A read-only --summary or --assessments file is refused (exit 2) and left as it was."""
    source = tmp_path / "in.jsonl"
    source.write_bytes(line_of(profile_data()))
    target = tmp_path / "out.jsonl"
    target.write_text("keep\n", encoding="utf-8")
    target.chmod(0o444)
    code, _, err = run("batch", str(source), option, str(target), "--as-of", DAY,
                       "--lang", "en")
    assert code == 2
    assert err == (f"qcheck: error: {target}: is read-only; remove it or choose another "
                   "name\n")
    assert target.read_text(encoding="utf-8") == "keep\n"


def test_terminal_output_is_neutralised(tmp_path: Path) -> None:
    """--quiet stays one line and carries no raw escape, whatever the company name holds."""
    data = profile_data(name="evil\x1b]0;owned\x07\r\nSECOND LINE")
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps(data), encoding="utf-8")
    done = subprocess.run([str(QCHECK), "run", str(profile), "--quiet", "--as-of", DAY,
                           "--lang", "en"], capture_output=True, timeout=120,
                          env={**os.environ, "NO_COLOR": "1"})
    out = done.stdout.decode("utf-8")
    assert out.count("\n") == 1
    assert "\x1b" not in out
    assert "\r" not in out
    assert "evil\\x1b]0;owned\\x07\\r\\nSECOND LINE" in out


def test_neutralise_and_redact() -> None:
    """Control, bidi and line-separator characters are escaped; credentials in a URL are not
    shown."""
    assert neutralise("a\x1b[2Jb\r\n\t\u202ec\x85") == "a\\x1b[2Jb\\r\\n\\t\\u202ec\\x85"
    assert neutralise("正常的名字 ok") == "正常的名字 ok"
    assert neutralise("\ud800") == "\\ud800"
    assert (redact_url("https://user:pw@qms.example:8443/in?token=abc&x=1")
            == "https://***@qms.example:8443/in?token=***&x=1")
    assert redact_url("https://qms.example/in") == "https://qms.example/in"
