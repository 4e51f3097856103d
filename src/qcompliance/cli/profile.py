"""``qcheck profile init|template|validate`` and ``qcheck schema``: a thin door over the library.

The interview, the template, validation and the schemas live in :mod:`qcompliance.selfcheck`
and :mod:`qcompliance.authoring.schema`; this module parses options, reads the terminal and
prints. ``python -m qcompliance.cli.profile`` runs :data:`profile_app` alone.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from qcompliance.authoring.schema import schema, schema_text
from qcompliance.cli.common import LangOption, as_of_day, errors_to_exit_2, lang_from_env
from qcompliance.cli.interview import run_in_terminal, save
from qcompliance.cli.pack import available_checklists
from qcompliance.errors import Problem, QComplianceError, UsageError
from qcompliance.loading.files import write_atomic
from qcompliance.loading.load import load_profile
from qcompliance.messages import localized
from qcompliance.model import FactSpec, FactType, Lang
from qcompliance.selfcheck import (
    Interview,
    interview_from_answers,
    read_answers,
    records_template,
    say,
    validate_profile,
)
from qcompliance.selfcheck.template import profile_template, template_specs
from qcompliance.suggest import did_you_mean
from qcompliance.textsafe import neutralise

__all__ = ["profile_app", "schema_command"]

profile_app = typer.Typer(
    name="profile",
    help="Write and check a company profile (编写和检查企业档案).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



class SchemaOption(str, enum.Enum):
    """The formats ``qcheck schema`` describes."""

    profile = "profile"
    checklist = "checklist"
    assessment = "assessment"
    assessment_compact = "assessment-compact"
    assessment_summary = "assessment-summary"
    batch_row = "batch-row"
    tailoring = "tailoring"
    waivers = "waivers"




class RecordsFormat(str, enum.Enum):
    """The sheet formats of ``qcheck profile template --records``."""

    csv = "csv"
    xlsx = "xlsx"


def _records_template(facts: Mapping[str, FactSpec], key: str, fmt: Literal["csv", "xlsx"],
                      lang: Lang, output: Path | None) -> None:
    """Write the empty sheet of records fact ``key`` to ``output`` or stdout."""
    spec = facts.get(key)
    if spec is None or spec.type is not FactType.RECORDS:
        keys = sorted(k for k, s in facts.items() if s.type is FactType.RECORDS)
        raise UsageError(Problem(say("records.not_records", lang, key=key,
                                     keys=", ".join(keys)) + did_you_mean(key, keys)))
    data = records_template(spec, fmt, lang=lang)
    if output is not None:
        write_atomic(output, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _problems(problems: Iterable[Problem], lang: Lang, header: str | None = None) -> None:
    """Every problem on its own stderr line, then their count."""
    listed = list(problems)
    if header:
        typer.echo(header, err=True)
    # Capped: ten thousand lines help nobody; the count says how many there are.
    for problem in listed[:_SHOWN]:
        typer.echo(neutralise(localized(QComplianceError(problem), lang)), err=True)
    if len(listed) > _SHOWN:
        typer.echo(f"... ({len(listed) - _SHOWN})", err=True)
    typer.echo(say("cli.problems", lang, n=len(listed)), err=True)


_SHOWN = 100
"""Problems listed one per line by profile init and validate; the rest are counted."""


@profile_app.command("init")
def init(
    profile: Annotated[Path, typer.Argument(
        help="Profile to write or resume (写入或继续填写的档案), TOML.")] = Path("profile.toml"),
    lang: Annotated[LangOption, typer.Option(
        "--lang", callback=lang_from_env,
        help="Language of the questions (提问语言).")] = LangOption.zh,
    checklist: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045 - typer needs Optional
        "--checklist", "-c", help="Ask only what these checklists need; repeatable "
        "(只询问这些检查清单需要的问题). Default: every built-in checklist.")] = None,
    answers: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional
        "--answers", help="Take the answers from this TOML or JSON file instead of asking "
        "(从文件读取答案，不提问).")] = None,
    as_of: Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
        "--as-of", help="Assessment day, YYYY-MM-DD (评估日，默认今天).")] = None,
    quick: Annotated[bool, typer.Option(
        "--quick", help="Ask what decides which mandatory items apply, then what the most "
        "serious of them need, 45 questions at most (快速模式：先问决定法定义务是否适用的问题，"
        "再问最要紧的法定义务所需的情况，至多 45 题).")] = False,
) -> None:
    """Write a profile by answering questions; resume one that is incomplete.

    回答问题生成企业档案；已有档案则只询问尚缺的问题。--answers 也接受一份档案
    （含 { value, evidence } 写法）。
    """
    language: Lang = lang.value
    with errors_to_exit_2(lang.value):
        day = as_of_day(as_of)
        if profile.suffix.lower() == ".json":
            raise UsageError(Problem(say("cli.not_toml", language), file=str(profile)))
        if not profile.parent.is_dir():  # found out now, not after the last question
            raise UsageError(Problem(say("cli.no_folder", language), file=str(profile)))
        checklists = available_checklists(checklist or None)
        existing = None
        if profile.exists():
            try:
                existing = load_profile(profile, checklists.facts)
            except QComplianceError as exc:
                _problems(exc.problems, language,
                          say("cli.bad_profile", language, path=profile))
                raise typer.Exit(2) from None
        if answers is not None:
            try:
                read = read_answers(answers, checklists.facts, lang=language)
                interview = interview_from_answers(checklists, read, profile=existing,
                                                   lang=language, as_of=day, tell=typer.echo,
                                                   quick=quick)
            except QComplianceError as exc:
                _problems(exc.problems, language)
                raise typer.Exit(2) from None
            save(interview, profile)
            typer.echo(say("cli.next", language, path=profile))
            return
        if existing is not None:
            interview = Interview.resume(checklists, existing, lang=language, as_of=day,
                                         quick=quick)
            typer.echo(say("cli.resume", language, path=profile, n=len(interview.facts)))
        else:
            interview = Interview(checklists, language, day, quick=quick)
            typer.echo(say("cli.start", language, path=profile))
        run_in_terminal(interview, profile)
        typer.echo(say("cli.next", language, path=profile))


@profile_app.command("template")
def template(
    checklist: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045 - typer needs Optional
        "--checklist", "-c", help="Only the facts these checklists read; repeatable "
        "(只列出这些检查清单读取的事实). Default: every built-in checklist.")] = None,
    lang: Annotated[LangOption, typer.Option(
        "--lang", callback=lang_from_env,
        help="Language of the comments (注释语言).")] = LangOption.zh,
    as_of: Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
        "--as-of", help="Day used as the placeholder of dates (日期占位值，默认今天).")] = None,
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional
        "--output", "-o", help="Write to FILE instead of stdout (写入文件).")] = None,
    records: Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
        "--records", help="Instead, an empty sheet for the records fact KEY, to fill in and "
        "import at the interview (输出某项记录类事实的空白表格，填好后可在访谈中导入).")] = None,
    fmt: Annotated[RecordsFormat, typer.Option(
        "--format", help="Format of the --records sheet: csv or xlsx (表格格式).")
    ] = RecordsFormat.csv,
) -> None:
    """Print a profile skeleton: every fact the checklists read, explained and commented out.

    输出档案模板：列出检查清单读取的每项事实及其说明，均已注释。
    """
    with errors_to_exit_2(lang.value):
        checklists = available_checklists(checklist or None)
        if records is not None:
            _records_template(checklists.facts, records, fmt.value, lang.value, output)
            return
        text = profile_template(template_specs(checklists), lang=lang.value,
                                as_of=as_of_day(as_of))
        if output is not None:
            write_atomic(output, text)
        else:
            sys.stdout.write(text)


@profile_app.command("validate")
def validate(
    profile: Annotated[Path, typer.Argument(help="Profile to check (要检查的档案).")],
    as_of: Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
        "--as-of", help="Assessment day, YYYY-MM-DD; later dates of past-only facts are "
        "errors (评估日，默认今天).")] = None,
    checklist: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045 - typer needs Optional
        "--checklist", "-c", help="Also load these checklists' facts; repeatable "
        "(另行加载的检查清单).")] = None,
    lang: Annotated[LangOption, typer.Option(
        "--lang", callback=lang_from_env,
        help="Language of the messages (提示语言).")] = LangOption.zh,
) -> None:
    """Report every problem of a profile at once; exit 0 when clean, 2 otherwise.

    一次列出档案的全部问题；没有问题时退出码为 0，否则为 2。
    """
    language: Lang = lang.value
    with errors_to_exit_2(lang.value):
        day = as_of_day(as_of)
        checklists = available_checklists(checklist or None)
        result = validate_profile(profile, checklists.facts, as_of=day, lang=language)
    if not result.ok:
        _problems(result.problems, language)
        raise typer.Exit(2)
    count = len(result.profile.facts) if result.profile is not None else 0
    typer.echo(say("cli.valid", language, path=profile, n=count, as_of=day.isoformat()))


def schema_command(
    kind: Annotated[SchemaOption, typer.Argument(
        help="Which format (哪种文件格式): profile, checklist, assessment, "
        "assessment-compact, assessment-summary, batch-row, tailoring or waivers.")],
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional
        "--output", "-o", help="Write to FILE instead of stdout (写入文件).")] = None,
) -> None:
    """Print the JSON Schema of a file format, generated from the models.

    输出文件格式的 JSON Schema（由数据模型生成）。
    """
    with errors_to_exit_2():
        text = schema_text(schema(kind.value))
        if output is not None:
            write_atomic(output, text)
        else:
            sys.stdout.write(text)


if __name__ == "__main__":
    profile_app()
