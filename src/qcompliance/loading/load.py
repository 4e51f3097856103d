"""Files and mappings to validated models. Every error names the file, the line and the key.

Loading never evaluates: it parses TOML or JSON, structures the data through the one cattrs
converter, checks what the structure alone cannot (declared facts, unique ids, cited sources)
and compiles every condition once, so authoring mistakes surface here.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TypeVar

import attrs

from qcompliance.errors import (
    ChecklistError,
    Problem,
    SchemaError,
    UsageError,
)
from qcompliance.loading.catalog import (
    ChecklistSet,
    Sources,
    compile_checklist,
    path_key,
    source_digests,
)
from qcompliance.loading.converter import KeyPath

# Re-exported: loading.load was their home before loading.document.
from qcompliance.loading.document import MAX_BYTES as MAX_BYTES
from qcompliance.loading.document import MAX_DEPTH as MAX_DEPTH
from qcompliance.loading.document import MAX_PROBLEMS as MAX_PROBLEMS
from qcompliance.loading.document import (
    Document,
    Input,
    check_data,
    decode_text,
    file_format,
    format_key,
    parse_document,
    parse_json,
    read_bytes,
    read_document,
)
from qcompliance.loading.profile import (
    profile_from_document,
    profile_from_mapping,
)
from qcompliance.loading.profile_decoder import PROFILE_SCHEMA as PROFILE_SCHEMA  # re-exported
from qcompliance.loading.provincial import region_problems as checklist_region_problems
from qcompliance.loading.provincial import regional_param_problems
from qcompliance.model import (
    Checklist,
    FactSpec,
    FactType,
    PackManifest,
    Profile,
    Provenance,
    Text,
)
from qcompliance.rules.compiler import CompileError
from qcompliance.suggest import did_you_mean

T = TypeVar("T")

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_PROBLEMS",
    "Document",
    "Input",
    "builtin_dir",
    "builtin_paths",
    "builtin_provenance",
    "catalog_paths",
    "check_data",
    "decode_text",
    "format_key",
    "load_checklist",
    "load_checklists",
    "load_facts",
    "load_profile",
    "parse_document",
    "parse_json",
    "read_bytes",
    "read_document",
    "reload_checklists",
]

CHECKLIST_SCHEMA = "qcompliance/checklist/v1"
FACTS_SCHEMA = "qcompliance/facts/v1"

_SUGGEST = 100
"""Problems that get a "did you mean" hint; past them, hints would cost seconds per thousand."""
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A link whose host is an IP address: it says nothing of who publishes it and is not stable.
_BARE_IP = re.compile(r"^[a-z]+://(\d{1,3}\.){3}\d{1,3}(:\d+)?(/|$)", re.IGNORECASE)
_FACT_KEY = re.compile(r"^[a-z0-9_]+(?:\.[a-z0-9_]+)*$")


def builtin_dir() -> Path:
    """The folder of built-in checklists: inside the installed package, or the source tree's."""
    packaged = Path(str(resources.files("qcompliance"))) / "checklists"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "checklists"


_NOT_CHECKLISTS = frozenset({"facts.toml", "coverage.toml", "pack.toml"})


def catalog_paths(folder: Path) -> list[Path]:
    """The checklist files of a catalogue folder, sorted by name: its ``*.toml`` and
    ``*.json`` files but the facts dictionary, the coverage map and the pack manifest."""
    return sorted(p for p in folder.iterdir()
                  if p.suffix in (".toml", ".json") and p.name not in _NOT_CHECKLISTS
                  and not p.name.startswith(".") and p.is_file())


def builtin_paths() -> list[Path]:
    """The built-in checklist files, sorted by name (the facts dictionary and the coverage map
    excluded)."""
    return catalog_paths(builtin_dir())


@functools.cache
def builtin_provenance() -> Provenance:
    """The provenance of the built-in checklists: the pack name and version of the built-in
    catalogue's ``pack.toml``."""
    doc = read_document(builtin_dir() / "pack.toml")
    manifest = doc.structure(dict(doc.data), PackManifest)
    return Provenance("builtin", manifest.name, manifest.version)


def _structure_facts(doc: Document, raw: object, path: KeyPath) -> list[FactSpec]:
    """Structure a ``[[facts]]`` list and check what the types alone cannot."""
    specs = doc.structure(raw, list[FactSpec], path)
    problems = []
    for i, spec in enumerate(specs):
        at = (*path, i)
        problems += _fact_spec_problems(doc, spec, at)
    if problems:
        raise ChecklistError(problems)
    return [attrs.evolve(s, origin=doc.origin) for s in specs]


