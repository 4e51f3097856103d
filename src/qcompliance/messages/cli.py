"""Messages the command line prints itself: the option parser's complaints about a bad command
line (typer's copy of click, before a command runs) and the lines around them."""

from __future__ import annotations

from qcompliance.messages.table import Message as M

__all__ = ["COMMAND_LINE"]

COMMAND_LINE: dict[str, M] = {
    # The frame of a usage error (click.UsageError.show).
    "click.usage": M("用法：{usage}", "Usage: {usage}"),
    "click.try": M("请运行 '{command} {option}' 查看帮助。", "Try '{command} {option}' for help."),
    "click.error": M("错误：{message}", "Error: {message}"),
    "click.aborted": M("已中止！", "Aborted!"),
    # What is wrong (the option parser's exceptions and parameter types; the more specific
    # form of a text first).
    "click.invalid_for": M("{param} 的取值无效：{why}", "Invalid value for {param}: {why}"),
    "click.invalid": M("取值无效：{why}", "Invalid value: {why}"),
    "click.integer": M("“{value}”不是有效的整数。", "'{value}' is not a valid integer."),
    "click.int": M("“{value}”不是有效的整数。", "'{value}' is not a valid int."),
    "click.int_range": M("“{value}”不是有效的整数。", "'{value}' is not a valid int range."),
    "click.float_range": M("“{value}”不是有效的数字。", "'{value}' is not a valid float range."),
    "click.datetime": M("“{value}”不是有效的日期时间。", "'{value}' is not a valid datetime."),
    "click.float": M("“{value}”不是有效的数字。", "'{value}' is not a valid float."),
    "click.boolean": M("“{value}”不是有效的是/否取值。可用的取值：{states}",
                       "'{value}' is not a valid boolean. Recognized values: {states}"),
    "click.range": M("{value} 不在范围 {range} 内。", "{value} is not in the range {range}."),
    "click.choices": M("“{value}”不在可选范围内（可选：{choices}）。",
                       "'{value}' is not one of {choices}."),
    "click.formats": M("“{value}”不符合以下任一格式：{formats}。",
                       "'{value}' does not match the formats {formats}."),
    "click.values_required": M("需要 {n} 个值，实际给出 {given} 个。",
                               "{n} values are required, but {given} given."),
    "click.argument_values": M("参数“{name}”需要 {n} 个值。",
                               "Argument '{name}' takes {n} values."),
    "click.missing_argument": M("缺少参数 {name}。", "Missing argument {name}."),
    "click.missing_option_more": M("缺少选项 {name}。{more}", "Missing option {name}. {more}"),
    "click.missing_option": M("缺少选项 {name}。", "Missing option {name}."),
    "click.missing_parameter": M("缺少参数 {name}。", "Missing parameter {name}."),
    "click.missing_parameter_name": M("缺少参数：{name}", "Missing parameter: {name}"),
    "click.choose_from": M("可选：\n\t{choices}", "Choose from:\n\t{choices}"),
    "click.missing_command": M("缺少子命令。", "Missing command."),
    "click.no_option_some": M("没有选项 {name}（可用的选项：{possibilities}）",
                              "No such option: {name} (Possible options: {possibilities})"),
    "click.no_option": M("没有选项 {name}", "No such option: {name}"),
    "click.no_command_one": M("没有命令“{name}”。是否指 {possibilities}？",
                              "No such command '{name}'. Did you mean {possibilities}?"),
    "click.no_command": M("没有命令“{name}”。", "No such command '{name}'."),
    "click.needs_value": M("选项“{name}”需要一个值。", "Option '{name}' requires an argument."),
    "click.needs_values": M("选项“{name}”需要 {n} 个值。",
                            "Option '{name}' requires {n} arguments."),
    "click.takes_no_value": M("选项“{name}”不接受取值。", "Option '{name}' does not take a value."),
    "click.extra_arguments": M("多余的参数（{args}）", "Got unexpected extra argument(s) ({args})"),
    # The command line's own lines (cli/main.py).
    "cli.warning": M("qcheck: 警告：{message}", "qcheck: warning: {message}"),
    "cli.lint_problems": M("qcheck: {checklists} 个检查清单中有 {problems} 个问题",
                           "qcheck: {problems} problem(s) in {checklists} checklist(s)"),
    "cli.lint_ok": M("通过：{checklists} 个检查清单，{items} 个条目",
                     "ok: {checklists} checklists, {items} items"),
    # Warnings of the registry (registry/sources.py): an installed pack that is left out.
    "pack.entry_point_folder": M(
        "{where}：“{value}”必须是发行包内的文件夹；其中的检查清单未被载入",
        "{where}: '{value}' must be a folder inside the distribution; its checklists are left "
        "out"),
    "pack.entry_point_missing": M(
        "{where}：指向的文件夹“{value}”未安装；其中的检查清单未被载入",
        "{where}: names the folder '{value}', which is not installed; its checklists are left "
        "out"),
    "pack.entry_point": M("{dist} 的入口点 {name}", "{dist} entry point {name}"),
}
