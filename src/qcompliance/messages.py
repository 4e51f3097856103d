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
        # The input bounds (loading/load.py) and output refusals (loading/files.py).
        (r"^is not a regular file \(a device, pipe or socket\)$",
         "不是普通文件（而是设备、管道或套接字）"),
        (r"^is larger than (\d+) MiB$", r"超过 \1 MiB"),
        (r"^nested deeper than (\d+) levels$", r"嵌套超过 \1 层"),
        (r"^number out of range \(at most (\d+) in size\)$", r"数值超出范围（绝对值不得超过 \1）"),
        (r"^(.*) is not a number a fact can hold$", r"\1 不是事实可取的数值"),
        (r"^date (\S+) is outside the supported range (\S+) to (\S+)$",
         r"日期 \1 超出支持的范围 \2 至 \3"),
        (r"^a key holds an unpaired surrogate .*$", "某个键含有不成对的代理字符，不是有效文本"),
        (r"^holds an unpaired surrogate .*$", "含有不成对的代理字符，不是有效文本"),
        (r"^duplicate key '([^']*)'$", r"重复的键“\1”"),
        (r"^(\S+) is not allowed \(numbers must be finite\)$", r"不允许 \1（数值必须有限）"),
        (r"^'([^']*)' is a group of facts, not a fact: write its facts as (.*)$",
         r"“\1”是一组事实，不是单个事实：请按 \2 的形式填写其中的事实"),
        (r"^the profile gives no facts$", "档案未给出任何事实"),
        (r"^item '([^']*)' is waived twice.*$", r"条目“\1”被豁免了两次"),
        (r"^the folder does not exist$", "所在文件夹不存在"),
        (r"^the folder is read-only$", "所在文件夹为只读"),
        (r"^is a directory$", "是文件夹"),
        (r"^is read-only; remove it or choose another name$", "是只读文件：请先删除或换一个文件名"),
        (r"^cannot be written: (.*)$", r"无法写入：\1"),
        (r"^invalid regular expression: (.*)$", r"正则表达式无效：\1"),
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
        (r"^expected a table, got (.*)$", r"应填表，实际为 \1"),
        (r"^expected a list, got (.*)$", r"应填列表，实际为 \1"),
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
        # The workspace (store/, cli/store.py, cli/history.py, impact/).
        (r"^no company (\S+) in this workspace$", r"工作区中没有企业 \1"),
        (r"^company (\S+) has no stored profile.*$", r"企业 \1 在工作区中还没有档案"),
        (r"^the profile is of company (\S+), not (\S+)$", r"档案属于企业 \1，不是 \2"),
        (r"^the workspace keeps companies by credit code.*$",
         "工作区按统一社会信用代码保存企业，而档案未给出 company.credit_code"),
        (r"^cannot open the workspace: (.*)$", r"无法打开工作区：\1"),
        (r"^not a database qcheck can use: (.*)$", r"不是 qcheck 可用的数据库：\1"),
        (r"^not a database URL: (.*)$", r"不是数据库 URL：\1"),
        (r"^needs (\S+): pip install '([^']*)'$", r"需要 \1：pip install '\2'"),
        (r"^the workspace is at schema (\S+), newer than.*$",
         r"工作区的结构版本 \1 比本 qcompliance 新；请升级 qcompliance"),
        (r"^import goes into an empty workspace$", "只能导入到空的工作区"),
        (r"^the export folder must be empty$", "导出文件夹必须为空"),
        (r"^sha256 differs from the manifest$", "sha256 与 manifest.json 记录的不一致"),
        (r"^not listed in the manifest$", "manifest.json 中没有列出该文件"),
        (r"^not a workspace export: (.*)$", r"不是工作区导出：\1"),
        (r"^no plan item (\S+) of company (\S+)$", r"企业 \2 没有整改事项 \1"),
        (r"^a company token names its company$", "企业令牌必须用 --company 指定企业"),
        (r"^only a company token names a company$", "只有企业令牌才指定企业"),
        (r"^must be admin, consultant or company$", "必须是 admin、consultant 或 company"),
        (r"^no such token in this workspace$", "工作区中没有这个令牌"),
        (r"^already exists; give a new file$", "已存在；请给出新的文件名"),
        (r"^backup copies a SQLite workspace.*$",
         "backup 只复制 SQLite 工作区；PostgreSQL 请用 pg_dump 或 qcheck store export"),
        (r"^give a batch input PORTFOLIO or --store, one of them$",
         "请给出批量输入 PORTFOLIO 或 --store，二者选一"),
        (r"^a folder must hold a catalogue \(facts.toml\) or a pack \(pack.toml\)$",
         "文件夹必须是完整清单（含 facts.toml）或规则包（含 pack.toml）"),
        (r"^pack (\S+) is not in the cache: qcheck pull it first$",
         r"规则包 \1 不在缓存中：请先用 qcheck pull 拉取"),
        (r"^give builtin, NAME@VERSION, a lock file, a pack folder or a checklist folder$",
         "请给出 builtin、名称@版本、锁文件、规则包目录或清单目录"),
        (r"^xlsx is binary: give --output FILE$", "xlsx 是二进制文件：请用 --output 文件"),
        (r"^(.*): invalid check character; expected '(.)'$", r"\1：校验码错误，应为“\2”"),
    ))


_KINDS = {"string": "字符串", "whole number": "整数", "number": "数字", "boolean": "布尔值",
          "list": "列表", "table": "表", "date": "日期"}
_GOT_KIND = re.compile(r"实际为 (string|whole number|number|boolean|list|table|date) ")


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
    # "got string 'x'" (the converter names the kind of a wrong value): the kind in Chinese.
    message = _GOT_KIND.sub(lambda m: "实际为 " + _KINDS[m.group(1)] + " ", message)
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
    more = len(error.problems) - 1
    tail = f"（另有 {more} 个问题）" if more else ""
    message = localized_message(problem.message, lang)
    if problem.file is None and problem.line is None:  # a usage problem: an option, no file
        return f"{problem.key + ': ' if problem.key else ''}{message}{tail}"
    key = f" {problem.key}:" if problem.key else ""
    return f"{_where(problem)}:{key} {message}{tail}"
