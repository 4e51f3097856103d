"""`qcheck profile init` through a real pseudo-terminal, answered as a person would."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from qcompliance import load_profile

pexpect = pytest.importorskip("pexpect")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="pexpect.spawn needs a POSIX pty"),
]

PROMPT = "> "
QUESTION = re.compile(r"\[\d+\] \(([a-z0-9_.]+)\)")


class Session:
    """One `python -m qcompliance.cli.profile` process on a pty, with its transcript."""

    def __init__(self, *args: str) -> None:
        self.child = pexpect.spawn(
            sys.executable, ["-m", "qcompliance.cli.profile", *args], cwd=str(ROOT),
            encoding="utf-8", timeout=30, dimensions=(50, 200),
            env={"PYTHONIOENCODING": "utf-8", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"},
        )
        self.transcript: list[str] = []

    def question(self) -> str | None:
        """Wait for the next question; its fact key, or None when the program ended."""
        index = self.child.expect([QUESTION, pexpect.EOF])
        self.transcript.append(self.child.before)
        if index == 1:
            return None
        key: str = self.child.match.group(1)
        self.transcript.append(self.child.match.group(0))
        self.child.expect_exact(PROMPT)
        self.transcript.append(self.child.before + PROMPT)
        return key

    def answer(self, text: str) -> None:
        """Type ``text`` and Enter."""
        self.child.sendline(text)

    def finish(self) -> int:
        """Wait for the end; the exit status."""
        self.child.expect(pexpect.EOF)
        self.transcript.append(self.child.before)
        self.child.close()
        return int(self.child.exitstatus)

    @property
    def text(self) -> str:
        """Everything the program printed so far."""
        return "".join(self.transcript)


# A producer of industrial goods that sells to businesses only.
ANSWERS = {
    "company.province": "13",  # by its number in the list: fujian
    "company.industry": "C",
    "company.employees": "120",
    "company.revenue_10k_yuan": "5000",
    "company.produces": "是",
    "company.sells": "y",
    "company.sells_to_consumers": "否",
    "company.imports": "n",
    "company.exports": "n",
    "company.product_categories": "industrial_products",
}


def test_interview_in_a_terminal(tmp_path: Path) -> None:
    """A wrong answer is re-asked, '?' is unknown, and consumer recall questions never come."""
    out = tmp_path / "my.toml"
    session = Session("init", str(out), "--checklist", "cn-recall", "--as-of", "2026-11-20")
    assert session.question() == "company.name"
    session.answer("闽江机械制造有限公司")
    assert session.question() == "company.credit_code"
    session.answer("91350100M000100Y44")  # wrong check character
    session.child.expect_exact("✗")
    session.child.expect_exact(PROMPT)
    assert "末位应为“3”" in session.child.before
    session.answer("91350100M000100Y43")
    asked = ["company.name", "company.credit_code"]
    while (key := session.question()) is not None:
        asked.append(key)
        session.answer(ANSWERS.get(key, "?"))
    assert session.finish() == 0
    assert "已写入" in session.text
    assert "company.sells_online" in asked  # answered "?"
    assert not [k for k in asked if k.startswith("recall.")]
    assert "recall." not in session.text
    assert "company.size" not in asked  # derived from staff and revenue
    profile = load_profile(out)
    assert profile.name == "闽江机械制造有限公司"
    assert profile.facts["company.province"].value == "fujian"
    assert profile.facts["company.sells_to_consumers"].value is False
    assert profile.facts["company.size"].value == "small"
    assert "company.sells_online" not in profile.facts
    assert "# sells_online = ?" in out.read_text(encoding="utf-8")


def test_interrupt_then_resume_in_a_terminal(tmp_path: Path) -> None:
    """Ctrl-C saves what was answered; running again asks only what is still missing."""
    out = tmp_path / "my.toml"
    first = Session("init", str(out), "-c", "cn-recall", "--lang", "en")
    assert first.question() == "company.name"
    assert "What is the company's registered name?" in first.text
    first.answer("Minjiang Machinery Co., Ltd.")
    assert first.question() == "company.credit_code"
    first.child.sendintr()
    assert first.finish() == 130
    assert "Interrupted." in first.text
    assert load_profile(out).name == "Minjiang Machinery Co., Ltd."

    second = Session("init", str(out), "-c", "cn-recall", "--lang", "en")
    assert second.question() == "company.credit_code"
    assert "Resuming" in second.text
    second.answer("unknown")
    assert second.question() == "company.province"
    second.answer("fujain")  # a typo: rejected with a suggestion
    second.child.expect_exact(PROMPT)
    assert "did you mean 'fujian'?" in second.child.before
    second.answer("fujian")
    asked = []
    while (key := second.question()) is not None:
        asked.append(key)
        second.answer(ANSWERS.get(key, "?"))
    assert second.finish() == 0
    assert "company.name" not in asked
    assert "company.credit_code" not in asked
    profile = load_profile(out)
    assert profile.name == "Minjiang Machinery Co., Ltd."
    assert profile.facts["company.province"].value == "fujian"
    assert "company.credit_code" not in profile.facts
    assert (tmp_path / "my.toml.bak").exists()
