"""``qcheck batch``: check a whole portfolio of companies, and write the supplier questionnaire.

``qcheck batch INPUT`` is short for ``qcheck batch run INPUT``. Exit codes: 0 every company
loaded and none fails at ``--fail-on``; 1 one or more fail; 2 the batch could not run at all;
3 an internal error; 4 one or more could not be loaded (their rows carry the error; the others
are complete). 3 is the code of every qcheck command for a bug, so a load error gets its own.
The batch modules (and Jinja2, openpyxl, Dask, rich's progress bar) load only when a batch runs,
so ``qcheck --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import enum
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from typer.core import TyperGroup

from qcompliance import limits
from qcompliance.cli.common import LangOption, as_of_day, errors_to_exit_2, lang_from_env
from qcompliance.cli.pack import LOCK_FILE, CacheDirOption, LockFileOption, run_checklists
from qcompliance.engine.scoring import FailOn
from qcompliance.errors import Problem, UsageError
from qcompliance.loading.files import write_atomic
from qcompliance.messages import english
from qcompliance.model import Lang, Text

if TYPE_CHECKING:
    from qcompliance.batch.work import Outcome

__all__ = ["batch_app"]


class _DefaultRun(TyperGroup):
    """A group whose default command is ``run``: ``qcheck batch IN`` = ``qcheck batch run IN``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


batch_app = typer.Typer(
    cls=_DefaultRun, no_args_is_help=True,
    help="Check many companies in one run; write the supplier questionnaire "
         "(批量检查与供应商问卷). `qcheck batch INPUT` runs a batch.")


class Detail(str, enum.Enum):
    """Forms of the assessment documents of ``--assessments``."""

    compact = "compact"
    full = "full"


class TemplateFormat(str, enum.Enum):
    """Formats of the supplier questionnaire."""

    xlsx = "xlsx"
    csv = "csv"


_TALLY = Text("qcheck: {companies} 家企业：{evaluated} 家已评估，{blocking} 家不符合（--fail-on），"
              "{errors} 家无法读取",
              "qcheck: {companies} companies: {evaluated} evaluated, {blocking} failing "
              "(--fail-on), {errors} could not be loaded")


@contextlib.contextmanager
def _executor(jobs: int, dask: str | None) -> Iterator[Executor | None]:
    if dask is not None:
        from qcompliance.batch.distributed import dask_executor

        with dask_executor(dask, jobs) as executor:
            yield executor
    elif jobs > 1:
        from qcompliance.batch.run import process_pool

        with process_pool(jobs) as pool:
            yield pool
    else:
        yield None


