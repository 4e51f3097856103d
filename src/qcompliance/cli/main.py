"""The ``qcheck`` command: a thin door over the library.

It parses options, calls the library, prints, and turns any :class:`QComplianceError` into one
line on stderr and exit code 2. Exit-code rules and wording live in the library.
"""

from __future__ import annotations

import enum
import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.console import Console

from qcompliance.authoring.lint import lint_paths
from qcompliance.cli import pack
from qcompliance.cli.batch import batch_app
from qcompliance.cli.common import (
    LangOption,
    LocalizedGroup,
    as_of_day,
    errors_to_exit_2,
    lang_from_env,
)
from qcompliance.cli.history import history_command, store_run
from qcompliance.cli.impact import impact_command
from qcompliance.cli.plan import plan_app
from qcompliance.cli.profile import profile_app, schema_command
from qcompliance.cli.report_options import AppendixOption, DueConfigOption, report_options
from qcompliance.cli.serve import remote_assessment, serve_app
from qcompliance.cli.store import StoreOption, store_app
from qcompliance.engine.diff import diff, diff_exit_code
from qcompliance.engine.evaluate import evaluate
from qcompliance.engine.scoring import FailOn, exit_code
from qcompliance.engine.tailoring import load_tailoring_and_waivers
from qcompliance.errors import Problem, ProfileError, QComplianceError, UsageError
from qcompliance.i18n import user_lang
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.files import write_atomic
from qcompliance.loading.load import load_profile
from qcompliance.messages import english, localized, localized_message
from qcompliance.messages import message as say
from qcompliance.model import Assessment, Lang
from qcompliance.textsafe import neutralise, neutralise_lines
from qcompliance.version import __version__

if TYPE_CHECKING:  # the writers load on use: `qcheck --version` imports none of them
    from qcompliance.reports import ReportOptions

__all__ = ["app", "main"]

app = typer.Typer(
    name="qcheck",
    help="Check an enterprise against the quality obligations that apply to it "
         "(企业质量合规自查).",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    cls=LocalizedGroup,  # a bad command line is told in the user's language
    # Plain help text: rich's help panels import rich.table, which `qcheck --help` must not.
    rich_markup_mode=None,
)
checklists_app = typer.Typer(help="List, show and lint checklists.", no_args_is_help=True,
                             rich_markup_mode=None)
app.add_typer(checklists_app, name="checklists")
app.add_typer(profile_app, name="profile")
app.add_typer(plan_app, name="plan")
app.add_typer(batch_app, name="batch")
app.command("schema")(schema_command)
app.add_typer(pack.pack_app, name="pack")
app.command("pull")(pack.pull_command)
app.add_typer(serve_app, name="serve")
app.add_typer(store_app, name="store")
app.command("history")(history_command)
app.command("impact")(impact_command)


class Format(str, enum.Enum):
    """Output formats of ``qcheck run`` and ``qcheck report``."""

    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"
    pdf = "pdf"
    csv = "csv"
    xlsx = "xlsx"
    junit = "junit"
    ics = "ics"
    oscal = "oscal"


class Detail(str, enum.Enum):
    """The two forms of the assessment JSON (``--format json``)."""

    full = "full"
    compact = "compact"


DetailOption = Annotated[Detail, typer.Option(
    "--detail", help="JSON form: full (self-contained) or compact (names the catalogue by "
    "sha256; explanations of gaps only).")]


class DiffFormat(str, enum.Enum):
    """Output formats of ``qcheck diff``."""

    table = "table"
    markdown = "markdown"
    json = "json"
    html = "html"
    pdf = "pdf"
    xlsx = "xlsx"





def _emit(text: str | bytes, output: Path | None) -> None:
    if output is not None:
        write_atomic(output, text)
    elif isinstance(text, bytes):
        raise UsageError(Problem(english("output.binary"), key="--output"))
    else:
        sys.stdout.write(text)


