"""The inputs of a batch, read one company at a time.

Four shapes (docs/batch.md):

* a folder of TOML/JSON profiles (``*.toml``, ``*.json``, searched recursively, sorted);
* a JSON Lines file: one profile (the JSON form of a profile file) per line;
* a CSV file or an XLSX workbook whose header row names fact keys, one company a row. An ``id``
  column names the company (default: its row number). A row whose ``id`` starts with ``#`` is
  a comment (the questionnaire's question and allowed-value rows). Records facts (tables of
  rows, such as ``food_safety.managers``) come from a companion: the workbook's ``records``
  sheet, or ``<stem>.records.csv`` next to a CSV file, with the columns ``id`` (the company),
  ``fact`` (the records fact key) and one column per field. A row with an id and a fact but no
  field says the company's table is empty (as ``veto_events = []`` does in a profile).

Beside its facts, each company may carry the caller's ``id``, ``external_id`` and ``metadata``
(:mod:`qcompliance.batch.caller`), which its row keeps whatever becomes of the company.

Reading yields :class:`Entry` values: plain, picklable data that a worker process turns into a
profile. Nothing here holds more than one company at a time, except the records companion,
which is grouped by company id in memory (it is small next to the companies it belongs to).
Every file is checked to be a regular file before it is opened, and every read is bounded
(:mod:`qcompliance.batch.bounded`, :mod:`qcompliance.limits`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Literal

import attrs

from qcompliance.batch.bounded import (
    bounded_lines,
    check_xlsx,
    open_regular,
    parse_line,
    require_regular,
    too_long,
)
from qcompliance.batch.caller import (
    EXTERNAL_ID,
    ID,
    METADATA_PREFIX,
    caller_of,
    cell_text,
    without_caller,
)
from qcompliance.errors import ParseError, Problem, UsageError
from qcompliance.limits import (
    BATCH_LIMITS,
    MAX_COLUMNS,
    MAX_LINE_BYTES,
    MAX_ROWS,
    BatchLimits,
)
from qcompliance.model import FactSpec, FactType

__all__ = [
    "COMMENT",
    "ID_COLUMN",
    "RECORDS_SHEET",
    "Entry",
    "Source",
    "entry_of",
    "jsonl_entry",
    "open_source",
    "records_companion",
]

ID_COLUMN = ID
"""The column that names a company in a flat (CSV/XLSX) input."""
COMMENT = "#"
"""A row whose id starts with this is a comment, not a company."""
RECORDS_SHEET = "records"
"""The workbook sheet (or ``<stem>.records.csv`` file) that holds records facts."""
COMPANIES_SHEET = "companies"
"""The workbook sheet of companies (default: the first sheet)."""
_FIELD_COLUMN = "fact"


@attrs.frozen
class Entry:
    """One company of an input before it is loaded: where it is and its raw data.

    ``kind`` says what ``data`` holds: ``file`` (``data`` is None; ``origin`` is the profile
    file), ``mapping`` (a parsed JSON object, as a profile file would hold) or ``cells`` (a flat
    row: fact key to raw cell value, and ``records`` from the companion). ``problem`` is set
    when the entry could not even be read (a line that is not JSON). ``external_id`` and
    ``metadata`` are the caller's (a profile file's are read with it, in the worker).
    """

    index: int
    ident: str
    origin: str
    line: int | None
    kind: Literal["file", "mapping", "cells"]
    data: Mapping[str, object] | None = None
    records: Mapping[str, tuple[Mapping[str, object], ...]] = attrs.field(factory=dict)
    problem: Problem | None = None
    external_id: str | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class Source:
    """An opened input: its entries (an iterator, read lazily) and how many there are, when
    that is cheap to know (for the progress bar)."""

    path: Path
    shape: Literal["folder", "jsonl", "csv", "xlsx"]
    total: int | None
    entries: Iterator[Entry]


def open_source(path: str | Path, facts: Mapping[str, FactSpec],
                limits: BatchLimits = BATCH_LIMITS) -> Source:
    """Open ``path`` as a batch input; a UsageError or ParseError when it is none of the four
    shapes or its header names no fact. ``facts`` is the facts dictionary (for headers);
    ``limits`` bound its lines and (for a workbook) what it unzips to."""
    src = Path(path)
    if src.is_dir():
        files = _profile_files(src)
        return Source(src, "folder", len(files), _folder_entries(files))
    suffix = src.suffix.lower()
    if suffix not in (".jsonl", ".ndjson", ".csv", ".xlsx", ".xlsm") and not src.exists():
        raise UsageError(Problem("no such file or folder", file=str(src), key="INPUT"))
    if suffix in (".jsonl", ".ndjson", ".csv", ".xlsx", ".xlsm"):
        require_regular(src)
    if suffix in (".jsonl", ".ndjson"):
        return Source(src, "jsonl", _count_lines(src, limits.line_bytes),
                      _jsonl_entries(src, limits.line_bytes))
    if suffix == ".csv":
        header, rows = _csv_rows(src, limits.line_bytes)
        _check_header(header, facts, str(src))
        records = records_companion(src, facts, limits.line_bytes)
        return Source(src, "csv", None, _flat_entries(str(src), header, rows, records))
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_source(src, facts, limits)
    raise UsageError(Problem(
        "INPUT must be a folder of profiles, a .jsonl, a .csv or an .xlsx file",
        file=str(src), key="INPUT"))


def _profile_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*")
        if p.suffix.lower() in (".toml", ".json") and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _folder_entries(files: list[Path]) -> Iterator[Entry]:
    for index, file in enumerate(files):
        yield Entry(index, file.stem, str(file), None, "file")


def _count_lines(path: Path, limit: int) -> int:
    """Lines that are not blank, counted in bounded lines (for the progress bar)."""
    count = 0
    with open_regular(path) as handle:
        for _, line in bounded_lines(handle, limit):
            count += line is None or bool(line.strip())
    return count


def jsonl_entry(index: int, raw: bytes | None, origin: str, number: int,
                limit: int = MAX_LINE_BYTES) -> Entry:
    """The entry of one JSON Lines line (``raw`` None: a line longer than ``limit``); a line
    that is not a profile mapping is an entry carrying its problem, so a batch goes on."""
    data, problem = parse_line(raw, origin, number, limit)
    if data is None:
        return Entry(index, f"line {number}", origin, number, "mapping", problem=problem)
    return entry_of(index, data, origin, number)


def entry_of(index: int, data: object, origin: str, number: int) -> Entry:
    """The entry of one profile already parsed (a JSON Lines line, an element of a JSON
    array): named by its ``id`` member, else ``line N``, its caller's members taken out of its
    facts; one that is not an object, or whose caller's members are malformed, carries its
    problem."""
    if not isinstance(data, Mapping):
        return Entry(index, f"line {number}", origin, number, "mapping", problem=Problem(
            "each profile must be a JSON object", file=origin, line=number))
    caller, problem = caller_of(data, origin, number)
    return Entry(index, caller.ident or f"line {number}", origin, number, "mapping",
                 without_caller(data), problem=problem, external_id=caller.external_id,
                 metadata=caller.metadata)


def _jsonl_entries(path: Path, limit: int) -> Iterator[Entry]:
    origin = str(path)
    index = 0
    with open_regular(path) as handle:
        for number, line in bounded_lines(handle, limit):
            if line is not None and not line.strip():
                continue
            yield jsonl_entry(index, line, origin, number, limit)
            index += 1


def _csv_rows(path: Path, limit: int = MAX_LINE_BYTES
              ) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header of a CSV file, and an iterator over its other rows with their line numbers
    (the file is opened again for the rows, and closed when they are done)."""
    origin = str(path)

    def lines(handle: IO[bytes]) -> Iterator[str]:
        """Bounded lines, each decoded on its own, so a bad byte is reported at its line."""
        for number, raw in bounded_lines(handle, limit):
            if raw is None:
                raise ParseError(Problem(too_long(limit), file=origin, line=number))
            try:
                yield (raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw).decode()
            except UnicodeDecodeError as exc:
                raise ParseError(Problem(f"is not UTF-8 text (byte {exc.start})",
                                         file=origin, line=number)) from None

    def reader_of(handle: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(lines(handle))
        try:
            for count, row in enumerate(reader):
                if count > MAX_ROWS:
                    raise ParseError(Problem(f"has more than {MAX_ROWS} rows", file=origin,
                                             line=reader.line_num))
                yield reader.line_num, row
        except csv.Error as exc:
            raise ParseError(Problem(f"invalid CSV: {exc}", file=origin,
                                     line=reader.line_num + 1)) from None

    with open_regular(path) as handle:
        first = next(reader_of(handle), None)
    if first is None:
        raise ParseError(Problem("is empty: the first row must name fact keys",
                                 file=origin, line=1))

    def rows() -> Iterator[tuple[int, list[str]]]:
        with open_regular(path) as handle:
            iterator = reader_of(handle)
            next(iterator, None)
            yield from iterator

    return _header(first[1], origin), rows()


def _header(cells: list[str] | tuple[object, ...], origin: str) -> list[str]:
    """A header row's names, trailing empty columns dropped; at most MAX_COLUMNS of them."""
    header = ["" if v is None else str(v).strip() for v in cells]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise ParseError(Problem(f"the header has more than {MAX_COLUMNS} columns",
                                 file=origin, line=1))
    return header


def _check_header(header: list[str], facts: Mapping[str, FactSpec], origin: str,
                  records: bool = False) -> None:
    """Every column is ``id``, a fact key (a field, in a records sheet) or empty."""
    from qcompliance.suggest import did_you_mean

    seen: set[str] = set()
    for column in header:
        if not column:
            continue
        if column in seen:
            raise ParseError(Problem(f"column '{column}' appears twice", file=origin, line=1,
                                     key=column))
        seen.add(column)
        if records or column in (ID_COLUMN, EXTERNAL_ID):
            continue
        if column.startswith(METADATA_PREFIX) and column != METADATA_PREFIX:
            continue
        spec = facts.get(column)
        if spec is None:
            raise ParseError(Problem(f"column '{column}' is not a fact key"
                                     f"{did_you_mean(column, facts)}",
                                     file=origin, line=1, key=column))
        if spec.type is FactType.RECORDS:
            raise ParseError(Problem(
                f"'{column}' is a records fact: give its rows in the records companion "
                "(the 'records' sheet or <stem>.records.csv)", file=origin, line=1, key=column))
    if records and (ID_COLUMN not in seen or _FIELD_COLUMN not in seen):
        raise ParseError(Problem("a records table needs the columns 'id' and 'fact'",
                                 file=origin, line=1))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _flat_entries(origin: str, header: list[str],
                  rows: Iterator[tuple[int, list[Any]] | tuple[int, tuple[Any, ...]]],
                  records: Mapping[str, dict[str, list[Mapping[str, object]]]]
                  ) -> Iterator[Entry]:
    id_at = header.index(ID_COLUMN) if ID_COLUMN in header else None
    index = 0
    for number, row in rows:
        if all(_blank(v) for v in row):
            continue
        given = row[id_at] if id_at is not None and id_at < len(row) else None
        ident = str(given).strip() if not _blank(given) else f"row {number}"
        if ident.startswith(COMMENT):
            continue
        cells: dict[str, object] = {}
        external_id: str | None = None
        metadata: dict[str, str] = {}
        for column, value in zip(header, row, strict=False):
            if not column or column == ID_COLUMN or _blank(value):
                continue
            if column == EXTERNAL_ID:
                external_id = cell_text(value)
            elif column.startswith(METADATA_PREFIX):
                metadata[column.removeprefix(METADATA_PREFIX)] = cell_text(value)
            else:
                cells[column] = value
        own = {fact: tuple(rows_) for fact, rows_ in records.get(ident, {}).items()}
        yield Entry(index, ident, origin, number, "cells", cells, own,
                    external_id=external_id, metadata=metadata)
        index += 1


def records_companion(path: Path, facts: Mapping[str, FactSpec], limit: int = MAX_LINE_BYTES
                      ) -> dict[str, dict[str, list[Mapping[str, object]]]]:
    """The rows of ``<stem>.records.csv`` next to a CSV input, by company id then fact key
    (empty when there is no such file)."""
    companion = path.with_name(path.stem + ".records.csv")
    if not companion.exists():
        return {}
    require_regular(companion, key="records")
    header, rows = _csv_rows(companion, limit)
    return _group_records(str(companion), header, rows, facts)


def _group_records(origin: str, header: list[str],
                   rows: Iterator[tuple[int, list[Any]] | tuple[int, tuple[Any, ...]]],
                   facts: Mapping[str, FactSpec]
                   ) -> dict[str, dict[str, list[Mapping[str, object]]]]:
    _check_header(header, facts, origin, records=True)
    out: dict[str, dict[str, list[Mapping[str, object]]]] = {}
    id_at, fact_at = header.index(ID_COLUMN), header.index(_FIELD_COLUMN)
    for number, row in rows:
        padded = list(row) + [None] * (len(header) - len(row))
        ident, fact = padded[id_at], padded[fact_at]
        if _blank(ident) or str(ident).strip().startswith(COMMENT):
            continue
        fact_key = "" if _blank(fact) else str(fact).strip()
        spec = facts.get(fact_key)
        if spec is None or spec.type is not FactType.RECORDS:
            raise ParseError(Problem(f"'{fact_key}' is not a records fact", file=origin,
                                     line=number, key=_FIELD_COLUMN))
        fields = {f.key for f in spec.fields or ()}
        record = {}
        for column, value in zip(header, padded, strict=False):
            if column in (ID_COLUMN, _FIELD_COLUMN, "") or _blank(value):
                continue
            if column not in fields:
                raise ParseError(Problem(f"'{column}' is not a field of {fact_key}",
                                         file=origin, line=number, key=column))
            record[column] = value
        rows_of = out.setdefault(str(ident).strip(), {}).setdefault(fact_key, [])
        if record:  # a row without fields only says the company has this table, maybe empty
            rows_of.append(record)
    return out


def _xlsx_source(path: Path, facts: Mapping[str, FactSpec], limits: BatchLimits) -> Source:
    try:
        import openpyxl  # type: ignore[import-untyped]  # openpyxl ships no type hints
    except ImportError:
        raise UsageError(Problem("an xlsx input needs openpyxl: pip install 'qcompliance[xlsx]'",
                                 key="INPUT")) from None
    check_xlsx(path, limits)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException …
        raise ParseError(Problem(f"not a readable xlsx workbook ({type(exc).__name__})",
                                 file=str(path))) from None
    names = list(book.sheetnames)
    sheet = book[COMPANIES_SHEET] if COMPANIES_SHEET in names else book[names[0]]
    origin = f"{path}[{sheet.title}]"
    header, rows = _sheet_rows(sheet, origin)
    _check_header(header, facts, origin)
    records: dict[str, dict[str, list[Mapping[str, object]]]] = {}
    if RECORDS_SHEET in names and sheet.title != RECORDS_SHEET:
        r_header, r_rows = _sheet_rows(book[RECORDS_SHEET], f"{path}[{RECORDS_SHEET}]")
        if r_header:
            records = _group_records(f"{path}[{RECORDS_SHEET}]", r_header, r_rows, facts)
    total = max(0, (sheet.max_row or 1) - 1) if sheet.max_row else None

    def entries() -> Iterator[Entry]:
        try:
            yield from _flat_entries(origin, header, rows, records)
        finally:
            book.close()

    return Source(path, "xlsx", total, entries())


def _sheet_rows(sheet: Any, origin: str
                ) -> tuple[list[str], Iterator[tuple[int, tuple[Any, ...]]]]:
    """The header of a sheet and its other rows, each cut to the header's width (a sheet may
    claim 16,384 columns) and no more than MAX_ROWS of them."""
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
    if first is None:
        return [], iter(())
    header = _header(first, origin)
    if not header:
        return [], iter(())

    def rows() -> Iterator[tuple[int, tuple[Any, ...]]]:
        iterator = sheet.iter_rows(min_row=2, max_col=len(header), values_only=True)
        for number, row in enumerate(iterator, start=2):
            if number > MAX_ROWS:
                raise ParseError(Problem(f"has more than {MAX_ROWS} rows", file=origin,
                                         line=number))
            yield number, row

    return header, rows()
