"""Every text the self-check shows, in Chinese and English (GLOSSARY.md renderings)."""

from __future__ import annotations

from qcompliance.model import Lang, Text

__all__ = ["TEXTS", "say"]

# Every text the interview shows, in Chinese and English (GLOSSARY.md renderings).
TEXTS: dict[str, Text] = {
    "empty": Text("请输入答案；不知道请输入 ?", "Please answer; type ? if you do not know"),
    "bool": Text("请回答 是/否（y/n）", "Please answer yes or no (y/n)"),
    "int": Text("请输入整数，例如 12", "Please enter a whole number, for example 12"),
    "number": Text("请输入数字，例如 2.5", "Please enter a number, for example 2.5"),
    "date": Text("请输入日期，格式 YYYY-MM-DD，例如 2024-03-01",
                 "Please enter a date as YYYY-MM-DD, for example 2024-03-01"),
    "future": Text("该日期不能晚于评估日 {as_of}",
                   "This date cannot be after the assessment day {as_of}"),
    "choice": Text("“{got}”不是可选项{hint}；请输入编号或取值",
                   "'{got}' is not one of the choices{hint}; enter a number or a value"),
    "number_range": Text("编号 {got} 超出范围 1–{n}", "Number {got} is outside 1–{n}"),
    "uscc": Text("统一社会信用代码无效：{why}", "Not a valid unified social credit code: {why}"),
    "count": Text("请输入记录条数：0 到 {max} 的整数（0 表示没有）",
                  "Please enter the number of records: a whole number from 0 to {max} "
                  "(0 means none)"),
    "too_many": Text("一次最多录入 {max} 条；更多记录请直接写入档案文件"
                     "（见 qcheck profile template）",
                     "At most {max} records can be entered here; write longer lists into the "
                     "profile file (see qcheck profile template)"),
    "wrong_value": Text("不是有效的答案：{got!r}", "Not a valid answer: {got!r}"),
    "records_value": Text("记录应为表的列表", "Records must be a list of tables"),
    "unknown_field": Text("未知字段“{key}”{hint}", "Unknown field '{key}'{hint}"),
    "hint.bool": Text("是/否 (y/n)", "yes/no (y/n)"),
    "hint.int": Text("整数", "whole number"),
    "hint.number": Text("数字", "number"),
    "hint.date": Text("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
    "hint.enum": Text("编号或取值", "number or value"),
    "hint.list": Text("编号或取值，用逗号分隔；没有请输入 无",
                      "numbers or values, comma-separated; none: type none"),
    "hint.string": Text("文字", "text"),
    "hint.count": Text("记录条数（0 表示没有）或 CSV/XLSX 文件路径",
                       "number of records (0 for none) or a CSV/XLSX file"),
    "hint.unknown": Text("不知道请输入 ?", "? if unknown"),
    "unit": Text("单位：{unit}", "unit: {unit}"),
    "choices": Text("可选：", "Choices:"),
    "records": Text("这是一组记录：先回答条数，再逐条回答各字段；不知道某个字段可输入 ?。"
                    "记录多时，可输入 CSV 或 XLSX 文件的路径直接导入"
                    "（列名见 qcheck profile template --records {key} --format csv）",
                    "This is a list of records: give their number, then each field of each "
                    "record; type ? for a field you do not know. For a long list, give the path "
                    "of a CSV or XLSX file to import instead (its columns: qcheck profile "
                    "template --records {key} --format csv)"),
    "records.columns_sheet": Text("列说明", "columns"),
    "records.col.key": Text("列名", "column"),
    "records.col.label": Text("含义", "meaning"),
    "records.col.type": Text("类型", "type"),
    "records.col.help": Text("说明与可选值", "help and choices"),
    "records.bad_column": Text("未知列“{got}”；应为：{expected}",
                               "unknown column '{got}'; expected: {expected}"),
    "records.bad_suffix": Text("只能导入 .csv 或 .xlsx 文件", "only .csv or .xlsx files can be "
                               "imported"),
    "records.imported": Text("已从 {path} 导入 {n} 条记录。", "Imported {n} records from {path}."),
    "records.no_openpyxl": Text("读写 XLSX 需要 openpyxl：pip install 'qcompliance[xlsx]'",
                                "XLSX needs openpyxl: pip install 'qcompliance[xlsx]'"),
    "records.no_file": Text("文件不存在", "no such file"),
    "records.too_many_rows": Text("文件超过 {max} 行记录；请分批导入",
                                  "the file has more than {max} rows of records; import it in "
                                  "parts"),
    "records.empty": Text("文件是空的：第一行应为列名", "the file is empty: the first row should "
                          "name the columns"),
    "records.not_records": Text("“{key}”不是记录类事实；记录类事实有：{keys}",
                                "'{key}' is not a records fact; the records facts are: {keys}"),
    "record": Text("第 {i}/{n} 条", "Record {i} of {n}"),
    "label": Text("[第 {n} 题，共约 {total} 题]", "[Question {n} of about {total}]"),
    "plain": Text("换个问法：", "In other words:"),
    "likely": Text("可能是：{answer}（直接回车即采用）",
                   "Likely: {answer} (press Enter to accept)"),
    "section.company": Text("企业基本情况", "About the company"),
    "screen": Text("以下各项是否属实？请逐项选择。",
                   "Is each of these so? Choose an answer for each."),
    "section": Text("{title}（{id}）", "{title} ({id})"),
    "size_derived": Text("企业规模按《统计上大中小微型企业划分办法》推算为：{size}，无需回答。",
                         "The size class follows from the NBS size rules: {size}; no need to "
                         "ask."),
    "header": Text("企业质量合规自查档案（qcheck profile init 生成）。",
                   "Quality compliance self-check profile (written by qcheck profile init)."),
    "header.unknown": Text("以“# … = ?”注释的事实尚未回答（不知道）；补充后删去行首的 # 并填写。",
                           "Facts commented as '# … = ?' are not answered yet (unknown); fill "
                           "them in and remove the leading #."),
    "header.next": Text("检查：qcheck profile validate <本文件>；自查：qcheck run <本文件>",
                        "Check it: qcheck profile validate <this file>; self-check: "
                        "qcheck run <this file>"),
    "unknown_note": Text("不知道，待补充", "unknown, to fill in"),
    "answers.unknown_key": Text("未知事实“{key}”{hint}", "unknown fact '{key}'{hint}"),
    "answers.kept": Text("{key} 已在档案中，保留原值", "{key} is already in the profile; kept"),
    "cli.start": Text("开始填写 {path}。每题都可回答 ? 表示不知道；按 Ctrl-C 可随时中断，"
                      "已答内容会保存，再次运行同一命令即可继续。",
                      "Writing {path}. Answer ? to any question you cannot answer; press "
                      "Ctrl-C at any time to stop: what you answered is saved, and the same "
                      "command picks up where you left off."),
    "cli.resume": Text("继续填写 {path}：已有 {n} 项事实，只询问尚缺的问题。",
                       "Resuming {path}: {n} facts already given; asking only what is missing."),
    "cli.written": Text("已写入 {path}：共 {n} 项事实，本次回答 {asked} 题，"
                        "其中 {unknown} 题不知道。",
                        "Wrote {path}: {n} facts; {asked} questions answered this time, "
                        "{unknown} of them unknown."),
    "cli.backup": Text("原文件已备份为 {path}", "The previous file is kept as {path}"),
    "cli.next": Text("下一步：qcheck profile validate {path}，然后 qcheck run {path}",
                     "Next: qcheck profile validate {path}, then qcheck run {path}"),
    "cli.interrupted": Text("已中断。", "Interrupted."),
    "cli.eof": Text("输入已结束，访谈未完成。", "The input ended before the interview did."),
    "cli.not_toml": Text("profile init 只写 TOML 档案：请使用 .toml 文件名",
                         "profile init writes TOML profiles: give a .toml file name"),
    "cli.bad_profile": Text("无法继续填写 {path}：请先修正以下问题"
                            "（qcheck profile validate {path}）",
                            "Cannot resume {path}: fix these problems first "
                            "(qcheck profile validate {path})"),
    "cli.no_folder": Text("所在文件夹不存在", "its folder does not exist"),
    "cli.problems": Text("共 {n} 个问题。", "{n} problem(s)."),
    "cli.valid": Text("{path}：没有发现问题（{n} 项事实，评估日 {as_of}）。",
                      "{path}: no problems found ({n} facts, as of {as_of})."),
    "past": Text("日期 {date} 晚于评估日 {as_of}，而该事实只能是过去的日期",
                 "the date {date} is after the assessment day {as_of}, and this fact can only "
                 "be a past date"),
}


def say(name: str, lang: Lang, **fields: object) -> str:
    """The message ``name`` (a key of the interview's texts) in ``lang``, filled in."""
    return TEXTS[name].get(lang).format(**fields)
