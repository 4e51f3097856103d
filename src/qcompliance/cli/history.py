"""``qcheck history USCC --store URL`` and what ``qcheck run --store`` keeps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from qcompliance.cli import pack
from qcompliance.cli.common import LangOption, errors_to_exit_2, lang_from_env
from qcompliance.cli.store import StoreOption, open_store
from qcompliance.errors import Problem, UsageError
from qcompliance.i18n import percent
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.document import decode_text, file_format, read_bytes
from qcompliance.messages import english
from qcompliance.model import Assessment, Lang, Profile

__all__ = ["history_command", "store_run"]


def store_run(url: str | None, path: Path, profile: Profile, assessment: Assessment,
              checklists: ChecklistSet | None, lang: Lang) -> None:
    """Keep the profile file as sent and the assessment in the workspace (``run --store``)."""
    uscc = profile.credit_code
    if not uscc:
        raise UsageError(Problem(english("store.credit_code"), file=str(path),
                                 key="company.credit_code"))
    text = decode_text(read_bytes(path, str(path)), str(path))
    fmt = file_format(path)
    store = open_store(url)
    try:
        with store.write() as c:
            version = store.put_profile(uscc, text, fmt, profile.name, connection=c)
            record = store.add_assessment(uscc, assessment, checklists, version, connection=c)
    finally:
        store.close()
    typer.echo(f"已存入工作区：{uscc} 第 {record.id} 号评估（档案第 {version.version} 版）"
               if lang == "zh" else
               f"stored in the workspace: {uscc} assessment {record.id} (profile version "
               f"{version.version})", err=True)


def _signed(value: float | None) -> str:
    return "" if value is None else f" ({value * 100:+.1f})"


def history_command(
    uscc: Annotated[str, typer.Argument(help="The company's unified social credit code.")],
    store: StoreOption = None,
    lang: Annotated[LangOption, typer.Option(
        "--lang", callback=lang_from_env, help="Language of the output.")
                    ] = LangOption.zh,
    as_json: Annotated[bool, typer.Option("--json", help="JSON (qcompliance/history/v1).")
                       ] = False,
    checklist: Annotated[list[str] | None, typer.Option(
        "--checklist", "-c", help="The checklists the assessments were made with (default: "
        "the built-in catalogue).")] = None,
) -> None:
    """Show a company's score trend and what changed between its stored assessments."""
    with errors_to_exit_2(lang.value):
        from qcompliance.store.history import company_history, history_to_data
        from qcompliance.store.repo import check_uscc

        check_uscc(uscc)
        opened = open_store(store)
        try:
            opened.require_company(uscc)
            steps = company_history(opened, uscc, pack.available_checklists(checklist or None))
        finally:
            opened.close()
        if as_json:
            typer.echo(json.dumps(history_to_data(uscc, steps), ensure_ascii=False, indent=2))
            return
        zh = lang is LangOption.zh
        typer.echo(f"{uscc} 得分趋势" if zh else f"{uscc} score trend")
        previous = None
        for step in steps:
            r = step.record
            delta = (r.score - previous) if r.score is not None and previous is not None \
                else None
            previous = r.score
            version = r.profile_version if r.profile_version is not None else "-"
            line = (f"{r.as_of}  #{r.id}  档案 v{version}  得分 {percent(r.score)}"
                    f"{_signed(delta)}  法定义务 {percent(r.mandatory_score)}  差距 {r.gaps}"
                    if zh else
                    f"{r.as_of}  #{r.id}  profile v{version}  score {percent(r.score)}"
                    f"{_signed(delta)}  mandatory {percent(r.mandatory_score)}  gaps {r.gaps}")
            typer.echo(line)
            if step.changes is not None:
                closed, new = step.changes.closed, step.changes.new_failures
                typer.echo(f"    已整改 {len(closed)} 项，新增不符合 {len(new)} 项" if zh else
                           f"    closed {len(closed)}, new failures {len(new)}")
                for change in (*closed, *new):
                    mark = "✓" if change in closed else "✗"
                    typer.echo(f"      {mark} {change.title.zh if zh else change.title.en}")
            elif step.unreadable:
                typer.echo("    （清单版本不同，仅比较得分）" if zh else
                           "    (another catalogue version: scores only)")
