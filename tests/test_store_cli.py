"""The workspace from the terminal: ``run --store``, ``history``, tokens, export/import and
backup, each with one-line errors and exit code 2 on bad input."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from serving import QCHECK

from qcompliance.store import Store
from qcompliance.store.tokens import principal_of

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "small-food-producer.toml"
USCC = "91350100M000100Y43"


def qcheck(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed qcheck."""
    return subprocess.run([str(QCHECK), *args], capture_output=True, text=True, check=False)


def test_run_store_then_history(store_url: str, tmp_path: Path) -> None:
    """Two runs are kept with their profile versions; history shows the trend and the gap
    that opened between them, in zh and en, and as JSON."""
    first = qcheck("run", str(EXAMPLE), "--as-of", "2026-11-20", "-q", "--store", store_url)
    assert first.returncode == 1, first.stderr  # the example has mandatory gaps
    assert "第 1 号评估" in first.stderr
    changed = tmp_path / "p2.toml"
    changed.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        "appointed = false", "appointed = true"), encoding="utf-8")
    second = qcheck("run", str(changed), "--as-of", "2026-12-20", "-q", "--store", store_url)
    assert "档案第 2 版" in second.stderr
    text = qcheck("history", USCC, "--store", store_url)
    assert text.returncode == 0, text.stderr
    assert "2026-11-20" in text.stdout
    assert "2026-12-20" in text.stdout
    assert "新增不符合 1 项" in text.stdout
    english = qcheck("history", USCC, "--store", store_url, "--lang", "en")
    assert "new failures 1" in english.stdout
    data = json.loads(qcheck("history", USCC, "--store", store_url, "--json").stdout)
    assert [a["profile_version"] for a in data["assessments"]] == [1, 2]
    assert len(data["assessments"][1]["new_failures"]) == 1


def test_token_create_keeps_only_a_digest(tmp_path: Path) -> None:
    """A company token is printed once and found by its digest; bad roles are one line."""
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    made = qcheck("serve", "token", "create", "--company", USCC, "--store", url)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    store = Store(url)
    who = principal_of(store, token)
    store.close()
    assert who is not None
    assert (who.role, who.uscc) == ("company", USCC)
    assert token.encode() not in (tmp_path / "w.sqlite3").read_bytes()
    bad = qcheck("serve", "token", "create", "--role", "king", "--store", url)
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1
    wrong = qcheck("serve", "token", "create", "--company", "123", "--store", url)
    assert wrong.returncode == 2
    assert "uscc" in wrong.stderr


def test_export_import_and_backup_commands(tmp_path: Path) -> None:
    """store export, import into a new workspace, backup: the same company comes back."""
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    qcheck("run", str(EXAMPLE), "--as-of", "2026-11-20", "-q", "--store", url)
    exported = qcheck("store", "export", str(tmp_path / "out"), "--store", url)
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "out" / "manifest.json").is_file()
    copy = f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    imported = qcheck("store", "import", str(tmp_path / "out"), "--store", copy)
    assert imported.returncode == 0, imported.stderr
    assert "1" in imported.stderr
    again = qcheck("store", "import", str(tmp_path / "out"), "--store", copy)
    assert again.returncode == 2
    assert "只能导入到空的工作区" in again.stderr
    backup = qcheck("store", "backup", str(tmp_path / "b.sqlite3"), "--store", url)
    assert backup.returncode == 0, backup.stderr
    history = qcheck("history", USCC, "--store", str(tmp_path / "b.sqlite3"))
    assert "2026-11-20" in history.stdout
    info = qcheck("store", "info", "--store", copy)
    assert "1 companies" in info.stdout


def test_bad_store_urls_are_one_line(tmp_path: Path) -> None:
    """A URL that is not one, or a database that cannot be reached, is exit 2, one line."""
    for url in ("nosuch://x", "postgresql://nobody@/x?host=" + str(tmp_path)):
        done = qcheck("history", USCC, "--store", url)
        assert done.returncode == 2, (url, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1
        assert "Traceback" not in done.stderr


def test_serve_with_a_bad_store_stops_before_listening(tmp_path: Path) -> None:
    """qcheck serve --store with a database it cannot open says so in one line, exit 2."""
    done = subprocess.run([str(QCHECK), "serve", "--port", "0", "--store", "nosuch://x"],
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 2
    assert "--store" in done.stderr
    assert "Traceback" not in done.stderr
