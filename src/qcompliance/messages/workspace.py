"""Messages of the workspace (the store), the server's answers to requests and the client."""

from __future__ import annotations

from qcompliance.messages.table import Message as M

__all__ = ["WORKSPACE"]

WORKSPACE: dict[str, M] = {
    # The workspace (store/, cli/store.py, cli/history.py).
    "store.no_company": M("工作区中没有企业 {uscc}", "no company {uscc} in this workspace"),
    "store.no_profile": M("企业 {uscc} 在工作区中还没有档案；请先上传一份",
                          "company {uscc} has no stored profile: PUT one first"),
    "store.no_profile_short": M("企业 {uscc} 在工作区中还没有档案",
                                "company {uscc} has no stored profile"),
    "store.other_company": M("档案属于企业 {code}，不是 {uscc}",
                             "the profile is of company {code}, not {uscc}"),
    "store.credit_code": M("工作区按统一社会信用代码保存企业，而档案未给出 company.credit_code",
                           "the workspace keeps companies by credit code; the profile gives no "
                           "company.credit_code"),
    "store.cannot_open": M("无法打开工作区：{why}", "cannot open the workspace: {why}"),
    "store.not_database": M("不是 qcheck 可用的数据库：{why}",
                            "not a database qcheck can use: {why}"),
    "store.not_url": M("不是数据库 URL：{url}", "not a database URL: {url}"),
    "store.newer": M("工作区的结构版本 {at} 比本 qcompliance 新；请升级 qcompliance",
                     "the workspace is at schema {at}, newer than this qcompliance knows; "
                     "upgrade qcompliance"),
    "store.import_empty": M("只能导入到空的工作区", "import goes into an empty workspace"),
    "store.export_empty": M("导出文件夹必须为空", "the export folder must be empty"),
    "store.sha_differs": M("sha256 与 manifest.json 记录的不一致",
                           "sha256 differs from the manifest"),
    "store.not_listed": M("manifest.json 中没有列出该文件", "not listed in the manifest"),
    "store.export_malformed": M("不是工作区导出：格式有误（“{what}”）",
                                "not a workspace export: malformed ('{what}')"),
    "store.not_export": M("不是工作区导出：{why}", "not a workspace export: {why}"),
    "store.no_plan_item": M("企业 {uscc} 没有整改事项 {item}",
                            "no plan item {item} of company {uscc}"),
    "store.no_assessment": M("企业 {uscc} 没有评估记录 {id}",
                             "no assessment {id} of company {uscc}"),
    "store.no_evidence": M("企业 {uscc} 没有佐证材料 {id}", "no evidence {id} of company {uscc}"),
    "store.evidence_item": M("请指明这份文件是哪一项整改事项的佐证材料",
                             "name the plan item the file is evidence for"),
    "store.draft_size": M("保存的自查进度最多 {most} 字节",
                          "a saved self-check is at most {most} bytes"),
    "store.plan_field": M("未知的字段“{field}”；可选：{allowed}",
                          "unknown field '{field}'; one of {allowed}"),
    "store.one_of": M("必须是以下之一：{allowed}", "must be one of {allowed}"),
    "store.note": M("必须是文字（最多 2000 个字符）或 null",
                    "must be text (at most 2000 characters) or null"),
    "store.day": M("必须是日期 YYYY-MM-DD 或 null", "must be a day YYYY-MM-DD or null"),
    "store.company_token": M("企业令牌必须用 --company 指定企业",
                             "a company token names its company"),
    "store.only_company_token": M("只有企业令牌才指定企业", "only a company token names a company"),
    "store.role": M("必须是 admin、consultant 或 company", "must be admin, consultant or company"),
    "store.no_token": M("工作区中没有这个令牌", "no such token in this workspace"),
    "store.backup": M("backup 只复制 SQLite 工作区；PostgreSQL 请用 pg_dump 或 qcheck store export",
                      "backup copies a SQLite workspace; for PostgreSQL use pg_dump or qcheck "
                      "store export"),
    # The server (server/): what it answers to a request it cannot serve.
    "server.token_short": M("令牌至少需要 {most} 个字符",
                            "the token must be at least {most} characters"),
    "server.no_token": M(
        "在 {host} 上监听而不设令牌，网络上任何人都能使用服务器；请给出 --token-file（或 {env}），"
        "若前面有负责认证的代理，可用 --insecure-no-token",
        "listening on {host} without a token lets anyone on the network use the server; give "
        "--token-file (or {env}), or --insecure-no-token when a proxy in front authenticates"),
    "server.unknown_query": M("未知的查询参数", "unknown query parameter"),
    "server.media_ranges": M("不是媒体类型列表", "is not a list of media ranges"),
    "server.media_refused": M("这里不接受“{media}”", "'{media}' is not taken here"),
    "server.content_type": M("不支持的内容类型“{media}”："
                             "请发送 application/json 或 application/toml",
                             "unsupported content type '{media}': send application/json or "
                             "application/toml"),
    "server.object_or_text": M("必须是对象，或 TOML/JSON 文本",
                               "must be an object or TOML/JSON text"),
    "server.text": M("必须是文字", "must be text"),
    "server.text_values": M("必须是取值为文字的对象", "must be an object of text values"),
    "server.envelope_key": M("请求中没有键“{key}”", "unknown envelope key '{key}'"),
    "server.toml_or_json": M("必须是 \"toml\" 或 \"json\"", "must be \"toml\" or \"json\""),
    "server.bool": M("必须是 true 或 false", "must be true or false"),
    "server.lang": M("必须是 zh 或 en", "must be zh or en"),
    "server.no_format": M("没有格式“{name}”", "no format '{name}'"),
    "server.no_checklist_of": M("服务器上没有检查清单“{checklist}”；可选：{known}",
                                "no checklist '{checklist}' on this server; one of {known}"),
    "server.no_checklist": M("服务器上没有检查清单“{checklist}”",
                             "no checklist '{checklist}' on this server"),
    "server.detail": M("必须是 full、compact 或 summary", "must be full, compact or summary"),
    "server.full_compact": M("必须是 full 或 compact", "must be full or compact"),
    "server.checklist_ids": M("必须是检查清单编号的列表", "must be a list of checklist ids"),
    "server.answers": M("必须是以问题编号为键、以回答文字为值的对象（记录类问题的值为记录列表）",
                        "must be an object of question id to answer text (or to a list of "
                        "records for a records question)"),
    "server.no_fact": M("没有事实“{key}”", "no fact '{key}'"),
    "server.key_answer": M("key 和 answer 都必须是文字", "key and answer must be strings"),
    "server.profile_text": M("必须是一份档案的文本", "must be the text of a profile"),
    "server.no_end": M("问答无法结束", "the interview does not end"),
    "server.records_fact": M("必须指向一个记录类事实", "must name a records fact"),
    "server.csv_xlsx": M("必须是 csv 或 xlsx", "must be csv or xlsx"),
    "server.upload_fields": M("name 和 content（base64）都必须是文字",
                              "name and content (base64) must be strings"),
    "server.upload_size": M("文件超过 {most} KiB", "the file is larger than {most} KiB"),
    "server.base64": M("必须是 base64 编码", "must be base64"),
    "server.plan_body": M("请发送 {{\"item\": 编号, ...}} "
                          "或 {{\"items\": [{{\"item\": 编号, ...}}]}}",
                          "send {{\"item\": ID, ...}} or {{\"items\": [{{\"item\": ID, ...}}]}}"),
    "server.empty_file": M("请求体就是文件，但它是空的", "the body is the file, and it is empty"),
    "server.body_utf8": M("请求体不是 UTF-8 文本", "the body is not UTF-8"),
    "server.catalogue": M("必须是 \"served\"、\"builtin\" 或已拉取规则包的 名称@版本",
                          "must be \"served\", \"builtin\" or NAME@VERSION of a pulled pack"),
    "server.credit_codes": M("必须是统一社会信用代码的列表", "must be a list of credit codes"),
    # The client (client/): calls to a qcompliance server.
    "client.transport": M("transport 与 http 只能给出一个", "give transport or http, not both"),
    "client.plain_http": M(
        "令牌会以明文经过网络：请使用 https:// 地址，或自行承担风险"
        "（allow_plain_http=True；qcheck run --insecure-http）",
        "the token would cross the network unencrypted: use an https:// URL, or accept the risk "
        "(allow_plain_http=True; qcheck run --insecure-http)"),
    "client.json": M("无法以 JSON 发送：{why}", "cannot be sent as JSON: {why}"),
    "client.profile_kind": M("必须是路径、映射或 Document，而不是 {kind}",
                             "must be a path, a mapping or a Document, not {kind}"),
    "client.as_of": M("必须是日期或 YYYY-MM-DD，而不是 {kind}",
                      "must be a date or YYYY-MM-DD, not {kind}"),
    "client.profile_mapping": M("第 {n} 份档案必须是映射，而不是 {kind}",
                                "profile {n} must be a mapping, not {kind}"),
    "client.http": M("服务器返回 HTTP {status}：{detail}", "HTTP {status}: {detail}"),
    "client.unreachable": M("无法连接服务器：{why}", "cannot reach the server: {why}"),
    "client.row": M("服务器发来的一行不是 JSON：{why}",
                    "the server sent a row that is not JSON: {why}"),
}
