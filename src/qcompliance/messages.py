"""Error and validation messages in the reader's language.

The library raises :class:`~qcompliance.errors.QComplianceError` with English problem texts
(stable for programs and tests); :func:`localized` gives the one line the CLI prints in Chinese
or English. Chinese is the CLI's default. The translation works on the message's shape, so
names, values and file positions stay exactly as found; a message with no Chinese form yet is
shown in English rather than not at all.
"""

from __future__ import annotations

import re

from qcompliance.errors import Problem, QComplianceError

__all__ = ["localized", "localized_message"]

_DID_YOU_MEAN = (re.compile(r"; did you mean '([^']*)'\?"), r"；是否指“\1”？")

# (English shape, Chinese form); the first that matches the start of a message is used.
_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), zh) for pattern, zh in (
        (r"^no such file$", "文件不存在"),
        (r"^is a directory, not a file$", "是文件夹，不是文件"),
        (r"^cannot be read: (.*)$", r"无法读取：\1"),
        (r"^is not UTF-8 text \(byte (\d+)\)$", r"不是 UTF-8 文本（第 \1 字节）"),
        (r"^invalid JSON: (.*)$", r"JSON 格式错误：\1"),
        (r"^invalid TOML: (.*)$", r"TOML 格式错误：\1"),
        (r"^the top level must be a JSON object$", "最外层必须是 JSON 对象"),
        (r"^unknown fact '([^']*)'", r"未知的事实“\1”"),
        (r"^unknown key '([^']*)' in fact (\S+)", r"事实 \2 中没有键“\1”"),
        (r"^unknown key '([^']*)'", r"未知的键“\1”"),
        (r"^unknown field '([^']*)' of (\S+)", r"\2 没有字段“\1”"),
        (r"^'([^']*)' is not one of (.*)$", r"“\1”不是允许的取值（可选：\2）"),
        (r"^(.*) is not one of (.*)$", r"\1 不是允许的取值（可选：\2）"),
        (r"^expected true or false, got (.*)$", r"应填 true 或 false，实际为 \1"),
        (r"^expected a whole number, got (.*)$", r"应填整数，实际为 \1"),
        (r"^expected a number, got (.*)$", r"应填数字，实际为 \1"),
        (r"^expected a string, got (.*)$", r"应填文字，实际为 \1"),
        (r"^expected a list of strings, got (.*)$", r"应填文字列表，实际为 \1"),
        (r"^expected a list of records \(\[\[…\]\] tables\)$", "应填记录列表（[[…]] 表）"),
        (r"^a record must be a table$", "每条记录必须是一个表"),
        (r"^expected a date YYYY-MM-DD, got (.*)$", r"应填日期 YYYY-MM-DD，实际为 \1"),
        (r"^expected (.*), got (.*)$", r"应为 \1，实际为 \2"),
        (r"^no built-in checklist '([^']*)'", r"没有内置检查清单“\1”"),
        (r"^no checklist '([^']*)'", r"没有检查清单“\1”"),
        (r"^no item '([^']*)'", r"没有条目“\1”"),
        (r"^a change needs a reason$", "每项调整都需要写明理由"),
        (r"^this format is binary: give --output FILE$",
         "该格式是二进制文件：请用 --output 文件 或 --format 格式:文件"),
        (r"^unknown format '([^']*)'; one of: (.*)$", r"未知的格式“\1”；可选：\2"),
        (r"^'([^']*)': a file name is missing after ':'$", r"“\1”：冒号后缺少文件名"),
        (r"^--output goes with one --format without a file.*$",
         "--output 只能配合一个不带文件名的 --format；请改写为 --format 格式:文件"),
        (r"^only one format can go to the terminal.*$",
         "终端只能输出一种格式；其他格式请写入文件：--format 格式:文件"),
        (r"^the two assessments are of different companies \(credit code (\S+) ≠ (\S+)\).*$",
         r"两份评估属于不同企业（统一社会信用代码 \1 ≠ \2），不作对比；确需对比请加 --force"),
        (r"^must be \"([^\"]*)\"$", r"必须是 “\1”"),
        (r"^(.*): invalid check character; expected '(.)'$", r"\1：校验码错误，应为“\2”"),
    ))


def localized_message(message: str, lang: str) -> str:
    """``message`` in ``lang`` ("zh" or "en"); English when no Chinese form is known."""
    if lang != "zh":
        return message
    pattern, zh = _DID_YOU_MEAN
    suggestion = ""
    found = pattern.search(message)
    if found:
        suggestion = found.expand(zh)
        message = message[:found.start()] + message[found.end():]
    for shape, form in _SHAPES:
        match = shape.match(message)
        if match:
            message = match.expand(form) + message[match.end():]
            break
    return message + suggestion


def _where(problem: Problem) -> str:
    where = problem.file or "<input>"
    if problem.line is not None:
        where += f":{problem.line}"
        if problem.column is not None:
            where += f":{problem.column}"
    return where


def localized(error: QComplianceError, lang: str) -> str:
    """The one line an error is shown as, e.g. ``p.toml:3: company.size: “huge”不是允许的取值
    （可选：large、…）（另有 2 个问题）`` in Chinese, or ``str(error)`` in English."""
    if lang != "zh":
        return str(error)
    problem = error.first
    key = f" {problem.key}:" if problem.key else ""
    more = len(error.problems) - 1
    tail = f"（另有 {more} 个问题）" if more else ""
    return f"{_where(problem)}:{key} {localized_message(problem.message, lang)}{tail}"