@app.command()
def run(
    profile: Annotated[Path, typer.Argument(help="Company profile (TOML or JSON).")],
    checklist: Annotated[list[str] | None, typer.Option(
        "--checklist", "-c", help="Built-in checklist id or a path; repeatable. "
        "Default: every built-in checklist that applies.")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Assessment day, YYYY-MM-DD (default: today).")] = None,
    fmt: Annotated[list[str] | None, typer.Option(
        "--format", "-f", help="Output format, or FORMAT:FILE to write a file beside the terminal "
        "summary; repeatable (json:a.json --format html:a.html). Formats: "
        + ", ".join(f.value for f in Format) + ".")] = None,
    lang: Annotated[LangOption, typer.Option(
        "--lang", callback=lang_from_env, help="Language of the output.")
                    ] = LangOption.zh,
    show_all: Annotated[bool, typer.Option(
        "--all", help="Every result in full instead of the summary.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="One line only.")] = False,
    no_color: Annotated[bool, typer.Option(
        "--no-color", help="No colours (also when NO_COLOR is set).")] = False,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="Exit 1 when an item at this level fails.")] = FailOn.MANDATORY,
    fail_on_unknown: Annotated[bool, typer.Option(
        "--fail-on-unknown", help="Also exit 1 when such an item is unknown.")] = False,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to FILE instead of stdout.")] = None,
    tailoring: Annotated[Path | None, typer.Option(
        "--tailoring", help="Tailoring file: deselect, override params and severity, "
        "waivers.")] = None,
    waivers: Annotated[Path | None, typer.Option(
        "--waivers", help="Waivers file (schema qcompliance/waivers/v1).")] = None,
    include_inapplicable: Annotated[bool, typer.Option(
        "--include-inapplicable", help="List every item of a checklist that does not apply "
        "as not applicable (as evaluate(skip_inapplicable=False)).")] = False,
    locked: Annotated[bool, typer.Option(
        "--locked", help="Run exactly the packs pinned in the lock file.")] = False,
    offline: Annotated[bool, typer.Option(
        "--offline", help="Never use the network: locked packs must be in the cache.")] = False,
    post: Annotated[str | None, typer.Option(
        "--post", help="POST the assessment JSON to this QMS endpoint URL.")] = None,
    token_env: Annotated[str, typer.Option(
        "--token-env", help="Environment variable holding the endpoint's bearer token.")
                         ] = pack.TOKEN_ENV,
    insecure_http: Annotated[bool, typer.Option(
        "--insecure-http", help="Send the --post or --server token over plain http:// to "
        "another machine.")
                             ] = False,
    lock_file: pack.LockFileOption = Path(pack.LOCK_FILE),
    cache_dir: pack.CacheDirOption = None,
    detail: DetailOption = Detail.full,
    server: Annotated[str | None, typer.Option(
        "--server", help="Evaluate on this qcheck serve URL (token: QCHECK_TOKEN).")] = None,
    appendix: AppendixOption = False,
    due_config: DueConfigOption = None,
    store: StoreOption = None,
) -> None:
    """Evaluate a profile and print explained verdicts and scores."""
    with errors_to_exit_2(lang.value):
        day = as_of_day(as_of)
        options = report_options(appendix, due_config)
        if post is not None and offline:
            raise UsageError(Problem(english("cli.post_offline"), key="--offline"))
        checklists: ChecklistSet | None = None  # --server: the catalogue stays on the server
        if server is not None:
            if locked or offline:
                raise UsageError(Problem(english("cli.server_checklists"),
                                         key="--locked" if locked else "--offline"))
            if store is not None:  # the server keeps its own workspace (serve --store)
                raise UsageError(Problem(english("cli.server_store"), key="--store"))
            assessment = remote_assessment(server, profile, checklist, day, tailoring, waivers,
                                           include_inapplicable, insecure_http)
        else:
            checklists = pack.run_checklists(checklist or None, locked=locked, offline=offline,
                                             lock_file=lock_file, cache_dir=cache_dir)
            loaded = load_profile(profile, checklists.facts)
            if not loaded.facts:  # an empty or truncated file would otherwise "pass" (exit 0)
                raise ProfileError(Problem(english("profile.no_facts"), file=str(profile)))
            tailored, accepted, rejected = load_tailoring_and_waivers(
                tailoring, waivers, known=checklists.known_ids)
            assessment = evaluate(loaded, checklists, day,
                                  skip_inapplicable=not include_inapplicable,
                                  tailoring=tailored, waivers=accepted, waiver_problems=rejected)
            if store is not None:
                store_run(store, profile, loaded, assessment, checklists, lang.value)
        targets = _targets(fmt or [], output)
        for name, path in targets:
            if path is not None:
                _emit(_render(assessment, name, lang.value, detail, checklists, options), path)
        to_stdout = [name for name, path in targets if path is None]
        if to_stdout:
            if to_stdout[0] == "table":
                _print_terminal(assessment, lang.value, True, quiet, no_color, options)
            else:
                _emit(_render(assessment, to_stdout[0], lang.value, detail, checklists,
                              options), None)
        elif output is None:
            _print_terminal(assessment, lang.value, show_all, quiet, no_color, options)
        if post is not None:
            pack.deliver(assessment, post, token_env, lang.value, insecure_http)
        code = exit_code(assessment.results, fail_on, fail_on_unknown)
    raise typer.Exit(code)


def _targets(formats: list[str], output: Path | None) -> list[tuple[str, Path | None]]:
    """``--format`` values as (format, file or None for stdout); ``--output`` goes with a lone
    format. At most one format may go to stdout."""
    known = {f.value for f in Format}
    out: list[tuple[str, Path | None]] = []
    for value in formats:
        name, sep, path = value.partition(":")
        if name not in known:
            raise UsageError(Problem(english("cli.unknown_format", name=name,
                                             known=", ".join(sorted(known))),
                                     key="--format"))
        if sep and not path:
            raise UsageError(Problem(english("cli.format_no_file", value=value),
                                     key="--format"))
        out.append((name, Path(path) if sep else None))
    bare = [n for n, (_, path) in enumerate(out) if path is None]
    if output is not None:
        if len(bare) > 1 or (not bare and out):
            raise UsageError(Problem(english("cli.output_one_format"), key="--output"))
        if not out:
            out.append(("table", output))
        else:
            out[bare[0]] = (out[bare[0]][0], output)
    elif len(bare) > 1:
        raise UsageError(Problem(english("cli.one_terminal_format"), key="--format"))
    return out


def _print_terminal(assessment: Assessment, lang: Lang, show_all: bool, quiet: bool,
                    no_color: bool, options: ReportOptions | None = None) -> None:
    # Writers are imported when used, so that `qcheck --help` stays quick (tests/test_startup.py).
    from qcompliance.reports.summary import full_lines, quiet_line, summary_lines
    from qcompliance.reports.table import lines_renderable, table_renderable
    from qcompliance.textsafe import scrub

    assessment = scrub(assessment)  # no escape sequence or line break from an input
    plain = no_color or bool(os.environ.get("NO_COLOR"))
    console = Console(color_system=None) if plain else Console()
    if quiet:
        console.print(quiet_line(assessment, lang), soft_wrap=True, highlight=False)
    elif show_all and console.width >= 120:
        console.print(table_renderable(assessment, lang))
    elif show_all:
        console.print(lines_renderable(full_lines(assessment, lang, console.width)))
    else:
        console.print(lines_renderable(summary_lines(
            assessment, lang, console.width, options.due if options else None)))


def _render(assessment: Assessment, fmt: str, lang: Lang, detail: Detail = Detail.full,
            checklists: ChecklistSet | None = None, options: ReportOptions | None = None
            ) -> str | bytes:
    """``render``, but JSON in the form ``--detail`` asks for."""
    if fmt == "json" and detail is Detail.compact:
        from qcompliance.reports.json import assessment_to_json

        return assessment_to_json(assessment, "compact", checklists)
    from qcompliance.reports import render

    return render(assessment, fmt, lang, options)


def _show(assessment: Assessment, fmt: Format, lang: Lang, output: Path | None,
          detail: Detail = Detail.full, checklists: ChecklistSet | None = None,
          options: ReportOptions | None = None) -> None:
    if fmt is Format.table and output is None:
        from qcompliance.reports.table import table_renderable
        from qcompliance.textsafe import scrub

        Console().print(table_renderable(scrub(assessment), lang))
    else:
        _emit(_render(assessment, fmt.value, lang, detail, checklists, options), output)


def _read_assessment(path: Path, checklist: list[str] | None = None
                     ) -> tuple[Assessment, ChecklistSet | None]:
    """A saved assessment; a compact one with the catalogue it names (built-ins by default)."""
    from qcompliance.loading.load import decode_text, read_bytes
    from qcompliance.reports.json import assessment_from_data, is_compact, parse_assessment_json

    # The bounds of every input: a regular file, at most 32 MiB, UTF-8; lines in problems.
    text = decode_text(read_bytes(path, str(path)), str(path))
    data = parse_assessment_json(text, origin=str(path))
    checklists = pack.available_checklists(checklist or None) if is_compact(data) else None
    return assessment_from_data(data, checklists, origin=str(path), text=text), checklists


@app.command()
def report(
    assessment: Annotated[Path, typer.Argument(help="Assessment JSON written by qcheck run.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")
                   ] = Format.markdown,
    lang: Annotated[LangOption, typer.Option(
        "--lang", callback=lang_from_env, help="Language of the output.")
                    ] = LangOption.zh,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to FILE instead of stdout (required for xlsx).")] = None,
    checklist: Annotated[list[str] | None, typer.Option(
        "--checklist", "-c", help="For a compact assessment: the checklists it names, "
        "built-in ids or paths; repeatable. Default: the built-in catalogue.")] = None,
    detail: DetailOption = Detail.full,
    lock_file: pack.LockFileOption = Path(pack.LOCK_FILE),
    cache_dir: pack.CacheDirOption = None,
    appendix: AppendixOption = False,
    due_config: DueConfigOption = None,
) -> None:
    """Render a saved assessment in another format, without evaluating again.

    A compact assessment renders with the catalogue it names; a checklist whose sha256
    differs from the one the assessment records is refused.
    """
    with errors_to_exit_2(lang.value):
        saved, checklists = _read_assessment(assessment, checklist)
        pack.check_report_packs(saved, assessment, cache_dir, lock_file, lang.value)
        if detail is Detail.compact and checklists is None:
            checklists = pack.available_checklists(checklist or None)
        _show(saved, fmt, lang.value, output, detail, checklists,
              report_options(appendix, due_config))


@app.command("diff")
def diff_command(
    old: Annotated[Path, typer.Argument(help="The earlier assessment JSON.")],
    new: Annotated[Path, typer.Argument(help="The later assessment JSON.")],
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")
                   ] = DiffFormat.table,
    lang: Annotated[LangOption, typer.Option(
        "--lang", callback=lang_from_env, help="Language of the output.")
                    ] = LangOption.zh,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="Exit 1 when an item at this level newly fails.")
                       ] = FailOn.MANDATORY,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to FILE instead of stdout.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Compare even when the credit codes differ.")] = False,
) -> None:
    """Compare two assessments: gaps closed, new failures, changed verdicts, score deltas, and
    for each change whether new facts, a new catalogue version or another day caused it."""
    with errors_to_exit_2(lang.value):
        result = diff(_read_assessment(old)[0], _read_assessment(new)[0], force=force)
        if fmt is DiffFormat.table and output is None:
            from qcompliance.reports.diff_render import diff_table_renderable
            from qcompliance.textsafe import scrub

            Console().print(diff_table_renderable(scrub(result), lang.value))
        else:
            from qcompliance.reports.diff_render import DIFF_WRITERS

            _emit(DIFF_WRITERS[fmt.value](result, lang.value), output)
        code = diff_exit_code(result, fail_on)
    raise typer.Exit(code)


