"""Lint checklists: everything loading checks, file by file, plus what a reviewer would catch.

Beyond the loader's checks (shape, declared facts, duplicate ids, cited sources, types) the
linter finds conditions that can never be true or never be false, by trying every combination
of values that matter to the condition (each constant it compares with, and the values just
around it). A checklist whose ``applies`` can never hold, or whose ``check`` cannot fail, is a
defect: the item could never speak.
"""

from __future__ import annotations

import datetime as dt
import itertools
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path

from qcompliance.errors import InputError, Problem
from qcompliance.loading.load import (
    Document,
    builtin_dir,
    builtin_paths,
    load_checklist,
    load_facts,
    read_document,
)
from qcompliance.model import Checklist, FactSpec, FactType, Source, Text
from qcompliance.rules.compiler import MISSING, CompileError, Context, compile_condition
from qcompliance.rules.conditions import All, AnyOf, Condition, Count, Cover, Leaf, Not, Param

__all__ = ["fact_text_problems", "lint_paths", "satisfiable", "source_identity",
           "source_problems"]

_DAY = dt.date(2026, 1, 1)  # any fixed day: conditions only see dates relative to it
_LIMIT = 50_000  # combinations tried at most; beyond, the condition is not judged


def _leaves(cond: Condition) -> Iterator[Leaf | Count | Cover]:
    match cond:
        case All(parts) | AnyOf(parts):
            for part in parts:
                yield from _leaves(part)
        case Not(part):
            yield from _leaves(part)
        case Leaf() | Count() | Cover():
            yield cond


def _value(raw: object, params: Mapping[str, object]) -> object:
    if isinstance(raw, Param):
        value = params.get(raw.name)
        return tuple(value) if isinstance(value, list) else value
    return raw


def _candidates(spec: FactSpec, leaves: Sequence[Leaf], params: Mapping[str, object]
                ) -> list[object]:
    """The values of one fact worth trying: missing, and each boundary the leaves test."""
    out: list[object] = [MISSING]
    constants = [_value(leaf.value, params) for leaf in leaves]
    match spec.type:
        case FactType.BOOL:
            out += [True, False]
        case FactType.ENUM:
            out += list(spec.values or ())
        case FactType.INT | FactType.NUMBER:
            step = 1 if spec.type is FactType.INT else 0.5
            numbers: set[float] = {0}
            for c in constants:
                for n in c if isinstance(c, tuple) else (c,):
                    if isinstance(n, (int, float)) and not isinstance(n, bool):
                        numbers |= {n - step, n, n + step}
            out += sorted(numbers)
        case FactType.DATE:
            days = {0}
            for leaf, c in zip(leaves, constants, strict=True):
                if isinstance(c, int) and not isinstance(c, bool):
                    sign = 1 if leaf.op == "valid_for_days" else -1
                    days |= {sign * (c - 1), sign * c, sign * (c + 1)}
                elif isinstance(c, dt.date):
                    days |= {(c - _DAY).days + d for d in (-1, 0, 1)}
            days |= {1, -1}
            out += [_DAY + dt.timedelta(days=d) for d in sorted(days)]
        case FactType.STRING:
            strings = {""} | {c for c in constants if isinstance(c, str)}
            for c in constants:
                if isinstance(c, tuple):
                    strings |= {x for x in c if isinstance(x, str)}
            out += sorted(strings)
        case FactType.LIST:
            members: set[str] = set()
            for c in constants:
                members |= set(c) if isinstance(c, tuple) else {c} if isinstance(c, str) else set()
            ordered = sorted(members)
            out += [(), tuple(ordered)] + [(m,) for m in ordered]
            out += [tuple(x for x in ordered if x != m) for m in ordered]
        case FactType.RECORDS:
            pass  # counts are replaced by free truth values below
    return out


def _outcomes(cond: Condition, facts: Mapping[str, FactSpec],
              params: Mapping[str, object]) -> set[bool | None] | None:
    """Every truth value ``cond`` can take, or None when there are too many cases to try."""
    leaves = list(_leaves(cond))
    counts = [leaf for leaf in leaves if isinstance(leaf, (Count, Cover))]
    fact_leaves: dict[str, list[Leaf]] = {}
    for leaf in leaves:
        if isinstance(leaf, Leaf):
            fact_leaves.setdefault(leaf.fact, []).append(leaf)
    keys = list(fact_leaves)
    pools = [_candidates(facts[k], fact_leaves[k], params) for k in keys]
    count_keys = [f"\0count{i}" for i in range(len(counts))]
    total = 1
    for pool in pools:
        total *= len(pool)
    total *= 2 ** len(counts)
    if total > _LIMIT:
        return None
    # Counts become boolean facts, so the whole condition compiles against a widened dictionary.
    swapped = _swap_counts(cond, iter(count_keys))
    widened = dict(facts)
    for key in count_keys:
        widened[key] = FactSpec(key, FactType.BOOL, Text(key, key), Text(key, key))
    run = compile_condition(swapped, widened, params)
    seen: set[bool | None] = set()
    for combo in itertools.product(*pools, *([(True, False)] * len(counts))):
        values = {k: v for k, v in zip([*keys, *count_keys], combo, strict=True)
                  if v is not MISSING}
        seen.add(run(Context(values, _DAY))[0])
        if len(seen) == 3:
            break
    return seen


