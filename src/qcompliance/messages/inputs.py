"""Messages about input and output files: reading, parsing, profiles, assessments, tailoring,
waivers, deadlines and the output a command writes."""

from __future__ import annotations

from qcompliance.messages.table import Message as M

__all__ = ["GENERAL", "INPUTS"]

INPUTS: dict[str, M] = {
    # First: the parsers' reasons are themselves messages ("NaN is not allowed …").
    "json.invalid": M("JSON 格式错误：{why}", "invalid JSON: {why}"),
    "toml.invalid": M("TOML 格式错误：{why}", "invalid TOML: {why}"),
    # Reading a file and its bounds (loading/document.py, loading/load.py).
    "file.missing": M("文件不存在", "no such file"),
    "file.missing_or_folder": M("文件或文件夹不存在", "no such file or folder"),
    "file.not_regular": M("不是普通文件（而是设备、管道或套接字）",
                          "is not a regular file (a device, pipe or socket)"),
    "file.too_large": M("超过 {mib} MiB", "is larger than {mib} MiB"),
    "file.folder_not_file": M("是文件夹，不是文件", "is a directory, not a file"),
    "file.unreadable": M("无法读取：{why}", "cannot be read: {why}"),
    "file.not_utf8": M("不是 UTF-8 文本（第 {byte} 字节）", "is not UTF-8 text (byte {byte})"),
    "file.not_utf8_or_gb": M("既不是 UTF-8 也不是 GB 18030 文本", "not UTF-8 or GB 18030 text"),
    "data.too_deep": M("嵌套超过 {levels} 层", "nested deeper than {levels} levels"),
    "data.number_range": M("数值超出范围（绝对值不得超过 {most}）",
                           "number out of range (at most {most} in size)"),
    "data.not_a_number": M("{value} 不是事实可取的数值", "{value} is not a number a fact can hold"),
    "data.date_range": M("日期 {day} 超出支持的范围 {first} 至 {last}",
                         "date {day} is outside the supported range {first} to {last}"),
    "data.key_surrogate": M("某个键含有不成对的代理字符，不是有效文本",
                            "a key holds an unpaired surrogate (\\ud800-\\udfff), not text"),
    "data.surrogate": M("含有不成对的代理字符，不是有效文本",
                        "holds an unpaired surrogate (\\ud800-\\udfff), not text"),
    "data.duplicate_key": M("重复的键“{key}”", "duplicate key '{key}'"),
    "data.not_finite": M("不允许 {value}（数值必须有限）",
                         "{value} is not allowed (numbers must be finite)"),
    "toml.not_valid": M("不是有效的 TOML：{why}", "not valid TOML: {why}"),
    "json.top_object": M("最外层必须是 JSON 对象", "the top level must be a JSON object"),
    # Profiles (loading/profile.py) and the converter's type errors (loading/converter.py).
    "profile.group": M("“{key}”是一组事实，不是单个事实：请按 {example} 的形式填写其中的事实",
                       "'{key}' is a group of facts, not a fact: write its facts as {example}"),
    "profile.no_facts": M("档案未给出任何事实", "the profile gives no facts"),
    "profile.unknown_fact": M("未知的事实“{key}”", "unknown fact '{key}'"),
    "profile.unknown_key_in_fact": M("事实 {fact} 中没有键“{key}”",
                                     "unknown key '{key}' in fact {fact}"),
    "profile.table_needs_value": M("事实 {fact} 写成表时需要键“value”",
                                   "fact {fact} given as a table needs 'value'"),
    "data.unknown_key": M("未知的键“{key}”", "unknown key '{key}'"),
    "profile.unknown_field": M("{fact} 没有字段“{key}”", "unknown field '{key}' of {fact}"),
    "profile.records_list": M("应填记录列表（[[…]] 表）",
                              "expected a list of records ([[…]] tables)"),
    "profile.record_table": M("每条记录必须是一个表", "a record must be a table"),
    "data.quoted_not_one_of": M("“{value}”不是允许的取值（可选：{allowed}）",
                                "'{value}' is not one of {allowed}"),
    "data.not_one_of": M("{value} 不是允许的取值（可选：{allowed}）",
                         "{value} is not one of {allowed}"),
    "data.expected_bool": M("应填 true 或 false，实际为 {got}",
                            "expected true or false, got {got}"),
    "data.expected_int": M("应填整数，实际为 {got}", "expected a whole number, got {got}"),
    "data.expected_number": M("应填数字，实际为 {got}", "expected a number, got {got}"),
    "data.expected_string": M("应填文字，实际为 {got}", "expected a string, got {got}"),
    "data.expected_strings": M("应填文字列表，实际为 {got}",
                               "expected a list of strings, got {got}"),
    "data.expected_date_time": M("应填日期 YYYY-MM-DD，实际为日期时间 {value}",
                                 "expected a date YYYY-MM-DD, got a date-time {value}"),
    "data.expected_date": M("应填日期 YYYY-MM-DD，实际为 {got}",
                            "expected a date YYYY-MM-DD, got {got}"),
    "data.expected_table": M("应填表，实际为 {got}", "expected a table, got {got}"),
    "data.expected_list": M("应填列表，实际为 {got}", "expected a list, got {got}"),
    "data.expected_got": M("应为 {what}，实际为 {got}", "expected {what}, got {got}"),
    "data.expected_object": M("应为对象", "expected an object"),
    "data.expected_kind": M("应为 {kind}", "expected {kind}"),
    "data.required": M("缺少必填的键", "required key is missing"),
    # Chinese identifiers (china/uscc.py, china/region.py).
    "uscc.length": M("统一社会信用代码应为 18 位；“{code}”有 {n} 位",
                     "a unified social credit code has 18 characters; '{code}' has {n}"),
    "uscc.characters": M("“{code}”含有 GB 32100 不允许的字符：{bad}",
                         "'{code}' has characters not allowed in GB 32100: {bad}"),
    "uscc.division": M("“{code}”：第 3 至 8 位必须是 6 位行政区划代码",
                       "'{code}': characters 3-8 must be the 6-digit administrative division code"),
    "uscc.check": M("“{code}”未通过 GB 32100 校验：最后一位应为“{char}”",
                    "'{code}' fails the GB 32100 check: the last character should be '{char}'"),
    "region.division": M("“{city}”不是 GB/T 2260 行政区划代码（6 位数字）",
                         "'{city}' is not a GB/T 2260 division code (six digits)"),
    "region.province_digits": M("“{city}”的前两位不是省级代码",
                                "'{city}' does not start with a province code (digits 1-2)"),
    "region.is_province": M("“{city}”是省级代码；请给出地级市代码",
                            "'{city}' is a province code; give the city (prefecture) code"),
    "region.other_province": M("城市“{city}”不在所给的省份（{province} {name}）内",
                               "city '{city}' is not in the province given ({province} {name})"),
    "data.bad_check_character": M("{code}：校验码错误，应为“{char}”",
                                  "{code}: invalid check character; expected '{char}'"),
    # Tailoring and waivers (engine/tailoring.py).
    "tailoring.twice": M("条目“{item}”被豁免了两次（第一次在 waivers[{first}]）",
                         "item '{item}' is waived twice (first at waivers[{first}])"),
    "tailoring.waived_twice": M("条目“{item}”被豁免了两次", "item '{item}' is waived twice"),
    "tailoring.reason": M("每项调整都需要写明理由", "a change needs a reason"),
    "tailoring.waivers_list": M("必须是 [[waivers]] 表的列表",
                                "must be a list of [[waivers]] tables"),
    "tailoring.no_checklist": M("没有检查清单“{checklist}”", "no checklist '{checklist}'"),
    "tailoring.no_item": M("没有条目“{item}”", "no item '{item}'"),
    "tailoring.no_param": M("条目“{item}”没有参数“{param}”",
                            "item '{item}' has no param '{param}'"),
    "tailoring.param_type": M("参数“{param}”是 {kind} 类型（{old}）；{new} 的类型与之不同",
                              "param '{param}' is {kind} {old}; {new} has another type"),
    # Deadline settings (engine/due.py).
    "due.table": M("必须是一个表", "must be a table"),
    "due.unknown_key": M("未知的键；应为 windows 或 overdue_days",
                         "unknown key; expected windows or overdue_days"),
    "due.severity": M("未知的严重程度；可选：critical、high、medium、low",
                      "unknown severity; one of critical, high, medium, low"),
    "due.window_days": M("必须是 0 到 3660 之间的整数天数",
                         "must be a whole number of days from 0 to 3660"),
    "due.overdue_days": M("必须是 0 到 366 之间的整数天数",
                          "must be a whole number of days from 0 to 366"),
    # Saved assessments (reports/json.py).
    "assessment.object": M("评估结果必须是 JSON 对象", "an assessment must be a JSON object"),
    "assessment.compact": M("精简格式的评估结果只能配合其中列出的检查清单显示"
                            "（请用 --checklist 给出）",
                            "a compact assessment renders only with the checklists it names "
                            "(give them with --checklist)"),
    "assessment.missing_checklist": M(
        "评估结果用到检查清单“{checklist}”（版本 {version}），但给出的清单中没有；"
        "请用 --checklist 给出",
        "the assessment names checklist '{checklist}' (version {version}), which is not in the "
        "catalogue given; give it with --checklist"),
    "assessment.other_checklist": M(
        "清单中的检查清单“{checklist}”（版本 {version}，sha256 {sha}…）不是评估时所用的那份"
        "（版本 {used_version}，sha256 {used_sha}…）",
        "checklist '{checklist}' in the catalogue (version {version}, sha256 {sha}…) is not the "
        "one the assessment used (version {used_version}, sha256 {used_sha}…)"),
    "assessment.no_fact": M("指向的事实未在事实字典中声明", "names no declared fact"),
    "assessment.no_item": M("指向的条目不在清单的任何检查清单中",
                            "names no item of the catalogue's checklists"),
    # Output files (loading/files.py, batch/output.py).
    "output.no_folder": M("所在文件夹不存在", "the folder does not exist"),
    "output.its_folder": M("所在文件夹不存在", "its folder does not exist"),
    "output.read_only_folder": M("所在文件夹为只读", "the folder is read-only"),
    "output.is_folder": M("是文件夹", "is a directory"),
    "output.read_only": M("是只读文件：请先删除或换一个文件名",
                          "is read-only; remove it or choose another name"),
    "output.unwritable": M("无法写入：{why}", "cannot be written: {why}"),
    "output.exists": M("已存在；请给出新的文件名", "already exists; give a new file"),
    "output.binary": M("该格式是二进制文件：请用 --output 文件 或 --format 格式:文件",
                       "this format is binary: give --output FILE"),
    "output.xlsx_binary": M("xlsx 是二进制文件：请用 --output 文件",
                            "xlsx is binary: give --output FILE"),
    "output.needs_openpyxl": M("xlsx 格式需要 openpyxl：pip install 'qcompliance[xlsx]'",
                               "the xlsx format needs openpyxl: pip install 'qcompliance[xlsx]'"),
    "output.plan_needs_openpyxl": M("读取整改计划需要 openpyxl：pip install 'qcompliance[xlsx]'",
                                    "reading a plan needs openpyxl: "
                                    "pip install 'qcompliance[xlsx]'"),
    "xlsx.not_workbook": M("不是 XLSX 工作簿（{why}）", "not an XLSX workbook ({why})"),
    # The command line's own choices (cli/main.py, cli/pack.py).
    "cli.unknown_format": M("未知的格式“{name}”；可选：{known}",
                            "unknown format '{name}'; one of: {known}"),
    "cli.format_no_file": M("“{value}”：冒号后缺少文件名",
                            "'{value}': a file name is missing after ':'"),
    "cli.output_one_format": M("--output 只能配合一个不带文件名的 --format；"
                               "请改写为 --format 格式:文件",
                               "--output goes with one --format without a file; write --format "
                               "FORMAT:FILE instead"),
    "cli.one_terminal_format": M("终端只能输出一种格式；其他格式请写入文件：--format 格式:文件",
                                 "only one format can go to the terminal; give the others a file: "
                                 "--format FORMAT:FILE"),
    "cli.post_offline": M("--post 需要联网", "--post needs the network"),
    "cli.server_checklists": M("服务器使用它自己的检查清单进行评估",
                               "the server evaluates with its own checklists"),
    "cli.server_store": M("--store 保存本地评估的结果；"
                          "服务器有自己的工作区（qcheck serve --store）",
                          "--store keeps local evaluations; a server keeps its own workspace "
                          "(qcheck serve --store)"),
    "cli.different_companies": M(
        "两份评估属于不同企业（统一社会信用代码 {previous} ≠ {current}），不作对比；"
        "确需对比请加 --force",
        "the two assessments are of different companies (credit code {previous} ≠ {current}); "
        "give --force to compare them anyway"),
    "cli.needs_extra": M("需要 {name}：pip install '{extra}'",
                         "needs {name}: pip install '{extra}'"),
}

GENERAL: dict[str, M] = {
    # Tried last: any text of these shapes that no specific entry fits.
    "schema.must_be": M("必须是 “{schema}”", "must be \"{schema}\""),
    "size.bytes": M("{n} 字节", "{n} bytes"),
}