@checklists_app.command("list")
def checklists_list(
    paths: Annotated[list[Path] | None, typer.Argument(help="Checklist files to list too.")
                     ] = None,
    lang: Annotated[LangOption, typer.Option("--lang", callback=lang_from_env)] = LangOption.zh,
    cache_dir: pack.CacheDirOption = None,
    lock_file: pack.LockFileOption = Path(pack.LOCK_FILE),
) -> None:
    """List the checklists: id, version, items, origin (builtin, pack, entry-point, file),
    title; a pulled pack at the version the lock file pins."""
    with errors_to_exit_2(lang.value):
        for row in pack.checklists_rows(cache_dir, paths or [], lang.value, lock_file):
            typer.echo("\t".join(neutralise(cell) for cell in row.split("\t")))


@checklists_app.command("show")
def checklists_show(
    checklist_id: Annotated[str, typer.Argument(help="Built-in checklist id or a path.")],
    lang: Annotated[LangOption, typer.Option("--lang", callback=lang_from_env)] = LangOption.zh,
) -> None:
    """Show a checklist: its sources and every item with its basis and conditions."""
    with errors_to_exit_2(lang.value):
        checklists = pack.available_checklists([checklist_id])
        language: Lang = lang.value
        from qcompliance.reports.describe import describe_checklist

        typer.echo(neutralise_lines(describe_checklist(checklists.checklists[0], language)))


