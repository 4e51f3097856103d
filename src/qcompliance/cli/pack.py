"""``qcheck pack build|test``, ``qcheck pull`` and the pack options of ``run`` and ``report``.

A thin door over :mod:`qcompliance.registry`: every failure is a QComplianceError, printed as
one line with exit code 2 by :func:`errors_to_exit_2`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from qcompliance.cli.common import LangOption, as_of_day, errors_to_exit_2, lang_from_env
from qcompliance.errors import Problem, QComplianceError, UsageError
from qcompliance.limits import PULL_DEADLINE
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.messages import english
from qcompliance.model import Assessment, Lang, Text
from qcompliance.registry.build import build_pack, load_pack_dir, run_pack_tests
from qcompliance.registry.cache import Cache
from qcompliance.registry.catalogue import load_checklists as load_catalogue
from qcompliance.registry.catalogue import lock_of
from qcompliance.registry.defaults import CACHE_ENV, DEFAULT_MAX_SIZE, LOCK_FILE, TOKEN_ENV
from qcompliance.registry.fixtures import fixture_names, new_fixture_names, write_expected
from qcompliance.registry.lockfile import LockEntry, read_lock, write_lock
from qcompliance.registry.sources import (
    entry_point_sources,
    list_available,
    load_for_assessment,
)
from qcompliance.textsafe import neutralise, redact_url

__all__ = [
    "LOCK_FILE",
    "TOKEN_ENV",
    "CacheDirOption",
    "LockFileOption",
    "available_checklists",
    "check_report_packs",
    "checklists_rows",
    "deliver",
    "pack_app",
    "pull_command",
    "run_checklists",
]

pack_app = typer.Typer(help="Build and test rule packs (规则包).", no_args_is_help=True)

CacheDirOption = Annotated[Path | None, typer.Option(
    "--cache-dir", envvar=CACHE_ENV, help="Pack cache folder (default: the user cache dir).")]
LockFileOption = Annotated[Path, typer.Option(
    "--lock-file", help="The lock file pull writes and run --locked reads.")]


def _say(text: Text, lang: Lang) -> None:
    typer.echo(text.get(lang))


@pack_app.command("test")
def pack_test(
    directory: Annotated[Path, typer.Argument(help="Pack folder (with pack.toml).")],
    update: Annotated[bool, typer.Option(
        "--update", help="Rewrite the expected verdicts from the current ones.")] = False,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="With --update: also write expected verdicts on this day for fixture "
        "profiles that have none yet.")] = None,
    lang: Annotated[LangOption, typer.Option("--lang", callback=lang_from_env)] = LangOption.zh,
) -> None:
    """Evaluate the pack's fixture profiles; print a diff where verdicts differ (exit 1)."""
    with errors_to_exit_2(lang.value):
        if update:
            _, checklists = load_pack_dir(directory)
            for name in fixture_names(directory):
                write_expected(directory, name, checklists)
            if as_of is not None:
                day = as_of_day(as_of)
                for name in new_fixture_names(directory):
                    write_expected(directory, name, checklists, day)
        results = run_pack_tests(directory)
    failed = [r for r in results if not r.ok]
    for result in failed:
        typer.echo(result.diff(), nl=False)
    passed = len(results) - len(failed)
    _say(Text(f"夹具：{passed} 通过，{len(failed)} 不符", f"fixtures: {passed} passed, "
              f"{len(failed)} failed"), lang.value)
    raise typer.Exit(1 if failed else 0)


@pack_app.command("build")
def pack_build(
    directory: Annotated[Path, typer.Argument(help="Pack folder (with pack.toml).")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the archive and "
                                                    "index.json into.")],
    lang: Annotated[LangOption, typer.Option("--lang", callback=lang_from_env)] = LangOption.zh,
) -> None:
    """Run the pack's fixtures, then write NAME-VERSION.tar.gz and update index.json."""
    with errors_to_exit_2(lang.value):
        result = build_pack(directory, out)
    entry = result.entry
    _say(Text(f"已构建 {entry.name} {entry.version}：{result.archive}（{entry.size} 字节，"
              f"sha256 {entry.sha256}，{len(result.fixtures)} 个夹具通过）",
              f"built {entry.name} {entry.version}: {result.archive} ({entry.size} bytes, "
              f"sha256 {entry.sha256}, {len(result.fixtures)} fixtures passed)"), lang.value)


def _split_spec(spec: str) -> tuple[str, str | None]:
    name, _, version = spec.partition("@")
    if not name or (spec.endswith("@") or (version == "" and "@" in spec)):
        raise UsageError(Problem(english("pack.spec", spec=spec), key="NAME"))
    return name, version or None


