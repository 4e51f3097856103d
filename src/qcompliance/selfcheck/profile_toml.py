"""Writing a profile as commented TOML: the interview's output and the template's values."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Mapping

from qcompliance.loading.load import PROFILE_SCHEMA
from qcompliance.model import FactSpec, FactType, FactValue, Lang
from qcompliance.selfcheck.texts import say

__all__ = [
    "PROFILE_SCHEMA_COMMENT",
    "render_profile",
    "toml_value",
    "update_profile",
]


PROFILE_SCHEMA_COMMENT = "#:schema ./schemas/profile.schema.json"
"""The first line of a written profile: Taplo (Even Better TOML) reads the schema from it."""


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_string(key)


def _toml_string(text: str) -> str:
    # JSON's escapes are all valid TOML escapes; TOML also forbids a raw DEL.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value: object) -> str:
    """``value`` (a fact value, record or provenance) as a TOML value on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} cannot be written to a profile")
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, dt.datetime):
        raise ValueError("a date-time cannot be written to a profile")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_toml_key(str(k))} = {toml_value(v)}"
                                for k, v in value.items()) + " }"
    raise ValueError(f"{value!r} cannot be written to a profile")


def _wrapped(fact: FactValue) -> bool:
    return bool(fact.evidence or fact.source or fact.as_of or fact.attested_by
                or fact.valid_until)


def _fact_table(fact: FactValue) -> dict[str, object]:
    out: dict[str, object] = {"value": fact.value}
    if fact.evidence:
        out["evidence"] = list(fact.evidence)
    for name in ("source", "as_of", "attested_by", "valid_until"):
        given = getattr(fact, name)
        if given is not None:
            out[name] = given
    return out


def _comment(text: str) -> str:
    return "# " + " ".join(text.split())


def render_profile(facts: Mapping[str, FactValue], specs: Mapping[str, FactSpec], *,
                   lang: Lang = "zh", unknown: Iterable[str] = ()) -> str:
    """A profile as TOML: grouped by table, each fact under a ``# question`` comment.

    The first line is ``#:schema ./schemas/profile.schema.json`` for editors. Facts in
    ``unknown`` are listed as commented-out ``# key = ?`` lines to fill in later. Derived facts
    (such as a size class computed from staff and revenue) are left out: loading derives them.
    """
    unknown_keys = [k for k in unknown if k not in facts]
    written = [k for k, f in facts.items() if not f.derived_from]
    ordered = [k for k in specs if k in written or k in unknown_keys]
    ordered += [k for k in [*written, *unknown_keys] if k not in specs]
    tables: dict[str, list[str]] = {}
    for key in dict.fromkeys(ordered):
        table = key.rpartition(".")[0]
        tables.setdefault(table, []).append(key)
    lines = [PROFILE_SCHEMA_COMMENT, _comment(say("header", lang))]
    if unknown_keys:
        lines.append(_comment(say("header.unknown", lang)))
    lines += [_comment(say("header.next", lang)), f"schema = {_toml_string(PROFILE_SCHEMA)}"]
    # Root-level facts must come before any table header.
    for table in sorted(tables, key=lambda t: t != ""):
        keys = tables[table]
        lines.append("")
        if table:
            lines.append(f"[{'.'.join(_toml_key(s) for s in table.split('.'))}]")
        blocks: list[str] = []
        for key in keys:
            leaf = _toml_key(key.rpartition(".")[2])
            spec = specs.get(key)
            question = [_comment(spec.question.get(lang))] if spec is not None else []
            if key not in facts:
                lines += [*question, f"# {leaf} = ?  # {say('unknown_note', lang)}"]
                continue
            fact = facts[key]
            is_records = spec is not None and spec.type is FactType.RECORDS
            if is_records and not _wrapped(fact) and fact.value:
                blocks += ["", *question]
                header = ".".join(_toml_key(s) for s in key.split("."))
                records: Iterable[Mapping[str, object]] = fact.value  # type: ignore[assignment]
                for i, record in enumerate(records):
                    blocks += ([""] if i else []) + [f"[[{header}]]"]
                    blocks += [f"{_toml_key(str(k))} = {toml_value(v)}"
                               for k, v in record.items()]
                continue
            shown = _fact_table(fact) if _wrapped(fact) else fact.value
            lines += [*question, f"{leaf} = {toml_value(shown)}"]
        lines += blocks
    return "\n".join(lines) + "\n"


def _placeholder(leaf: str) -> re.Pattern[str]:
    """A ``# leaf = ?`` line, as :func:`render_profile` writes for an unknown fact."""
    return re.compile(rf"^\s*#\s*{re.escape(leaf)}\s*=\s*\?(\s.*)?$")


