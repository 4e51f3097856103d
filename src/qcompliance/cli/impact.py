"""``qcheck impact --from OLD --to NEW PORTFOLIO``: what a catalogue change does to every
company of a batch input or of a workspace."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from qcompliance.cli import pack
from qcompliance.cli.common import LangOption, as_of_day, errors_to_exit_2, lang_from_env
from qcompliance.cli.store import StoreOption, open_store
from qcompliance.errors import Problem, UsageError
from qcompliance.loading.files import write_atomic
from qcompliance.messages import english
from qcompliance.model import Lang

__all__ = ["impact_command"]


class ImpactFormat(str, enum.Enum):
    """Output formats of ``qcheck impact``."""

    table = "table"
    json = "json"
    html = "html"
    xlsx = "xlsx"


def _label(spec: str, lang: LangOption) -> str:
    if spec == "builtin":
        return "内置清单" if lang is LangOption.zh else "the built-in catalogue"
    return spec


def impact_command(
    before: Annotated[str, typer.Option(
        "--from", help="The current catalogue: builtin, NAME@VERSION (pulled), a lock file, "
        "a pack folder or a checklist folder.")],
    after: Annotated[str, typer.Option("--to", help="The new catalogue, named the same ways.")],
    portfolio: Annotated[Path | None, typer.Argument(
        help="A batch input: a folder of profiles, .jsonl, .csv or .xlsx (or give --store).")
                         ] = None,
    store: StoreOption = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Assessment day, YYYY-MM-DD (default: today).")] = None,
    fmt: Annotated[ImpactFormat, typer.Option("--format", "-f", help="Output format.")
                   ] = ImpactFormat.table,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to FILE instead of stdout (required for xlsx).")] = None,
    lang: Annotated[LangOption, typer.Option(
        "--lang", callback=lang_from_env, help="Language of the output.")
                    ] = LangOption.zh,
    cache_dir: pack.CacheDirOption = None,
) -> None:
    """Evaluate every company under both catalogues: the items whose rule changed and the
    verdicts that flip, companies ranked by new mandatory failures."""
    with errors_to_exit_2(lang.value):
        from qcompliance.impact import impact
        from qcompliance.impact.catalogues import resolve_catalogue
        from qcompliance.impact.render import (
            impact_html,
            impact_table,
            impact_to_json,
            impact_xlsx,
        )

        day = as_of_day(as_of)
        if (portfolio is None) == (store is None):
            raise UsageError(Problem(english("impact.input"),
                                     key="PORTFOLIO"))
        old = resolve_catalogue(before, "--from", cache_dir)
        new = resolve_catalogue(after, "--to", cache_dir)
        if portfolio is not None:
            from qcompliance.impact.portfolio import batch_portfolio

            entries = batch_portfolio(portfolio, new.facts)
            result = impact(old, new, entries, day, before_label=_label(before, lang),
                            after_label=_label(after, lang))
        else:
            from qcompliance.impact.stored import stored_portfolio

            opened = open_store(store)
            try:
                result = impact(old, new, stored_portfolio(opened), day,
                                before_label=_label(before, lang),
                                after_label=_label(after, lang))
            finally:
                opened.close()
        language: Lang = lang.value
        text: str | bytes
        if fmt is ImpactFormat.json:
            text = impact_to_json(result)
        elif fmt is ImpactFormat.html:
            text = impact_html(result, language)
        elif fmt is ImpactFormat.xlsx:
            if output is None:
                raise UsageError(Problem(english("output.xlsx_binary"), key="--output"))
            text = impact_xlsx(result, language)
        else:
            text = impact_table(result, language)
        if output is not None:
            write_atomic(output, text)
        else:
            assert isinstance(text, str)
            sys.stdout.write(text)