def pull_command(
    spec: Annotated[str, typer.Argument(metavar="NAME[@VERSION]", help="The pack to pull.")],
    index: Annotated[str | None, typer.Option(
        "--index", help="URL of the index.json (default: the one in the lock file).")] = None,
    offline: Annotated[bool, typer.Option(
        "--offline", help="Use the cache only; only record the pack in the lock file.")] = False,
    lock_file: LockFileOption = Path(LOCK_FILE),
    cache_dir: CacheDirOption = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Connect and read timeout, "
                                                             "seconds.")] = 30.0,
    retries: Annotated[int, typer.Option("--retries", min=0, help="Retries on 5xx and "
                                                                  "network errors.")] = 3,
    max_size: Annotated[int, typer.Option("--max-size", min=1, help="Largest archive "
                                                                    "accepted, bytes.")
                        ] = DEFAULT_MAX_SIZE,
    deadline: Annotated[float, typer.Option(
        "--deadline", help="Seconds each download may take in all, retries included.")
                        ] = PULL_DEADLINE,
    repin: Annotated[bool, typer.Option(
        "--repin", help="Accept a new sha256 for a version the lock file already pins.")
                     ] = False,
    lang: Annotated[LangOption, typer.Option("--lang", callback=lang_from_env)] = LangOption.zh,
) -> None:
    """Download a pack, verify it against the index, install it and pin it in the lock file."""
    with errors_to_exit_2(lang.value):
        name, version = _split_spec(spec)
        cache = Cache(cache_dir)
        lock = read_lock(lock_file)
        pinned = lock.get(name)
        if offline:
            pack = cache.get(name, version)
            if pack is None:
                raise UsageError(Problem(english("pack.not_cached", spec=spec), key="--offline"))
            pack.verify()
        else:
            url = index or (pinned.index if pinned is not None else None)
            if url is None:
                raise UsageError(Problem(english("pack.give_index"),
                                         key="--index"))
            from qcompliance.registry.client import RegistryClient  # httpx: only when used

            with RegistryClient(url, cache=cache, timeout=timeout, retries=retries,
                                max_size=max_size, deadline=deadline) as client:
                pack = client.pull(name, version)
        write_lock(lock.with_pack(LockEntry(pack.name, pack.version, pack.sha256,
                                            pack.index or index or ""), repin=repin), lock_file)
    _say(Text(f"已安装 {pack.name} {pack.version}（sha256 {pack.sha256}）并记入 {lock_file}",
              f"installed {pack.name} {pack.version} (sha256 {pack.sha256}), pinned in "
              f"{lock_file}"), lang.value)
    if pinned is not None and pinned.version != pack.version:  # offer the change's impact
        command = (f"qcheck impact --from {pack.name}@{pinned.version} "
                   f"--to {pack.name}@{pack.version} --store URL")
        _say(Text(f"查看新版本对工作区中各企业的影响：{command}",
                  f"to see what the new version changes for each company of a workspace: "
                  f"{command}"), lang.value)


def available_checklists(selection: Sequence[str] | None) -> ChecklistSet:
    """The built-in checklists and those installed distributions offer (entry points), or
    the selected ids and paths among them: ``qcompliance.load_checklists()``."""
    return load_catalogue(selection)


def run_checklists(selection: Sequence[str] | None, *, locked: bool, offline: bool,
                   lock_file: Path, cache_dir: Path | None) -> ChecklistSet:
    """The checklists ``qcheck run`` (and ``batch``, ``profile``) evaluate with.

    With ``locked``: exactly the packs of the lock file, pulling a missing one from its
    recorded index (verified against its pinned sha256) unless ``offline``. Otherwise the
    built-in catalogue and the checklists that installed distributions offer.
    """
    if not locked:
        if offline:
            raise UsageError(Problem(english("pack.offline"),
                                     key="--offline"))
        return available_checklists(selection)
    lock = lock_of(lock_file)
    if not offline:
        from qcompliance.registry.client import pull_locked  # httpx: only when used

        pull_locked(lock, Cache(cache_dir))
    return load_catalogue(selection, lock=lock, cache_dir=cache_dir)


def deliver(assessment: Assessment, url: str, token_env: str, lang: Lang,
            insecure_http: bool = False) -> None:
    """Post ``assessment`` to ``url``; DeliveryError (exit 2) when it was not accepted."""
    from qcompliance.registry.post import post_assessment  # httpx: only when used

    delivery = post_assessment(assessment, url, token_env=token_env,
                               allow_plain_http=insecure_http)
    url = redact_url(url)
    typer.echo(Text(f"已送达 {url}（HTTP {delivery.status}，幂等键 {delivery.idempotency_key}）",
                    f"delivered to {url} (HTTP {delivery.status}, idempotency key "
                    f"{delivery.idempotency_key})").get(lang), err=True)


def check_report_packs(assessment: Assessment, path: Path, cache_dir: Path | None,
                       lock_file: Path, lang: Lang) -> None:
    """Check that the packs an old assessment names are in the cache, unchanged; print a
    one-line note on stderr saying which to pull when not (a full assessment still renders)."""
    if not any(r.provenance is not None and r.provenance.origin in ("pack", "builtin")
               for r in assessment.checklists):
        return
    try:
        load_for_assessment(assessment, Cache(cache_dir), read_lock(lock_file))
    except QComplianceError as exc:
        why = neutralise(exc.first.message)
        where = neutralise(str(path))
        typer.echo(Text(f"qcheck: 注意：{where}：无法按原规则复核：{why}",
                        f"qcheck: note: {where}: cannot re-check against the same rules: {why}"
                        ).get(lang), err=True)


def checklists_rows(cache_dir: Path | None, paths: Sequence[Path], lang: Lang,
                    lock_file: Path | None = None) -> list[str]:
    """Lines of ``qcheck checklists list``: id, version, items, origin, title. A pack the
    lock file pins is listed at the pinned version (``locked``), not the newest pulled."""
    from qcompliance.reports.region import scope_text  # the writers load on first use

    rows = []
    lock = read_lock(lock_file) if lock_file is not None and lock_file.exists() else None
    for listed in list_available(Cache(cache_dir), entry_point_sources(), paths, lock=lock):
        c = listed.checklist
        rows.append(f"{c.id}\t{c.version}\t{len(c.items)}\t{listed.origin}\t"
                    f"{c.title.get(lang)}{scope_text(c.region, lang)}")
    return rows