def _header_of(line: str) -> str | None:
    """The table a ``[table]`` or ``[[table]]`` header line opens, or None."""
    match = re.match(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$", line)
    if match is None:
        return None
    return ".".join(part.strip().strip('"') for part in match.group(1).split("."))


def _fill_placeholders(text: str, facts: Mapping[str, FactValue], specs: Mapping[str, FactSpec]
                       ) -> tuple[str, set[str]]:
    """Replace the ``# leaf = ?`` line of each newly answered scalar fact by its value, in
    place; the facts so placed."""
    lines = text.splitlines(keepends=True)
    table = ""
    placed: set[str] = set()
    for i, line in enumerate(lines):
        header = _header_of(line)
        if header is not None:
            table = header
            continue
        if not line.lstrip().startswith("#"):
            continue
        for key, fact in facts.items():
            spec = specs.get(key)
            if key in placed or (spec is not None and spec.type is FactType.RECORDS):
                continue
            prefix, _, leaf = key.rpartition(".")
            if prefix == table and _placeholder(leaf).match(line.rstrip("\r\n")):
                shown = _fact_table(fact) if _wrapped(fact) else fact.value
                end = "\r\n" if line.endswith("\r\n") else "\n"
                lines[i] = f"{_toml_key(leaf)} = {toml_value(shown)}{end}"
                placed.add(key)
                break
    return "".join(lines), placed


def update_profile(text: str, facts: Mapping[str, FactValue], specs: Mapping[str, FactSpec], *,
                   lang: Lang = "zh", unknown: Iterable[str] = ()) -> str:
    """``text`` (a profile being resumed) with the facts it lacks added, keeping everything
    it has: its comments, its order and the form of every value written by hand.

    A newly answered fact takes the place of its ``# key = ?`` line when there is one, else it
    goes at the end of its table (created when missing) under its question as a comment. Facts
    newly answered "unknown" get a ``# key = ?`` line. Facts ``text`` already gives are left as
    they are. Raises :class:`ValueError` when ``text`` is not TOML.
    """
    import tomlkit
    from tomlkit.items import AoT, Item, Key, Table, Whitespace

    try:
        tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ValueError(str(exc)) from None
    existing = _flatten(tomlkit.parse(text).unwrap())
    new = {k: f for k, f in facts.items() if k not in existing and not f.derived_from}
    text, placed = _fill_placeholders(text, new, specs)
    doc = tomlkit.parse(text)
    commented = {k for k in unknown if k not in facts and k not in existing}

    def table_for(key: str) -> Table | tomlkit.TOMLDocument:
        parts = key.rpartition(".")[0].split(".") if "." in key else []
        node: Table | tomlkit.TOMLDocument = doc
        for part in parts:
            child = node.get(part)
            if not isinstance(child, Table):
                child = tomlkit.table()
                node[part] = child
            node = child
        return node

    def add(node: Table | tomlkit.TOMLDocument, items: list[tuple[str | None, object]]) -> None:
        body = node.value.body if isinstance(node, Table) else node.body
        trail: list[tuple[Key | None, Item]] = []
        while body and body[-1][0] is None and isinstance(body[-1][1], Whitespace):
            trail.insert(0, body.pop())  # keep the blank line before the next table
        for leaf, item in items:
            if leaf is None:
                node.add(tomlkit.comment(str(item)))
            else:
                node.add(leaf, item)
        body.extend(trail)

    for key in [k for k in [*specs, *new, *commented] if k in new or k in commented]:
        if key in placed:
            continue
        spec = specs.get(key)
        question = [(None, " ".join(spec.question.get(lang).split()))] if spec else []
        leaf = key.rpartition(".")[2]
        node = table_for(key)
        if key in commented:
            if not any(_placeholder(leaf).match(line) for line in
                       tomlkit.dumps(node).splitlines()):
                add(node, [*question, (None, f"{leaf} = ?  # {say('unknown_note', lang)}")])
            continue
        placed.add(key)
        fact = new[key]
        if spec is not None and spec.type is FactType.RECORDS and not _wrapped(fact) \
                and fact.value:
            records = AoT([])
            for record in fact.value:  # type: ignore[attr-defined]
                table = tomlkit.table()
                for name, value in record.items():
                    table.add(name, _plain(value))
                records.append(table)
            node.add(leaf, records)
            continue
        shown = _fact_table(fact) if _wrapped(fact) else fact.value
        add(node, [*question, (leaf, _plain(shown))])
    return tomlkit.dumps(doc)


def _plain(value: object) -> object:
    """``value`` with tuples as lists, as tomlkit writes them."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _flatten(data: Mapping[str, object], prefix: str = "") -> set[str]:
    """Every dotted key path of ``data`` (tables and leaves)."""
    keys: set[str] = set()
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        keys.add(dotted)
        if isinstance(value, Mapping) and "value" not in value:
            keys |= _flatten(value, dotted + ".")
    return keys