def _fact_spec_problems(doc: Document, spec: FactSpec, at: KeyPath,
                        record: bool = False) -> list[Problem]:
    problems = []
    if not _FACT_KEY.match(spec.key) or (record and "." in spec.key):
        problems.append(doc.problem((*at, "key"), f"'{spec.key}' is not a valid fact key"))
    if spec.type is FactType.ENUM and not spec.values:
        problems.append(doc.problem((*at, "values"), "an enum fact needs its allowed values"))
    if spec.type is FactType.RECORDS:
        if record:
            problems.append(doc.problem((*at, "type"), "records cannot nest"))
        if not spec.fields:
            problems.append(doc.problem((*at, "fields"), "a records fact needs its fields"))
        seen: set[str] = set()
        for j, field in enumerate(spec.fields or ()):
            if field.key in seen:
                problems.append(doc.problem((*at, "fields", j, "key"),
                                            f"duplicate field '{field.key}'"))
            seen.add(field.key)
            problems += _fact_spec_problems(doc, field, (*at, "fields", j), record=True)
    elif spec.fields:
        problems.append(doc.problem((*at, "fields"), "only a records fact has fields"))
    for text_key in ("label", "question"):
        text: Text = getattr(spec, text_key)
        if not text.zh.strip() or not text.en.strip():
            problems.append(doc.problem((*at, text_key), "needs non-empty zh and en text"))
    return problems


def load_facts(source: Input) -> list[FactSpec]:
    """Load a facts dictionary file (``schema = "qcompliance/facts/v1"`` and ``[[facts]]``)."""
    doc = read_document(source)
    extra = sorted(set(doc.data) - {"schema", "facts"})
    if extra:
        raise SchemaError(doc.problem((extra[0],), f"unknown key '{extra[0]}'"))
    if doc.data.get("schema") != FACTS_SCHEMA:
        raise SchemaError(doc.problem(("schema",), f"must be \"{FACTS_SCHEMA}\""))
    return _structure_facts(doc, doc.data.get("facts", []), ("facts",))


def _checklist_problems(doc: Document, checklist: Checklist) -> list[Problem]:
    """What a checklist that has the right shape can still get wrong."""
    problems = []
    if not _ID.match(checklist.id):
        problems.append(doc.problem(("id",), f"'{checklist.id}' is not a valid id ([a-z0-9-])"))
    source_ids = [s.id for s in checklist.sources]
    for i, declared in enumerate(checklist.sources):
        if declared.id in source_ids[:i]:
            problems.append(doc.problem(("sources", i, "id"),
                                        f"duplicate source id '{declared.id}'"))
        links: list[tuple[KeyPath, str | None]] = [(("url",), declared.url)]
        if declared.official is not None:
            links.append((("official", "url"), declared.official.url))
        if declared.read_in is not None:
            links.append((("read_in", "url"), declared.read_in.url))
        for where, link in links:
            if link and _BARE_IP.match(link):
                problems.append(doc.problem(("sources", i, *where),
                                            "a link must name a host, not a bare IP address"))
    seen: dict[str, int] = {}
    for i, item in enumerate(checklist.items):
        at: KeyPath = ("items", i)
        if item.id in seen:
            problems.append(doc.problem(
                (*at, "id"), f"duplicate item id '{item.id}' (first at items[{seen[item.id]}])"
            ))
        seen.setdefault(item.id, i)
        if not item.id.startswith(checklist.id + "."):
            problems.append(doc.problem(
                (*at, "id"), f"item id '{item.id}' must start with '{checklist.id}.'"
            ))
        if not item.basis:
            problems.append(doc.problem((*at, "basis"), "an item must cite its basis"))
        for j, basis in enumerate(item.basis):
            src = checklist.source(basis.source)
            if src is None:
                problems.append(doc.problem(
                    (*at, "basis", j, "source"),
                    f"cites unknown source '{basis.source}'"
                    f"{did_you_mean(basis.source, source_ids)}",
                ))
            elif src.verified == "text" and not basis.quote:
                problems.append(doc.problem(
                    (*at, "basis", j, "quote"), "a source read in its text needs a quote"
                ))
        if item.kind.value == "obligation":
            if not item.evidence:
                problems.append(doc.problem((*at, "evidence"), "an obligation needs evidence"))
            if item.remediation is None:
                problems.append(doc.problem((*at, "remediation"),
                                            "an obligation needs remediation steps"))
        if item.effective and item.effective_until and item.effective >= item.effective_until:
            problems.append(doc.problem((*at, "effective_until"),
                                        "must be later than 'effective'"))
    return problems + checklist_region_problems(checklist, doc.problem)


