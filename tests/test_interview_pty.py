"""`qcheck profile init` through a real pseudo-terminal, answered as a person would."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import signal
import sys
from pathlib import Path

import pexpect
import pytest

from conftest import ROOT
from qcompliance import ChecklistSet, evaluate, load_checklists, load_profile
from qcompliance.selfcheck import records_columns

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="pexpect.spawn needs a POSIX pty"),
]

PROMPT = "> "
QUESTION = re.compile(r"\[(?:第 \d+ 题，共约 \d+ 题|Question \d+ of about \d+)\] \(([a-z0-9_.]+)\)")
NUMBERS = re.compile(r"\[(?:第 (\d+) 题，共约 (\d+) 题|Question (\d+) of about (\d+))\]")


class Session:
    """One `python -m qcompliance.cli.profile` process on a pty, with its transcript."""

    def __init__(self, *args: str) -> None:
        self.child = pexpect.spawn(
            sys.executable, ["-m", "qcompliance.cli.profile", *args], cwd=str(ROOT),
            encoding="utf-8", timeout=60, dimensions=(50, 200),
            env={"PYTHONIOENCODING": "utf-8", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"},
        )
        self.child.delaybeforesend = None  # no pause before each answer
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
    "company.name": "闽江机械制造有限公司",
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
    """The name, then the gating questions come first; a wrong answer is re-asked, '?' is
    unknown, and consumer recall questions never come."""
    out = tmp_path / "my.toml"
    session = Session("init", str(out), "--checklist", "cn-recall", "--as-of", "2026-11-20")
    asked = []
    while (key := session.question()) is not None:
        asked.append(key)
        if key == "company.credit_code":
            session.answer("91350100M000100Y44")  # wrong check character
            session.child.expect_exact("✗")
            session.child.expect_exact(PROMPT)
            assert "末位应为“3”" in session.child.before
            session.answer("91350100M000100Y43")
            continue
        session.answer(ANSWERS.get(key, "?"))
    assert session.finish() == 0
    assert asked[:5] == ["company.name", "company.produces", "company.sells",
                         "company.product_categories", "company.industry"]
    assert asked.index("company.credit_code") > asked.index("company.exports")
    assert "第 1 题，共约" in session.text
    assert "已写入" in session.text
    assert "company.sells_online" in asked  # answered "?"
    assert not [k for k in asked if k.startswith("recall.")]
    assert "recall." not in session.text
    assert "company.size" not in asked  # derived from staff and revenue
    profile = load_profile(out)
    assert profile.name == "闽江机械制造有限公司"
    assert profile.facts["company.credit_code"].value == "91350100M000100Y43"
    assert profile.facts["company.province"].value == "350000"  # GB/T 2260 code of Fujian
    assert profile.facts["company.sells_to_consumers"].value is False
    assert profile.facts["company.size"].value == "small"
    assert "company.sells_online" not in profile.facts
    assert "# sells_online = ?" in out.read_text(encoding="utf-8")


def test_unknown_gating_question_is_asked_again_plainly(tmp_path: Path) -> None:
    """'Don't know' on a gating question asks it again in plainer words with the likely
    answer, which Enter accepts."""
    out = tmp_path / "my.toml"
    session = Session("init", str(out), "-c", "cn-recall", "--as-of", "2026-11-20")
    assert session.question() == "company.name"
    session.answer("闽江机械制造有限公司")
    assert session.question() == "company.produces"
    session.answer("是")
    assert session.question() == "company.sells"
    session.answer("?")
    assert session.question() == "company.sells"  # again, in other words
    assert "换个问法" in session.text
    assert "可能是：是（直接回车即采用）" in session.text
    session.answer("")
    assert session.question() == "company.product_categories"
    session.child.sendintr()
    assert session.finish() == 130
    assert load_profile(out).facts["company.sells"].value is True


def test_interrupt_then_resume_in_a_terminal(tmp_path: Path) -> None:
    """Ctrl-C saves what was answered; running again asks only what is still missing."""
    out = tmp_path / "my.toml"
    first = Session("init", str(out), "-c", "cn-recall", "--lang", "en")
    assert first.question() == "company.name"
    assert "What is the company's registered name?" in first.text
    assert "[Question 1 of about " in first.text
    first.answer("Minjiang Machinery Co., Ltd.")
    assert first.question() == "company.produces"
    assert "[Question 2 of about " in first.text
    first.answer("yes")
    assert first.question() == "company.sells"
    first.child.sendintr()
    assert first.finish() == 130
    assert "Interrupted." in first.text
    assert load_profile(out).facts["company.produces"].value is True
    assert load_profile(out).name == "Minjiang Machinery Co., Ltd."

    second = Session("init", str(out), "-c", "cn-recall", "--lang", "en")
    assert second.question() == "company.sells"
    assert "Resuming" in second.text
    asked = ["company.sells"]
    second.answer("y")
    while (key := second.question()) is not None:
        asked.append(key)
        if key == "company.province":
            second.answer("fujain")  # a typo: rejected with a suggestion
            second.child.expect_exact(PROMPT)
            assert "did you mean 'fujian'?" in second.child.before
            second.answer("fujian")
            continue
        second.answer(ANSWERS.get(key, "?"))
    assert second.finish() == 0
    assert "company.produces" not in asked
    assert "company.name" not in asked
    assert "company.province" in asked
    profile = load_profile(out)
    assert profile.facts["company.produces"].value is True
    assert profile.facts["company.province"].value == "350000"  # GB/T 2260 code of Fujian
    assert "company.credit_code" not in profile.facts
    assert (tmp_path / "my.toml.bak").exists()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_termination_signal_keeps_the_answers(tmp_path: Path, signum: int) -> None:
    """SIGTERM (a kill) and SIGHUP (a closed terminal) save what was answered, as Ctrl-C does,
    and exit with 128 + the signal's number."""
    out = tmp_path / "my.toml"
    session = Session("init", str(out), "-c", "cn-recall", "--lang", "en")
    assert session.question() == "company.name"
    session.answer("Minjiang Machinery Co., Ltd.")
    assert session.question() is not None  # the next question is open when the signal comes
    session.child.kill(signum)
    session.child.expect(pexpect.EOF)
    session.transcript.append(session.child.before)
    session.child.close()
    assert session.child.exitstatus == 128 + signum
    assert "Interrupted." in session.text
    assert load_profile(out).name == "Minjiang Machinery Co., Ltd."