@contextlib.contextmanager
def _progress(total: int | None) -> Iterator[Callable[[Any], None]]:
    """A rich progress bar on stderr when stderr is a terminal; nothing when it is not."""
    if not sys.stderr.isatty():
        yield lambda _: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("qcheck batch"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("batch", total=total)
        yield lambda _: bar.advance(task)


@batch_app.command("run")
def run_command(
    source: Annotated[Path, typer.Argument(
        metavar="INPUT", help="A folder of profiles, a .jsonl, .csv or .xlsx file.")],
    checklist: Annotated[list[str] | None, typer.Option(
        "--checklist", "-c", help="Built-in checklist id or a path; repeatable. "
        "Default: every built-in checklist that applies.")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Assessment day, YYYY-MM-DD (default: today).")] = None,
    summary: Annotated[Path | None, typer.Option(
        "--summary", help="Summary, one row per company: .csv or .jsonl "
        "(default: CSV on stdout).")] = None,
    assessments: Annotated[Path | None, typer.Option(
        "--assessments", help="Every assessment document, one per line (.jsonl).")] = None,
    detail: Annotated[Detail, typer.Option(
        "--detail", help="Form of the assessments: compact (names the checklists by sha256) "
        "or full (self-contained).")] = Detail.compact,
    report: Annotated[list[Path] | None, typer.Option(
        "--report", help="Portfolio report: .html or .xlsx; repeatable.")] = None,
    lang: Annotated[LangOption, typer.Option(
        "--lang", callback=lang_from_env, help="Language of the reports.")
                    ] = LangOption.zh,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="Exit 1 when a company fails an item at this level.")
                       ] = FailOn.MANDATORY,
    fail_on_unknown: Annotated[bool, typer.Option(
        "--fail-on-unknown", help="Also exit 1 when such an item is unknown.")] = False,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=1, help="Worker processes (with --dask local: Dask workers).")] = 1,
    dask: Annotated[str | None, typer.Option(
        "--dask", metavar="ADDRESS", help="Run on Dask: a scheduler address "
        "(tcp://host:8786) or 'local'. Needs qcompliance[dask].")] = None,
    chunk_size: Annotated[int, typer.Option(
        "--chunk-size", min=1, help="Companies per unit of work sent to a worker.")] = 100,
    tailoring: Annotated[Path | None, typer.Option(
        "--tailoring", help="Tailoring file applied to every company (as qcheck run "
        "--tailoring).")] = None,
    waivers: Annotated[Path | None, typer.Option(
        "--waivers", help="Waivers file applied to every company.")] = None,
    locked: Annotated[bool, typer.Option(
        "--locked", help="Evaluate with exactly the packs pinned in the lock file.")] = False,
    offline: Annotated[bool, typer.Option(
        "--offline", help="Never use the network: locked packs must be in the cache.")] = False,
    lock_file: LockFileOption = Path(LOCK_FILE),
    cache_dir: CacheDirOption = None,
    title: Annotated[str | None, typer.Option(
        "--title", help="Title of the portfolio report (default: a neutral overview).")
                     ] = None,
    company_reports: Annotated[Path | None, typer.Option(
        "--company-reports", metavar="DIR", help="Also write each company's own HTML report "
        "into DIR, linked from the portfolio report.")] = None,
    company_pdf: Annotated[bool, typer.Option(
        "--company-pdf", help="With --company-reports: a PDF beside each HTML "
        "(needs qcompliance[pdf]).")] = False,
    max_line_bytes: Annotated[int, typer.Option(
        "--max-line-bytes", min=1, help="Longest line of a .jsonl or .csv INPUT.")
                              ] = limits.MAX_LINE_BYTES,
    max_workbook_bytes: Annotated[int, typer.Option(
        "--max-workbook-bytes", min=1, help="Most an .xlsx INPUT may unzip to.")
                                  ] = limits.MAX_XLSX_TOTAL_BYTES,
) -> None:
    """Evaluate every company of INPUT; write a summary, assessments and portfolio reports."""
    from qcompliance.batch.output import AssessmentsWriter, SummaryWriter
    from qcompliance.batch.run import batch_collector, run_batch
    from qcompliance.batch.sources import open_source
    from qcompliance.batch.work import Job
    from qcompliance.engine.tailoring import load_tailoring_and_waivers

    language: Lang = lang.value
    with errors_to_exit_2(lang.value):
        reports = list(report or [])
        for path in reports:
            if path.suffix.lower() not in (".html", ".htm", ".xlsx"):
                raise UsageError(Problem(english("batch.portfolio_kind"),
                                         file=str(path), key="--report"))
        if company_pdf and company_reports is None:
            raise UsageError(Problem(english("batch.company_pdf"),
                                     key="--company-pdf"))
        checklists = run_checklists(checklist or None, locked=locked, offline=offline,
                                    lock_file=lock_file, cache_dir=cache_dir)
        tailored, accepted, rejected = load_tailoring_and_waivers(
            tailoring, waivers, known=checklists.known_ids)
        documents_form: Literal["full", "compact"] | None = (
            detail.value if assessments is not None
            else "compact" if company_reports is not None else None)
        job = Job(checklists, as_of_day(as_of), not checklist, fail_on, fail_on_unknown,
                  assessments=documents_form, tailoring=tailored, waivers=tuple(accepted),
                  waiver_problems=tuple(rejected))
        ids = [c.id for c in checklists]
        opened = open_source(source, checklists.facts,
                             limits.BatchLimits(max_line_bytes, max_workbook_bytes))
        sinks: list[Callable[[Outcome], None]] = []
        with contextlib.ExitStack() as stack:
            stack.enter_context(batch_collector())
            if summary is not None:
                writer = SummaryWriter(summary, ids)
                assert writer.file is not None
                stack.enter_context(writer.file)
            else:
                writer = SummaryWriter.stream(sys.stdout, ids)
            sinks.append(writer.write)
            if assessments is not None:
                documents = AssessmentsWriter(assessments)
                stack.enter_context(documents.file)
                sinks.append(documents.write)
            portfolio = None
            if reports:
                from qcompliance.batch.portfolio import Portfolio

                portfolio = Portfolio(checklists, job.as_of, title=title)
                sinks.append(portfolio.add)
            if company_reports is not None:
                from qcompliance.batch.company_reports import CompanyReports

                sinks.append(CompanyReports(
                    company_reports, checklists, language, portfolio,
                    ("html", "pdf") if company_pdf else ("html",)).add)
            executor = stack.enter_context(_executor(jobs, dask))
            advance = stack.enter_context(_progress(opened.total))
            sinks.append(advance)

            def sink(outcome: Outcome) -> None:
                for each in sinks:
                    each(outcome)

            stats = run_batch(opened.entries, job, sink, executor=executor,
                              chunk_size=chunk_size)
            if portfolio is not None:
                from qcompliance.batch.portfolio import (
                    render_portfolio_html,
                    render_portfolio_xlsx,
                )

                for path in reports:
                    write_atomic(path, render_portfolio_xlsx(portfolio, language)
                                 if path.suffix.lower() == ".xlsx"
                                 else render_portfolio_html(portfolio, language,
                                                            path.resolve().parent))
        typer.echo(_TALLY.get(language).format(
            companies=stats.companies, evaluated=stats.companies - stats.load_errors,
            blocking=stats.blocking, errors=stats.load_errors), err=True)
    raise typer.Exit(stats.exit_code)


@batch_app.command("template")
def template_command(
    checklist: Annotated[list[str] | None, typer.Option(
        "--checklist", "-c", help="Ask for the facts these checklists read; repeatable. "
        "Default: every built-in checklist.")] = None,
    fmt: Annotated[TemplateFormat, typer.Option("--format", "-f", help="xlsx or csv.")
                   ] = TemplateFormat.xlsx,
    lang: Annotated[LangOption, typer.Option(
        "--lang", callback=lang_from_env, help="Language of the questions.")
                    ] = LangOption.zh,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to FILE (required for xlsx; CSV goes to stdout "
        "otherwise).")] = None,
) -> None:
    """Write the supplier questionnaire: one column per fact; the filled sheet is an INPUT."""
    from qcompliance.batch.questionnaire import (
        questionnaire_csv,
        questionnaire_facts,
        questionnaire_xlsx,
    )

    language: Lang = lang.value
    with errors_to_exit_2(lang.value):
        checklists = run_checklists(checklist or None, locked=False, offline=False,
                                    lock_file=Path(LOCK_FILE), cache_dir=None)
        facts = questionnaire_facts(checklists)
        if fmt is TemplateFormat.csv:
            text = questionnaire_csv(facts, language)
            if output is None:
                sys.stdout.write(text)
            else:
                write_atomic(output, text)
            return
        if output is None:
            raise UsageError(Problem(english("output.binary"),
                                     key="--output"))
        write_atomic(output, questionnaire_xlsx(facts, language))