def load_checklist(source: Input, *, name: str | None = None) -> tuple[Checklist, Document]:
    """Read one checklist file or mapping: structure and self-consistency, not yet compiled."""
    doc = read_document(source, name=name)
    data = dict(doc.data)
    facts_raw = data.pop("facts", [])
    if data.get("schema") != CHECKLIST_SCHEMA:
        raise SchemaError(doc.problem(("schema",), f"must be \"{CHECKLIST_SCHEMA}\""))
    checklist = doc.structure(data, Checklist)
    facts = _structure_facts(doc, facts_raw, ("facts",))
    checklist = attrs.evolve(checklist, facts=tuple(facts), origin=doc.origin, sha256=doc.sha256,
                             provenance=Provenance("mapping" if doc.fmt == "mapping" else "file"))
    problems = _checklist_problems(doc, checklist)
    if problems:
        raise ChecklistError(problems)
    return checklist, doc


def _dictionary(groups: Iterable[tuple[Sequence[FactSpec], Document]]) -> dict[str, FactSpec]:
    """Merge fact declarations, each key declared exactly once."""
    facts: dict[str, FactSpec] = {}
    problems = []
    for specs, doc in groups:
        for i, spec in enumerate(specs):
            if spec.key in facts:
                problems.append(doc.problem(
                    ("facts", i, "key"),
                    f"fact '{spec.key}' is declared twice (also in {facts[spec.key].origin})",
                ))
            facts.setdefault(spec.key, spec)
    if problems:
        raise ChecklistError(problems)
    return facts


def _resolve_checklist_arg(arg: str | Path, base: Path) -> Path:
    path = Path(arg)
    if path.suffix in (".toml", ".json") or path.exists():
        return path
    builtin = {p.stem: p for p in catalog_paths(base)}
    if str(arg) in builtin:
        return builtin[str(arg)]
    raise UsageError(Problem(
        f"no built-in checklist '{arg}'{did_you_mean(str(arg), builtin)}", key="--checklist"
    ))


def load_checklists(selection: Iterable[str | Path | Mapping[str, object]] | None = None,
                    *, facts_file: str | Path | None = None,
                    catalog: str | Path | None = None) -> ChecklistSet:
    """Load and compile checklists: built-in ids, paths, or mappings; all built-ins by default.

    The facts dictionary is the union of ``facts_file`` (default: the built-in
    ``facts.toml``), every built-in checklist's facts and the selected checklists' facts, so a
    profile written for the whole catalog stays valid when only some checklists run.
    ``catalog`` is a folder to use instead of the built-in catalogue (its checklists and its
    ``facts.toml``), such as a pulled pack of a newer catalogue.

    Loading the same files again in one process, unchanged to the byte, gives the set loaded
    before (the set is immutable): parsing and compiling the catalogue is most of what a
    command, a server's start or a ``load_profile`` without ``facts`` costs.
    """
    selection = None if selection is None else list(selection)  # read twice below
    key = _content_key(selection, facts_file, catalog)
    if key is not None and (known := _BY_CONTENT.get(key)) is not None:
        return known
    loaded = _load_checklists(selection, facts_file, catalog)
    if key is not None:
        if len(_BY_CONTENT) >= _KEPT_SETS:
            _BY_CONTENT.clear()
        _BY_CONTENT[key] = loaded
    return loaded


# Sets loaded in this process, by what was asked and the sha256 of every file read for it.
_BY_CONTENT: dict[tuple[object, ...], ChecklistSet] = {}
_KEPT_SETS = 16


def _content_key(selection: list[str | Path | Mapping[str, object]] | None,
                 facts_file: str | Path | None,
                 catalog: str | Path | None) -> tuple[object, ...] | None:
    """What decides the set ``load_checklists`` would load: the arguments, the files they
    name (absolute paths, as :class:`Sources` records them) and those files' bytes. None when a
    mapping is selected or a file cannot be read (the load itself then says what is wrong)."""
    if selection is not None and any(isinstance(a, Mapping) for a in selection):
        return None
    base = Path(catalog) if catalog is not None else builtin_dir()
    try:
        files = [Path(facts_file) if facts_file else base / "facts.toml", *catalog_paths(base)]
        files += [_resolve_checklist_arg(a, base) for a in selection or ()]  # type: ignore[arg-type]
        digests = tuple(hashlib.sha256(p.read_bytes()).hexdigest() for p in files)
        where = tuple(str(p.resolve()) for p in files)
    except (OSError, UsageError):
        return None
    asked = None if selection is None else tuple(str(a) for a in selection)
    return asked, str(facts_file), str(catalog), where, digests


