"""Lists of records (daily checks, trainings, recalls, inspections) from a CSV or XLSX file.

A records fact can be long; typing it field by field at a prompt is slow and error-prone.
:func:`records_template` writes the expected columns (one per field of the fact);
:func:`read_records_file` reads a filled-in sheet back as the fact's value, each cell parsed
as an answer to its field (so "是", "2026-11-19" and "?" work as they do at the prompt).

A header cell names its field by key (``date``) or by label in either language. CSV files may
be UTF-8 (with or without the BOM Excel writes) or GB 18030 (what Excel on a Chinese Windows
saves). openpyxl is imported only when an XLSX file is read or written (``pip install
qcompliance[xlsx]``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from qcompliance.errors import InputError, Problem, QComplianceError, UsageError
from qcompliance.model import FactSpec, FactType, Lang, Text
from qcompliance.selfcheck.answers import UNKNOWN, AnswerError, parse_count
from qcompliance.selfcheck.answers import parse_answer as _parse
from qcompliance.selfcheck.texts import say

__all__ = [
    "RECORDS_SUFFIXES",
    "looks_like_records_file",
    "read_records_data",
    "read_records_file",
    "records_answer",
    "records_columns",
    "records_template",
]

RECORDS_SUFFIXES = (".csv", ".xlsx")
"""The file types a list of records can be imported from."""


def looks_like_records_file(text: str) -> bool:
    """Whether an answer names a CSV or XLSX file (by its suffix) rather than a number."""
    return text.strip().strip("'\"").lower().endswith(RECORDS_SUFFIXES)


def records_columns(spec: FactSpec) -> list[str]:
    """The column headers a file of ``spec``'s records has: the field keys, in order."""
    if spec.type is not FactType.RECORDS:
        raise ValueError(f"{spec.key} is not a records fact")
    return [field.key for field in spec.fields or ()]


def _describe(field: FactSpec, lang: Lang) -> list[str]:
    values = ", ".join(field.values or ())
    return [field.key, field.label.get(lang), field.type.value,
            (field.help.get(lang) if field.help else "") + (f" [{values}]" if values else "")]


