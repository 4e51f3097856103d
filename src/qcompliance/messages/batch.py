"""Messages of batch runs (`qcheck batch`, the portfolio and questionnaires) and of the
impact of a new catalogue (`qcheck impact`)."""

from __future__ import annotations

from qcompliance.messages.table import Message as M

__all__ = ["BATCH"]

BATCH: dict[str, M] = {
    # Batch inputs (batch/sources.py, batch/bounded.py).
    "batch.input_kind": M("INPUT 必须是档案文件夹、.jsonl、.csv 或 .xlsx 文件",
                          "INPUT must be a folder of profiles, a .jsonl, a .csv or an .xlsx file"),
    "batch.line_long": M("这一行超过 {size}", "the line is longer than {size}"),
    "batch.line_object": M("每一行必须是一个 JSON 对象（一份档案）",
                           "each line must be a JSON object (one profile)"),
    "batch.profile_object": M("每份档案必须是一个 JSON 对象", "each profile must be a JSON object"),
    "batch.csv": M("CSV 格式错误：{why}", "invalid CSV: {why}"),
    "batch.empty": M("是空文件：第一行必须是事实键名",
                     "is empty: the first row must name fact keys"),
    "batch.rows": M("超过 {most} 行", "has more than {most} rows"),
    "batch.columns": M("表头超过 {most} 列", "the header has more than {most} columns"),
    "batch.column_twice": M("列“{column}”出现了两次", "column '{column}' appears twice"),
    "batch.column_fact": M("列“{column}”不是事实键名", "column '{column}' is not a fact key"),
    "batch.records_column": M(
        "“{column}”是记录类事实：请在配套的记录表中给出各行"
        "（records 工作表或 <文件名>.records.csv）",
        "'{column}' is a records fact: give its rows in the records companion (the 'records' "
        "sheet or <stem>.records.csv)"),
    "batch.records_table": M("记录表需要 id 和 fact 两列",
                             "a records table needs the columns 'id' and 'fact'"),
    "batch.not_records": M("“{fact}”不是记录类事实", "'{fact}' is not a records fact"),
    "batch.not_field": M("“{column}”不是 {fact} 的字段", "'{column}' is not a field of {fact}"),
    "batch.xlsx_needs_openpyxl": M("读取 xlsx 输入需要 openpyxl：pip install 'qcompliance[xlsx]'",
                                   "an xlsx input needs openpyxl: pip install 'qcompliance[xlsx]'"),
    "batch.xlsx_unreadable": M("不是可读取的 xlsx 工作簿（{why}）",
                               "not a readable xlsx workbook ({why})"),
    "batch.workbook_big": M("工作簿解压后超过 {size}（--max-workbook-bytes）",
                            "the workbook unzips to more than {size} (--max-workbook-bytes)"),
    "batch.workbook_part_big": M("工作簿中有一部分解压后超过 {size}（--max-workbook-bytes）",
                                 "a part of the workbook unzips to more than {size} "
                                 "(--max-workbook-bytes)"),
    # Batch outputs and options (batch/output.py, batch/portfolio.py, cli/batch.py).
    "batch.summary_kind": M("汇总文件必须是 .csv 或 .jsonl 文件",
                            "the summary must be a .csv or .jsonl file"),
    "batch.assessments_kind": M("评估结果文件必须是 .jsonl 文件",
                                "the assessments file must be .jsonl"),
    "batch.portfolio_kind": M("组合报告只能是 .html 或 .xlsx 文件",
                              "a portfolio report is .html or .xlsx"),
    "batch.portfolio_xlsx": M("xlsx 报告需要 openpyxl：pip install 'qcompliance[xlsx]'",
                              "an xlsx report needs openpyxl: pip install 'qcompliance[xlsx]'"),
    "batch.company_pdf": M("--company-pdf 需要配合 --company-reports 文件夹使用",
                           "--company-pdf goes with --company-reports DIR"),
    "batch.needs_dask": M("--dask 需要 Dask：pip install 'qcompliance[dask]'",
                          "--dask needs Dask: pip install 'qcompliance[dask]'"),
    "batch.dask_unreachable": M("无法连接 Dask 调度器 {address}：{why}",
                                "cannot reach the Dask scheduler {address}: {why}"),
    # Impact of a new catalogue (impact/, cli/impact.py).
    "impact.input": M("请给出批量输入 PORTFOLIO 或 --store，二者选一",
                      "give a batch input PORTFOLIO or --store, one of them"),
    "impact.folder": M("文件夹必须是完整清单（含 facts.toml）或规则包（含 pack.toml）",
                       "a folder must hold a catalogue (facts.toml) or a pack (pack.toml)"),
    "impact.pack_cache": M("规则包 {spec} 不在缓存中：请先用 qcheck pull 拉取",
                           "pack {spec} is not in the cache: qcheck pull it first"),
    "impact.catalogue": M("请给出 builtin、名称@版本、锁文件、规则包目录或清单目录",
                          "give builtin, NAME@VERSION, a lock file, a pack folder or a checklist "
                          "folder"),
}