def _swap_counts(cond: Condition, names: Iterator[str]) -> Condition:
    match cond:
        case All(parts):
            return All(tuple(_swap_counts(p, names) for p in parts))
        case AnyOf(parts):
            return AnyOf(tuple(_swap_counts(p, names) for p in parts))
        case Not(part):
            return Not(_swap_counts(part, names))
        case Count() | Cover():
            return Leaf(next(names), "eq", True)
    return cond


def satisfiable(cond: Condition, facts: Mapping[str, FactSpec],
                params: Mapping[str, object] | None = None) -> bool | None:
    """Whether some profile makes ``cond`` true (None: too many cases to tell)."""
    outcomes = _outcomes(cond, facts, params or {})
    return None if outcomes is None else True in outcomes


def _texts(doc: Document, checklist: Checklist) -> Iterator[Problem]:
    def empty(text: Text | None) -> bool:
        return text is not None and (not text.zh.strip() or not text.en.strip())

    if empty(checklist.title):
        yield doc.problem(("title",), "needs non-empty zh and en text")
    for i, item in enumerate(checklist.items):
        for name in ("title", "remediation", "notes"):
            if empty(getattr(item, name)):
                yield doc.problem(("items", i, name), "needs non-empty zh and en text")
        for j, text in enumerate(item.evidence):
            if empty(text):
                yield doc.problem(("items", i, "evidence", j), "needs non-empty zh and en text")
    for i, src in enumerate(checklist.sources):
        if empty(src.title) or empty(src.issuer):
            yield doc.problem(("sources", i), "needs non-empty zh and en title and issuer")
    yield from fact_text_problems(doc, checklist.facts)
    cited = {basis.source for item in checklist.items for basis in item.basis}
    for i, src in enumerate(checklist.sources):
        if src.id not in cited:
            yield doc.problem(("sources", i, "id"), f"source '{src.id}' is cited by no item")


def fact_text_problems(doc: Document, specs: Sequence[FactSpec]) -> Iterator[Problem]:
    """A fact a person must answer needs help text beside its question, in both languages,
    and every value it allows (a record field's too) a label: reports never show a code."""
    for i, spec in enumerate(specs):
        if spec.help is None or not spec.help.zh.strip() or not spec.help.en.strip():
            yield doc.problem(("facts", i, "help"),
                              f"fact '{spec.key}' needs help text in zh and en")
        yield from _value_label_problems(doc, ("facts", i), spec, spec.key)


def _value_label_problems(doc: Document, path: tuple[str | int, ...], spec: FactSpec,
                          name: str) -> Iterator[Problem]:
    labels = spec.value_labels or {}
    missing = [v for v in spec.values or () if v not in labels
               or not labels[v].zh.strip() or not labels[v].en.strip()]
    if missing:
        yield doc.problem((*path, "value_labels"),
                          f"'{name}' needs a zh and en label for each value; missing: "
                          + ", ".join(missing))
    for j, field in enumerate(spec.fields or ()):
        yield from _value_label_problems(doc, (*path, "fields", j), field,
                                         f"{name}.{field.key}")


def _logic(doc: Document, checklist: Checklist, facts: Mapping[str, FactSpec]
           ) -> Iterator[Problem]:
    if checklist.applies is not None and satisfiable(checklist.applies, facts) is False:
        yield doc.problem(("applies",), "this condition can never be true")
    for i, item in enumerate(checklist.items):
        if item.applies is not None:
            applies = item.applies if checklist.applies is None else All(
                (checklist.applies, item.applies))
            if satisfiable(applies, facts, item.params) is False:
                yield doc.problem(("items", i, "applies"), "this condition can never be true")
        outcomes = _outcomes(item.check, facts, item.params)
        if outcomes is not None and True not in outcomes:
            yield doc.problem(("items", i, "check"), "this check can never pass")
        if outcomes is not None and False not in outcomes and item.kind.value == "obligation":
            yield doc.problem(("items", i, "check"), "this check can never fail")


