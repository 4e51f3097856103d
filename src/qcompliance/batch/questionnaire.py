"""The supplier questionnaire: the sheet a chain leader sends to its suppliers to fill in.

One column per fact the chosen checklists read (after ``id``, the company's name and credit
code), headed by the fact key so that the filled sheet is a valid batch INPUT as it is. In the
workbook each header carries the question as a comment, and enumerations and booleans get
drop-down lists (data validation); records facts (tables of rows) get a ``records`` sheet with
``id``, ``fact`` and their fields; a ``questions`` sheet lists every question with its type and
allowed values. In CSV the second and third rows (their ``id`` starts with ``#``, so a batch
skips them) hold each question and its allowed values.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from qcompliance.batch.sources import COMMENT, ID_COLUMN, RECORDS_SHEET
from qcompliance.errors import Problem, UsageError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.model import FactSpec, FactType, Lang, Text

__all__ = ["IDENTITY", "questionnaire_csv", "questionnaire_facts", "questionnaire_xlsx"]

IDENTITY = ("company.name", "company.credit_code")
"""Facts every questionnaire asks first, whatever the checklists read: who is answering."""

_TYPE = {
    FactType.BOOL: Text("是/否（true/false）", "yes/no (true/false)"),
    FactType.INT: Text("整数", "whole number"),
    FactType.NUMBER: Text("数字", "number"),
    FactType.STRING: Text("文字", "text"),
    FactType.DATE: Text("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
    FactType.ENUM: Text("从下拉列表中选一项", "one value from the drop-down"),
    FactType.LIST: Text("多项，用分号 ; 分隔", "several values separated by ;"),
    FactType.RECORDS: Text("表格：在 records 工作表中逐行填写", "a table: one row each in the "
                           "records sheet"),
}
_TEXTS = {
    "id": Text("企业编号（您自定，用于关联 records 工作表）",
               "Company id (yours to choose; links rows of the records sheet)"),
    "question_row": Text("问题", "question"),
    "values_row": Text("可填值", "allowed values"),
    "fact": Text("records 事实的键", "the records fact's key"),
    "questions": Text("questions", "questions"),
    "key": Text("键", "Key"),
    "label": Text("名称", "Label"),
    "question": Text("问题", "Question"),
    "type": Text("类型", "Type"),
    "values": Text("可填值", "Allowed values"),
    "help": Text("说明", "Help"),
}
_BOOL_CHOICES = ("true", "false")
_INLINE_LIST_LIMIT = 255  # Excel's limit for a list written inline in a validation formula


def questionnaire_facts(checklists: ChecklistSet) -> list[FactSpec]:
    """The facts a questionnaire asks for: the company's name and credit code, then every fact
    the checklists read, in first-read order."""
    read = checklists.facts_read()
    first = [checklists.facts[k] for k in IDENTITY if k in checklists.facts]
    return [*first, *(f for f in read if f.key not in IDENTITY)]


def _allowed(spec: FactSpec, lang: Lang) -> list[str]:
    if spec.type is FactType.BOOL:
        return list(_BOOL_CHOICES)
    return list(spec.values or ())


def _allowed_text(spec: FactSpec, lang: Lang) -> str:
    values = spec.values or ()
    if not values:
        return "true / false" if spec.type is FactType.BOOL else ""
    labels = spec.value_labels or {}
    return "; ".join(f"{v} ({labels[v].get(lang)})" if v in labels else v for v in values)


def _comment(spec: FactSpec, lang: Lang) -> str:
    lines = [spec.label.get(lang), spec.question.get(lang),
             f"[{_TYPE[spec.type].get(lang)}]"]
    if spec.unit is not None:
        lines.append(spec.unit.get(lang))
    allowed = _allowed_text(spec, lang)
    if allowed and spec.type is not FactType.BOOL:
        lines.append(allowed)
    if spec.help is not None:
        lines.append(spec.help.get(lang))
    return "\n".join(lines)


def _split(facts: Sequence[FactSpec]) -> tuple[list[FactSpec], list[FactSpec]]:
    flat = [f for f in facts if f.type is not FactType.RECORDS]
    return flat, [f for f in facts if f.type is FactType.RECORDS]


def questionnaire_csv(facts: Sequence[FactSpec], lang: Lang = "zh") -> str:
    """The questionnaire as CSV text (BOM first, for Excel): header, question and values rows.

    Records facts cannot be columns; a CSV questionnaire lists them in the question row of the
    ``id`` column, to be given in ``<stem>.records.csv``.
    """
    flat, records = _split(facts)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([ID_COLUMN, *(f.key for f in flat)])
    note = f"{COMMENT} {_TEXTS['question_row'].get(lang)}"
    if records:
        note += " | records: " + ", ".join(f.key for f in records)
    writer.writerow([note, *(f"{f.label.get(lang)}：{f.question.get(lang)}" if lang == "zh"
                             else f"{f.label.get(lang)}: {f.question.get(lang)}" for f in flat)])
    writer.writerow([f"{COMMENT} {_TEXTS['values_row'].get(lang)}",
                     *(_allowed_text(f, lang) or f"[{_TYPE[f.type].get(lang)}]" for f in flat)])
    return "\ufeff" + buffer.getvalue()


def questionnaire_xlsx(facts: Sequence[FactSpec], lang: Lang = "zh") -> bytes:
    """The questionnaire as an Excel workbook with header comments and drop-down lists."""
    try:
        import openpyxl  # type: ignore[import-untyped]  # openpyxl ships no type hints
        from openpyxl.comments import Comment  # type: ignore[import-untyped]
        from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
        from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
        from openpyxl.worksheet.datavalidation import (  # type: ignore[import-untyped]
            DataValidation,
        )
    except ImportError:
        raise UsageError(Problem("the xlsx format needs openpyxl: pip install "
                                 "'qcompliance[xlsx]'", key="--format")) from None
    flat, records = _split(facts)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "companies"
    lists = book.create_sheet("lists")
    lists.sheet_state = "hidden"
    list_column = 0
    rows = 1000  # validations cover this many company rows

    def header(ws: Any, col: int, key: str, comment: str) -> None:
        cell = ws.cell(row=1, column=col, value=key)
        cell.font = Font(bold=True)
        note = Comment(comment, "qcompliance")
        note.width, note.height = 320, 180
        cell.comment = note
        ws.column_dimensions[get_column_letter(col)].width = max(12, min(40, len(key) + 2))

    def dropdown(ws: Any, col: int, choices: Sequence[str]) -> None:
        nonlocal list_column
        inline = ",".join(choices)
        if len(inline) + 2 <= _INLINE_LIST_LIMIT and all("," not in c for c in choices):
            formula = f'"{inline}"'
        else:  # long lists live on the hidden sheet
            list_column += 1
            letter = get_column_letter(list_column)
            for n, choice in enumerate(choices, start=1):
                lists.cell(row=n, column=list_column, value=choice)
            formula = f"lists!${letter}$1:${letter}${len(choices)}"
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.add(f"{get_column_letter(col)}2:{get_column_letter(col)}{rows + 1}")
        ws.add_data_validation(validation)

    header(sheet, 1, ID_COLUMN, _TEXTS["id"].get(lang))
    for col, spec in enumerate(flat, start=2):
        header(sheet, col, spec.key, _comment(spec, lang))
        if spec.type in (FactType.BOOL, FactType.ENUM):
            dropdown(sheet, col, _allowed(spec, lang))
    sheet.freeze_panes = "B2"
    if records:
        rec = book.create_sheet(RECORDS_SHEET)
        header(rec, 1, ID_COLUMN, _TEXTS["id"].get(lang))
        header(rec, 2, "fact", _TEXTS["fact"].get(lang) + "\n" + "\n".join(
            f"{f.key}: {f.label.get(lang)}" for f in records))
        dropdown(rec, 2, [f.key for f in records])
        fields: dict[str, list[FactSpec]] = {}
        for spec in records:
            for field in spec.fields or ():
                fields.setdefault(field.key, []).append(field)
        for col, (key, specs) in enumerate(fields.items(), start=3):
            header(rec, col, key, "\n\n".join(
                f"{owner.key}: {_comment(f, lang)}" for owner in records
                for f in (owner.fields or ()) if f.key == key))
            if all(f.type is FactType.BOOL for f in specs):
                dropdown(rec, col, list(_BOOL_CHOICES))
        rec.freeze_panes = "A2"
    guide = book.create_sheet(_TEXTS["questions"].get(lang))
    names = ("key", "label", "question", "type", "values", "help")
    guide.append([_TEXTS[n].get(lang) for n in names])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for spec in facts:
        guide.append([spec.key, spec.label.get(lang), spec.question.get(lang),
                      _TYPE[spec.type].get(lang), _allowed_text(spec, lang),
                      spec.help.get(lang) if spec.help else ""])
    for letter, width in zip("ABCDEF", (34, 24, 60, 22, 40, 50), strict=False):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