@app.command()
def facts(
    checklist: Annotated[list[str] | None, typer.Option(
        "--checklist", "-c", help="Only the facts these checklists read; repeatable.")] = None,
    lang: Annotated[LangOption, typer.Option("--lang", callback=lang_from_env)] = LangOption.zh,
) -> None:
    """List the facts a profile can give: key, type, unit, allowed values and question."""
    with errors_to_exit_2(lang.value):
        checklists = pack.available_checklists(checklist or None)
        specs = checklists.facts_read() if checklist else list(checklists.facts.values())
        language: Lang = lang.value
        from qcompliance.reports.describe import describe_facts

        typer.echo(neutralise_lines(describe_facts(specs, language)))


@checklists_app.command("lint")
def checklists_lint(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Checklist files (default: every built-in checklist).")] = None,
    lang: Annotated[LangOption, typer.Option("--lang", callback=lang_from_env)] = LangOption.zh,
) -> None:
    """Check checklists for authoring mistakes; exit 2 when any is found."""
    with errors_to_exit_2(lang.value):
        problems, checked, items = lint_paths(paths)
    for problem in problems:
        typer.echo(neutralise(localized(QComplianceError(problem), lang.value)), err=True)
    if problems:
        typer.echo(say("cli.lint_problems", lang.value, problems=len(problems),
                           checklists=checked), err=True)
        raise typer.Exit(2)
    typer.echo(say("cli.lint_ok", lang.value, checklists=checked, items=items))


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    if version:
        typer.echo(f"qcheck {__version__}")
        raise typer.Exit(0)


def _one_line_warning(message: Warning | str, category: type[Warning], filename: str,
                      lineno: int, file: TextIO | None = None, line: str | None = None) -> None:
    """A warning (a pack left out, say) as one line on stderr in the user's language, never a
    source excerpt."""
    lang = user_lang()
    typer.echo(say("cli.warning", lang, message=localized_message(str(message), lang)), err=True)


def main() -> None:
    """Entry point of the ``qcheck`` console script."""
    warnings.showwarning = _one_line_warning
    # Whatever escapes a command's own door: exit 3, never a trace.
    with errors_to_exit_2(user_lang()):
        app()