def _compile_problems(doc: Document, checklist: Checklist, facts: Mapping[str, FactSpec]
                      ) -> list[Problem]:
    """Compile each condition on its own so that every mistake is reported, not the first."""
    out = []
    conditions: list[tuple[tuple[str | int, ...], Condition, Mapping[str, object]]] = []
    if checklist.applies is not None:
        conditions.append((("applies",), checklist.applies, {}))
    for i, item in enumerate(checklist.items):
        if item.applies is not None:
            conditions.append((("items", i, "applies"), item.applies, item.params))
        conditions.append((("items", i, "check"), item.check, item.params))
    for path, cond, params in conditions:
        try:
            compile_condition(cond, facts, params)
        except CompileError as exc:
            out.append(doc.problem((*path, *exc.path), exc.message))
    return out


def source_identity(source: Source) -> tuple[object, ...]:
    """What makes two declarations of a source one text: its title (NFKC, so full- and
    half-width punctuation agree), its dates and its official number."""
    number = source.official.number if source.official is not None else None
    return (unicodedata.normalize("NFKC", source.title.zh).strip(), source.published,
            source.effective, number)


def _differ(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    """Whether two identities name different texts: a title that differs, or a date or number
    both give and give differently (one left out is no conflict)."""
    return a[0] != b[0] or any(x is not None and y is not None and x != y
                               for x, y in zip(a[1:], b[1:], strict=True))


def source_problems(loaded: Iterable[tuple[Checklist, Document]], targets: AbstractSet[Path]
                    ) -> list[Problem]:
    """A source id that names different texts in different checklists, reported in each
    target checklist that declares it: one id must mean one text across the catalogue."""
    pairs = sorted(loaded, key=lambda pair: pair[0].id)
    first: dict[str, tuple[tuple[object, ...], str]] = {}
    for checklist, _ in pairs:
        for source in checklist.sources:
            first.setdefault(source.id, (source_identity(source), checklist.id))
    by_title: dict[object, tuple[str, str]] = {}
    for checklist, _ in pairs:
        for source in checklist.sources:
            by_title.setdefault(source_identity(source)[:2], (source.id, checklist.id))
    problems = []
    for checklist, doc in pairs:
        if Path(doc.origin).resolve() not in targets:
            continue
        for i, source in enumerate(checklist.sources):
            identity = source_identity(source)
            other, where = first[source.id]
            if where != checklist.id and _differ(identity, other):
                problems.append(doc.problem(
                    ("sources", i, "id"),
                    f"source id '{source.id}' names another text in {where} "
                    f"('{other[0]}', published {other[1] or '?'}): one source id, one text"))
            named, there = by_title[identity[:2]]  # two versions of a title differ by date
            if named != source.id:
                problems.append(doc.problem(
                    ("sources", i, "id"),
                    f"'{identity[0]}' is source '{named}' in {there}: use one id for one text"))
    return problems


def lint_paths(paths: Iterable[str | Path] | None = None) -> tuple[list[Problem], int, int]:
    """Lint checklist files (default: every built-in one) with the built-in facts dictionary.

    Returns every problem found, the number of checklists read and of items in them. One
    broken file does not hide the problems of the others.
    """
    problems: list[Problem] = []
    facts_path = builtin_dir() / "facts.toml"
    facts: dict[str, FactSpec] = {}
    try:
        base = load_facts(facts_path)
        for spec in base:
            facts[spec.key] = spec
        if paths is None:
            problems += fact_text_problems(read_document(facts_path), base)
    except InputError as exc:
        problems += exc.problems
    targets = [Path(p) for p in paths] if paths else builtin_paths()
    everything = {p.resolve(): p for p in [*builtin_paths(), *targets]}
    loaded: dict[Path, tuple[Checklist, Document]] = {}
    for resolved, path in everything.items():
        try:
            loaded[resolved] = load_checklist(path)
        except InputError as exc:
            if resolved in {t.resolve() for t in targets}:
                problems += exc.problems
    for checklist, doc in loaded.values():
        for i, spec in enumerate(checklist.facts):
            clash = spec.key in facts and facts[spec.key].origin != spec.origin
            if clash and any(t.resolve() == Path(doc.origin).resolve() for t in targets):
                problems.append(doc.problem(
                    ("facts", i, "key"),
                    f"fact '{spec.key}' is declared twice (also in {facts[spec.key].origin})"))
            facts.setdefault(spec.key, spec)
    problems += source_problems(loaded.values(), {t.resolve() for t in targets})
    checked = items = 0
    seen_ids: dict[str, str] = {}
    for target in targets:
        entry = loaded.get(target.resolve())
        if entry is None:
            continue
        checklist, doc = entry
        checked += 1
        items += len(checklist.items)
        if checklist.id in seen_ids:
            problems.append(doc.problem(("id",), f"checklist id '{checklist.id}' is also used by "
                                                 f"{seen_ids[checklist.id]}"))
        seen_ids[checklist.id] = doc.origin
        compiled = _compile_problems(doc, checklist, facts)
        problems += compiled
        problems += _texts(doc, checklist)
        if compiled:
            continue
        problems += _logic(doc, checklist, facts)
    return problems, checked, items