# ---------------------------------------------------------------- counting the questions

FOOD = ROOT / "examples" / "small-food-producer.toml"


def _typed(value: object) -> str:
    """A fact value as a person would type it at the prompt."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value) if value else "无"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@functools.cache
def _catalogue() -> ChecklistSet:
    """The built-in checklists, loaded once for this file (loading costs about a second)."""
    return load_checklists()


def _records_csv(key: str, records: tuple[dict[str, object], ...], folder: Path) -> Path:
    """The records of ``key`` as a CSV file with the columns the template names."""
    columns = records_columns(_catalogue().facts[key])
    path = folder / f"{key}.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for record in records:
            writer.writerow([_typed(record[c]) if c in record else "" for c in columns])
    return path


def _answer_as_the_food_producer(session: Session, folder: Path) -> tuple[list[str], list[int]]:
    """Answer every question from the example profile (records from CSV files); the keys
    asked and the "about N" of each question."""
    profile = load_profile(FOOD)
    asked: list[str] = []
    totals: list[int] = []
    while (key := session.question()) is not None:
        numbers = NUMBERS.findall(session.text)[-1]
        n, total = (int(x) for x in (numbers[:2] if numbers[0] else numbers[2:]))
        assert n == len(asked) + 1  # every question says which it is
        asked.append(key)
        totals.append(total)
        fact = profile.facts.get(key)
        if fact is None or fact.derived_from:
            session.answer("?")
        elif isinstance(fact.value, tuple) and fact.value and isinstance(fact.value[0], dict):
            session.answer(str(_records_csv(key, fact.value, folder)))
        else:
            session.answer(_typed(fact.value))
    return asked, totals


def test_quick_interview_of_the_small_food_producer(tmp_path: Path) -> None:
    """`init --quick` asks the small food producer at most 45 questions, each 'n of about N'
    (40 before the five sector gating questions of 2026-12 that apply to it)."""
    out = tmp_path / "quick.toml"
    session = Session("init", str(out), "--quick", "--as-of", "2026-11-20")
    asked, totals = _answer_as_the_food_producer(session, tmp_path)
    assert session.finish() == 0
    assert len(asked) <= 45
    assert asked[:2] == ["company.name", "company.produces"]
    assert abs(totals[-1] - len(asked)) <= 3  # the estimate has converged by the end
    assert "题，共约" in session.text
    # Only what decides whether mandatory items apply: no question about how they are met.
    assert "cqo.has_veto" not in asked
    assert "food_safety.min_training_hours_12m" not in asked


def test_full_interview_of_the_small_food_producer(tmp_path: Path) -> None:
    """The full interview, answered as the example profile with its records imported from CSV
    files, asks each question once and writes a profile that assesses like the example."""
    out = tmp_path / "full.toml"
    session = Session("init", str(out), "--as-of", "2026-11-20")
    asked, totals = _answer_as_the_food_producer(session, tmp_path)
    assert session.finish() == 0
    assert len(asked) == len(set(asked))
    assert 100 <= len(asked) <= 190  # today: 175 questions, no record typed field by field
    assert "  (date)" not in session.text
    assert max(totals) < 2 * len(asked)
    checklists = _catalogue()
    day = dt.date(2026, 11, 20)
    written = evaluate(load_profile(out, checklists.facts), checklists, day)
    example = evaluate(load_profile(FOOD, checklists.facts), checklists, day)
    assert [(r.item, r.verdict) for r in written.results] == [
        (r.item, r.verdict) for r in example.results]
