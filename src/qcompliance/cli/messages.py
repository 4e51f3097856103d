"""Error lines in the user's language.

The library words its problems in English (they are also what a program reading
``QComplianceError.problems`` matches on); this table renders the frequent ones in Chinese for
the CLI. A message the table does not know is shown as it is, so a new message is never lost,
only not yet translated.
"""

from __future__ import annotations

import re

from qcompliance.errors import Problem, QComplianceError

__all__ = ["error_line", "localize"]

_KINDS = {
    "a string": "字符串", "a whole number": "整数", "a number": "数值",
    "true or false": "true 或 false",
    "a list": "列表", "a table": "表", "a list of strings": "字符串列表",
    "a list of records ([[…]] tables)": "记录列表（[[…]] 表）",
    "string": "字符串", "whole number": "整数", "number": "数值", "boolean": "布尔值",
    "list": "列表", "table": "表", "date": "日期",
}


def _kind(text: str) -> str:
    """``string 'x'`` as ``字符串 'x'``: the kind word translated, the value kept."""
    for english, chinese in sorted(_KINDS.items(), key=lambda kv: -len(kv[0])):
        if text == english or text.startswith(english + " "):
            return chinese + text[len(english):]
    return text


_ZH: list[tuple[re.Pattern[str], str]] = [(re.compile(p), t) for p, t in (
    (r"no such file", "文件不存在"),
    (r"is a directory, not a file", "是文件夹，不是文件"),
    (r"is not a regular file \(a device, pipe or socket\)",
     "不是普通文件（而是设备、管道或套接字）"),
    (r"is larger than (\d+) MiB", "超过 {0} MiB"),
    (r"cannot be read: (.*)", "无法读取：{0}"),
    (r"cannot be written: (.*)", "无法写入：{0}"),
    (r"is not UTF-8 text \(byte (\d+)\)", "不是 UTF-8 文本（第 {0} 字节）"),
    (r"invalid JSON: (.*)", "JSON 格式错误：{0}"),
    (r"invalid TOML: (.*)", "TOML 格式错误：{0}"),
    (r"nested deeper than (\d+) levels", "嵌套超过 {0} 层"),
    (r"number out of range \(at most (\d+) in size\)", "数值超出范围（绝对值不得超过 {0}）"),
    (r"(.*) is not a number a fact can hold", "{0} 不是事实可取的数值"),
    (r"date (\S+) is outside the supported range (\S+) to (\S+)",
     "日期 {0} 超出支持的范围 {1} 至 {2}"),
    (r"expected a date YYYY-MM-DD, got (.*)", "应为日期 YYYY-MM-DD，实际为 {0}"),
    (r"expected (.*?), got (.*)", "应为{0:kind}，实际为 {1:kind}"),
    (r"unknown key '(.*)'", "未知的键 '{0}'"),
    (r"unknown key '(.*)' in fact (.*)", "事实 {1} 中有未知的键 '{0}'"),
    (r"required key is missing", "缺少必填的键"),
    (r"unknown fact '(.*)'", "未知的事实 '{0}'"),
    (r"'(.*)' is a group of facts, not a fact: write its facts as (.*)",
     "'{0}' 是一组事实，不是单个事实：请按 {1} 的形式填写其中的事实"),
    (r"'(.*)' is not one of (.*)", "'{0}' 不是允许的取值（{1}）之一"),
    (r"must be \"(.*)\"", "必须为 \"{0}\""),
    (r"a key holds an unpaired surrogate .*", "某个键含有不成对的代理字符，不是有效文本"),
    (r"holds an unpaired surrogate .*", "含有不成对的代理字符，不是有效文本"),
    (r"the top level must be a JSON object", "顶层必须是 JSON 对象"),
    (r"no built-in checklist '(.*)'", "没有内置检查清单 '{0}'"),
    (r"unknown item '(.*)'", "未知的条目 '{0}'"),
    (r"duplicate key '(.*)'", "重复的键 '{0}'"),
    (r"this format is binary: give --output FILE", "此格式为二进制：请用 --output 指定文件"),
    (r"the folder does not exist", "所在文件夹不存在"),
    (r"is a directory", "是文件夹"),
    (r"the folder is read-only", "所在文件夹为只读"),
    (r"is read-only; remove it or choose another name", "是只读文件：请先删除或换一个文件名"),
    (r"the profile gives no facts", "档案未给出任何事实"),
    (r"invalid regular expression: (.*)", "正则表达式无效：{0}"),
)]
_HINT = re.compile(r"(.*); did you mean (.*)\?")


def localize(message: str, lang: str) -> str:
    """``message`` in ``lang``: the Chinese rendering when the table knows it."""
    if lang == "en":
        return message
    body, hint = message, ""
    if match := _HINT.fullmatch(message):
        body, hint = match.group(1), f"；是否想写 {match.group(2)}？"
    for pattern, template in _ZH:
        if match := pattern.fullmatch(body):
            out = template
            for i, group in enumerate(match.groups()):
                out = out.replace(f"{{{i}:kind}}", _kind(group)).replace(f"{{{i}}}", group)
            return out + hint
    return message


def _where(problem: Problem) -> str:
    where = problem.file or "<input>"
    if problem.line is not None:
        where += f":{problem.line}"
        if problem.column is not None:
            where += f":{problem.column}"
    return where


def error_line(exc: QComplianceError, lang: str) -> str:
    """The one line the CLI prints for ``exc``: file, line, key and message in ``lang``,
    then how many more problems there are."""
    if lang == "en":
        return f"qcheck: error: {exc}"
    first = exc.first
    more = len(exc.problems) - 1
    tail = f"（另有 {more} 个问题）" if more else ""
    message = localize(first.message, lang)
    if first.file is None and first.line is None:
        return f"qcheck: 错误: {first.key + ': ' if first.key else ''}{message}{tail}"
    key = f" {first.key}:" if first.key else ""
    return f"qcheck: 错误: {_where(first)}:{key} {message}{tail}"