def _load_checklists(selection: list[str | Path | Mapping[str, object]] | None,
                     facts_file: str | Path | None, catalog: str | Path | None) -> ChecklistSet:
    base = Path(catalog) if catalog is not None else builtin_dir()
    facts_path = Path(facts_file) if facts_file else base / "facts.toml"
    facts_doc = read_document(facts_path)
    base_facts = load_facts(facts_path)
    builtins = {}
    for path in catalog_paths(base):
        checklist, doc = _catalogue_checklist(path)
        if catalog is None:
            checklist = attrs.evolve(checklist, provenance=builtin_provenance())
        builtins[path.resolve()] = (checklist, doc)
    chosen: list[tuple[Checklist, Document]] = []
    if selection is None:
        chosen = list(builtins.values())
    else:
        for arg in selection:
            if isinstance(arg, Mapping):
                chosen.append(load_checklist(arg))
                continue
            path = _resolve_checklist_arg(arg, base)
            chosen.append(builtins.get(path.resolve()) or load_checklist(path))
    ids: dict[str, str] = {}
    for checklist, doc in chosen:
        if checklist.id in ids:
            raise ChecklistError(doc.problem(
                ("id",), f"checklist id '{checklist.id}' is also used by {ids[checklist.id]}"
            ))
        ids[checklist.id] = doc.origin
    everything = {id(c): (c, d) for c, d in [*builtins.values(), *chosen]}.values()
    facts = _dictionary([(base_facts, facts_doc), *((c.facts, d) for c, d in everything)])
    if problems := regional_param_problems((c, d.problem) for c, d in everything):
        raise ChecklistError(problems)
    compiled = []
    for checklist, doc in chosen:
        try:
            compiled.append(compile_checklist(checklist, facts))
        except CompileError as exc:
            raise ChecklistError(doc.problem(exc.path, exc.message)) from None
    known = {c.id for c, _ in everything} | {i.id for c, _ in everything for i in c.items}
    sources = Sources(
        None if selection is None else tuple(
            dict(a) if isinstance(a, Mapping) else path_key(_resolve_checklist_arg(a, base))
            for a in selection),
        str(facts_path.resolve()),
        source_digests([facts_doc.sha256, *(d.sha256 for _, d in everything)]),
        None if catalog is None else str(Path(catalog).resolve()),
    )
    return ChecklistSet(tuple(compiled), facts, frozenset(known), sources, reload_checklists)


def _catalogue_checklist(path: Path) -> tuple[Checklist, Document]:
    """``load_checklist(path)`` for a file of the catalogue, read and checked once per process
    while its bytes stay the same: every load with another selection (a checklist of one's
    own beside the catalogue, a pack under test) reads the whole catalogue again."""
    raw = read_bytes(path, str(path))
    key = (str(path), hashlib.sha256(raw).hexdigest())
    known = _PARSED.get(key)
    if known is None:
        known = load_checklist(parse_document(raw, str(path), file_format(path)))
        if len(_PARSED) >= _KEPT_FILES:
            _PARSED.clear()
        _PARSED[key] = known
    return known


# Checklist files of a catalogue as read (immutable), by path and the sha256 of their bytes.
_PARSED: dict[tuple[str, str], tuple[Checklist, Document]] = {}
_KEPT_FILES = 512


# Sets loaded again in this process, by their sources: a worker that receives the same set
# with every task loads it once.
_LOADED: dict[Sources, ChecklistSet] = {}


def _frozen_sources(sources: Sources) -> Sources:
    """``sources`` made hashable (mappings in a selection become sorted item tuples)."""
    def freeze(value: object) -> object:
        if isinstance(value, Mapping):
            return tuple(sorted((k, freeze(v)) for k, v in value.items()))
        if isinstance(value, list):
            return tuple(freeze(v) for v in value)
        return value

    selection = None if sources.selection is None else tuple(
        freeze(s) for s in sources.selection)
    return Sources(selection, sources.facts_file, sources.digests,  # type: ignore[arg-type]
                   sources.catalog)


def reload_checklists(sources: Sources) -> ChecklistSet:
    """A pickled set loaded again from its files (once per process), refusing files whose
    digest changed since it was loaded."""
    key = _frozen_sources(sources)
    cached = _LOADED.get(key)
    if cached is not None:
        return cached
    fresh = load_checklists(sources.selection, facts_file=sources.facts_file,
                            catalog=sources.catalog)
    if fresh.sources is None or fresh.sources.digests != sources.digests:
        raise ChecklistError(Problem(
            "the checklist files changed since this checklist set was loaded (sha256 differs); "
            "load the checklists again", file=sources.facts_file))
    _LOADED[key] = fresh
    return fresh


def load_profile(source: Input, facts: Mapping[str, FactSpec] | None = None, *,
                 name: str | None = None) -> Profile:
    """Load a profile and check every fact against the facts dictionary.

    ``facts`` defaults to the built-in dictionary. All problems are collected and raised
    together as one :class:`ProfileError`. A mapping that is plainly valid takes the fast
    path (loading.profile), and its digest is computed only when read.
    """
    if facts is None:
        facts = load_checklists().facts
    if isinstance(source, Mapping):
        fast = profile_from_mapping(source, facts, name or "<mapping>")
        if fast is not None:
            return fast
    return profile_from_document(read_document(source, name=name), facts)