def records_template(spec: FactSpec, fmt: Literal["csv", "xlsx"], *, lang: Lang = "zh"
                     ) -> bytes:
    """An empty file for ``spec``'s records: a header row of field keys.

    The XLSX file has a second sheet explaining every column (label, type, help, choices).
    """
    columns = records_columns(spec)
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow(columns)
        return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read it as UTF-8
    _need_openpyxl(lang)
    from openpyxl import Workbook  # type: ignore[import-untyped]  # ships no type hints
    from openpyxl.styles import Font  # type: ignore[import-untyped, unused-ignore]

    book = Workbook()
    sheet = book.active
    sheet.title = "records"
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    about = book.create_sheet(say("records.columns_sheet", lang))
    about.append([say(f"records.col.{n}", lang) for n in ("key", "label", "type", "help")])
    for field in spec.fields or ():
        about.append(_describe(field, lang))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_rows(data: bytes, file: str) -> list[list[object]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    raise InputError(Problem("not UTF-8 or GB 18030 text", file=file))


def _need_openpyxl(lang: Lang) -> None:
    """Raise a UsageError saying how to install openpyxl when it is missing."""
    try:
        import openpyxl  # type: ignore[import-untyped, unused-ignore]  # noqa: F401
    except ImportError:
        raise UsageError(Problem(say("records.no_openpyxl", lang))) from None


def _xlsx_rows(data: bytes, file: str, lang: Lang, max_rows: int | None
               ) -> list[list[object]]:
    _need_openpyxl(lang)
    from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and others on bad files
        raise InputError(Problem(f"not an XLSX workbook ({exc})", file=file)) from None
    try:
        sheet = book.worksheets[0]
        rows: list[list[object]] = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if max_rows is not None and len(rows) > max_rows + 1:
                break  # read no further than the limit: a sheet can claim a million rows
        return rows
    finally:
        book.close()


def _cell(value: object) -> object:
    """A cell as an answer: Excel dates become dates, whole floats integers, blanks None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _header(cells: Sequence[object], spec: FactSpec, file: str, lang: Lang
            ) -> list[FactSpec | None]:
    names: dict[str, FactSpec] = {}
    for field in spec.fields or ():
        for name in (field.key, field.label.zh, field.label.en):
            names[name.casefold()] = field
    columns: list[FactSpec | None] = []
    problems: list[Problem] = []
    for i, cell in enumerate(cells, 1):
        text = str(_cell(cell) or "")
        if not text:
            columns.append(None)
            continue
        found = names.get(text.casefold())
        if found is None:
            expected = ", ".join(records_columns(spec))
            problems.append(Problem(say("records.bad_column", lang, got=text, expected=expected),
                                    file=file, line=1, column=i))
        columns.append(found)
    if problems:
        raise InputError(problems)
    return columns


def read_records_file(source: str | Path, spec: FactSpec, *, as_of: dt.date | None = None,
                      lang: Lang = "zh") -> tuple[dict[str, object], ...]:
    """The records of ``spec`` in a CSV or XLSX file (first sheet), one per non-empty row.

    Raises :class:`InputError` listing every bad cell (file, row, column and field), and
    :class:`UsageError` when the file does not exist or is of another type.
    """
    path = Path(str(source).strip().strip("'\""))
    file = str(path)
    if path.suffix.lower() not in RECORDS_SUFFIXES:
        raise UsageError(Problem(say("records.bad_suffix", lang), file=file))
    if not path.is_file():
        raise UsageError(Problem(say("records.no_file", lang), file=file))
    return read_records_data(path.read_bytes(), file, spec, as_of=as_of, lang=lang)


def read_records_data(data: bytes, name: str, spec: FactSpec, *, as_of: dt.date | None = None,
                      lang: Lang = "zh", max_rows: int | None = None
                      ) -> tuple[dict[str, object], ...]:
    """The records of ``spec`` in the bytes of a CSV or XLSX file called ``name`` (an upload).

    Read as :func:`read_records_file` reads a file; with ``max_rows``, a file with more
    records than that is refused rather than read to its end.
    """
    suffix = Path(name).suffix.lower()
    if suffix not in RECORDS_SUFFIXES:
        raise UsageError(Problem(say("records.bad_suffix", lang), file=name))
    rows = _csv_rows(data, name) if suffix == ".csv" else _xlsx_rows(data, name, lang, max_rows)
    if not rows:
        raise InputError(Problem(say("records.empty", lang), file=name))
    if max_rows is not None and len(rows) > max_rows + 1:
        raise InputError(Problem(say("records.too_many_rows", lang, max=max_rows), file=name))
    columns = _header(rows[0], spec, name, lang)
    records: list[dict[str, object]] = []
    problems: list[Problem] = []
    for line, row in enumerate(rows[1:], 2):
        cells = [_cell(c) for c in row]
        if all(c is None for c in cells):
            continue
        record: dict[str, object] = {}
        for column, (field, cell) in enumerate(zip(columns, cells, strict=False), 1):
            if field is None or cell is None:
                continue
            try:
                value = _parse(field, cell, as_of=as_of)
            except AnswerError as exc:
                problems.append(Problem(exc.text.get(lang), file=name, line=line,
                                        column=column, key=f"{spec.key}.{field.key}"))
                continue
            if value is not UNKNOWN:
                record[field.key] = value
        records.append(record)
    if problems:
        raise InputError(problems)
    return tuple(records)


def records_answer(spec: FactSpec, raw: object, *, as_of: dt.date, lang: Lang, files: bool
                   ) -> tuple[object, str | None]:
    """The answer to a records question: the rows given (a list of mappings), the records of
    a CSV or XLSX file named (when ``files``; with a note saying so), or how many records
    will be typed one by one. Raises :class:`AnswerError`."""
    if isinstance(raw, (list, tuple)):
        return _parse(spec, raw, as_of=as_of), None
    text = raw.strip() if isinstance(raw, str) else raw
    if isinstance(text, str) and files and looks_like_records_file(text):
        try:
            records = read_records_file(text, spec, as_of=as_of, lang=lang)
        except QComplianceError as exc:
            raise AnswerError(Text(str(exc), str(exc))) from None
        return records, say("records.imported", lang, n=len(records), path=text.strip("'\""))
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if isinstance(text, str):
        return parse_count(text), None
    return _parse(spec, raw, as_of=as_of), None
