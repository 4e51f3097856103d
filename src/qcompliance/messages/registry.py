"""Messages of the registry: rule packs, their index, cache and lock file, downloads and the
delivery of an assessment to a quality management system."""

from __future__ import annotations

from qcompliance.messages.table import Message as M

__all__ = ["REGISTRY"]

REGISTRY: dict[str, M] = {
    # Packs and the index (registry/pack.py, registry/build.py, registry/fixtures.py).
    "pack.no_pack": M("索引中没有规则包“{name}”", "no pack '{name}' in the index"),
    "pack.no_version": M("索引中没有规则包“{name}”的版本“{version}”（已发布：{known}）",
                         "no version '{version}' of pack '{name}' in the index "
                         "(published: {known})"),
    "pack.name": M("“{name}”不是有效的规则包名称（只能用 a-z、0-9、-、_ 和 .）",
                   "'{name}' is not a valid pack name ([a-z0-9], '-', '_', '.')"),
    "pack.version": M("“{version}”不是有效的规则包版本", "'{version}' is not a valid pack version"),
    "pack.spec": M("“{spec}”不是“名称”或“名称@版本”", "'{spec}' is not NAME or NAME@VERSION"),
    "pack.symlink": M("规则包只能包含普通文件，不能有符号链接",
                      "a pack holds plain files only, not symbolic links"),
    "pack.index_json": M("索引不是有效的 JSON：{why}", "the index is not valid JSON: {why}"),
    "pack.index_schema": M("不是规则包索引（schema 必须是 \"{schema}\"）",
                           "not a pack index (schema must be \"{schema}\")"),
    "pack.index_malformed": M("索引格式有误：{why}", "the index is malformed: {why}"),
    "pack.sha256": M("sha256 必须是 64 位小写十六进制数字",
                     "sha256 must be 64 lowercase hex digits"),
    "pack.size": M("大小不能为负数", "size must not be negative"),
    "pack.published": M("{name} {version} 已用不同的内容发布过；请在 pack.toml 中提高版本号",
                        "{name} {version} is already published with other content; raise the "
                        "version in pack.toml"),
    "pack.no_manifest": M("不是规则包目录：其中没有 pack.toml",
                          "not a pack folder: it has no pack.toml"),
    "pack.file_name": M("检查清单“{id}”的文件名必须是 {id}.toml（或 .json）",
                        "the file of checklist '{id}' must be named {id}.toml (or .json)"),
    "pack.fixtures_fail": M("夹具未通过：{failed}（见 qcheck pack test）",
                            "fixtures fail: {failed} (see qcheck pack test)"),
    "pack.needs_fixture": M(
        "规则包至少需要一个夹具（fixtures/名称.expected.toml；可用 qcheck pack test --update "
        "--as-of 日期 生成）",
        "a pack needs at least one fixture (fixtures/NAME.expected.toml; qcheck pack test "
        "--update --as-of DAY writes them)"),
    "pack.new_fixture": M("新夹具需要它的档案 名称.toml 和 --as-of",
                          "a new fixture needs its profile NAME.toml and --as-of"),
    "pack.profile_inside": M("档案必须位于规则包目录之内",
                             "the profile must lie inside the pack folder"),
    "pack.not_cached": M("规则包 {spec} 不在缓存中", "pack {spec} is not in the cache"),
    "pack.give_index": M("请给出 --index 地址（锁文件中没有这个规则包）",
                         "give --index URL (the pack is not in the lock file)"),
    "pack.offline": M("--offline 读取锁文件：请同时给出 --locked",
                      "--offline reads the lock file: give --locked too"),
    # Archives (registry/archive.py).
    "archive.absolute": M("压缩包成员“{name}”使用了绝对路径",
                          "archive member '{name}' has an absolute path"),
    "archive.link": M("压缩包成员“{name}”是链接；规则包只能包含普通文件",
                      "archive member '{name}' is a link; a pack holds plain files"),
    "archive.escapes": M("压缩包成员“{name}”跳出了规则包目录（..）",
                         "archive member '{name}' escapes the pack folder ('..')"),
    "archive.special": M("压缩包成员“{name}”是设备、管道或其他特殊文件；规则包只能包含普通文件",
                         "archive member '{name}' is a device, FIFO or other special file; a pack "
                         "holds plain files"),
    "archive.refused": M("压缩包成员“{name}”被拒绝（{why}）",
                         "archive member '{name}' is refused ({why})"),
    "archive.members": M("压缩包中的条目超过 {most} 个",
                         "the archive holds more than {most} entries"),
    "archive.size": M("压缩包解压后超过 {most} 字节",
                      "the archive unpacks to more than {most} bytes"),
    "archive.no_data": M("压缩包成员“{name}”没有内容", "archive member '{name}' has no data"),
    "archive.twice": M("压缩包成员“{name}”出现了两次", "archive member '{name}' appears twice"),
    "archive.collide": M("压缩包成员的名称相互冲突", "archive members collide"),
    "archive.unreadable": M("无法读取压缩包：{why}", "the archive cannot be read: {why}"),
    "archive.no_manifest": M("压缩包中没有 pack.toml", "the archive has no pack.toml"),
    # The cache and the lock file (registry/cache.py, registry/lockfile.py, registry/sources.py).
    "cache.promised": M(
        "压缩包中的 pack.toml 写的是 {name} {version}，索引给出的是 {index_name} {index_version}；"
        "未安装任何内容",
        "the archive's pack.toml names {name} {version}, the index promised {index_name} "
        "{index_version}; nothing was installed"),
    "cache.changed_files": M("缓存中的规则包 {name}@{version} 被改动过（增删了文件）；请重新拉取",
                             "pack {name}@{version} in the cache was changed (files added or "
                             "removed); pull it again"),
    "cache.changed": M("缓存中的规则包 {name}@{version} 被改动过（{file}）；请重新拉取",
                       "pack {name}@{version} in the cache was changed ({file}); pull it again"),
    "cache.lock": M("另一次拉取占用缓存锁已超过 {seconds} 秒",
                    "another pull has held the cache lock for more than {seconds} s"),
    "cache.record": M("{name}@{version} 的缓存记录已损坏；请重新拉取",
                      "the cache record of {name}@{version} is damaged; pull it again"),
    "lock.no_file": M("没有锁文件 {path}：请先运行 qcheck pull",
                      "no lock file {path}: run qcheck pull first"),
    "lock.packs": M("锁文件已指明所用的规则包：不要再给出 catalog 或 facts_file",
                    "a lock names its packs: give no catalog or facts_file"),
    "lock.pinned": M(
        "{name} {version} 锁定的 sha256 是 {pinned}，这次拉取得到的是 {pulled}："
        "已发布的版本不应改变；"
        "如属预期的变化，请加 --repin",
        "{name} {version} is pinned with sha256 {pinned}, the pull gave {pulled}: a published "
        "version must not change; give --repin if the change is expected"),
    "lock.no_pack": M("锁文件没有锁定任何规则包：请先运行 qcheck pull",
                      "the lock file pins no pack: run qcheck pull first"),
    "lock.not_cached": M("规则包 {name}@{version} 不在缓存中：请运行 qcheck pull {name}@{version} "
                         "--index {index}",
                         "pack {name}@{version} is not in the cache: run qcheck pull "
                         "{name}@{version} --index {index}"),
    "lock.cache_sha": M("缓存中的 {name}@{version} 的 sha256 是 {cached}，锁文件锁定的是 {pinned}",
                        "the cache holds {name}@{version} with sha256 {cached}, the lock file pins "
                        "{pinned}"),
    "lock.no_checklist": M("锁定的规则包中没有检查清单“{checklist}”",
                           "no checklist '{checklist}' in the locked packs"),
    "lock.catalogues": M("不止一个规则包是完整清单（含 facts.toml）：{packs}",
                         "more than one pack is a whole catalogue (has facts.toml): {packs}"),
    "lock.checklist_pack": M("检查清单 {id} 未注明规则包及其版本",
                             "checklist {id} names no pack and version"),
    "lock.checklist_differs": M("检查清单 {id} 与评估时所用的不同"
                                "（sha256 {found}，记录为 {recorded}）",
                                "checklist {id} differs from the one the assessment used "
                                "(sha256 {found}, recorded {recorded})"),
    "lock.used_pack_sha": M(
        "评估时使用的规则包 {pack}@{version}（sha256 {sha}）不在缓存中：请运行 qcheck pull "
        "{pack}@{version}{index}",
        "the assessment used pack {pack}@{version} (sha256 {sha}), which is not in the cache: "
        "run qcheck pull {pack}@{version}{index}"),
    "lock.used_pack": M("评估时使用的规则包 {pack}@{version} 不在缓存中：请运行 qcheck pull "
                        "{pack}@{version}{index}",
                        "the assessment used pack {pack}@{version}, which is not in the cache: "
                        "run qcheck pull {pack}@{version}{index}"),
    # Downloads (registry/client.py, registry/download.py).
    "fetch.after": M("{why}（已尝试 {attempts} 次）", "{why} after {attempts} attempts"),
    "fetch.not_found": M("服务器返回 {status}（未找到）",
                         "the server answered {status} (not found)"),
    "fetch.status": M("服务器返回 {status}", "the server answered {status}"),
    "fetch.scheme": M("只能从 http:// 和 https:// 地址下载",
                      "only http:// and https:// URLs can be fetched"),
    "fetch.size": M("收到 {got} 字节，索引列出的是 {listed}：下载不完整，或不是已发布的规则包",
                    "got {got} bytes, the index lists {listed}: the download is incomplete or not "
                    "the published pack"),
    "fetch.sha256": M("sha256 不符：得到 {got}，索引列出的是 {listed}；未安装任何内容",
                      "sha256 mismatch: got {got}, the index lists {listed}; "
                      "nothing was installed"),
    "fetch.slow": M("下载超过 {seconds} 秒；未安装任何内容",
                    "the download took longer than {seconds} s; nothing was installed"),
    "fetch.limit": M("下载内容超过 {most} 字节的上限",
                     "the download is larger than the limit of {most} bytes"),
    "fetch.listed": M("下载内容超过索引列出的 {most} 字节",
                      "the download is larger than the {most} bytes the index lists"),
    "fetch.pinned": M("索引中 {name}@{version} 的 sha256 是 {listed}，锁文件锁定的是 {pinned}",
                      "{name}@{version} in the index has sha256 {listed}, the lock file pins "
                      "{pinned}"),
    "fetch.pack_size": M("规则包有 {size} 字节，超过 {most} 字节的上限",
                         "the pack is {size} bytes, more than the limit of {most}"),
    "fetch.decoded": M("响应解码后超过 {most} 字节",
                       "the answer decodes to more than {most} bytes"),
    "fetch.encoded_twice": M("响应被多次编码（{encoding}）；最多只接受一种内容编码",
                             "the answer is encoded several times over ({encoding}); at most one "
                             "content encoding is accepted"),
    "fetch.encoding": M("响应使用了意外的内容编码“{coding}”（可接受：{accepted}）",
                        "the answer has an unexpected content encoding '{coding}' (accepted: "
                        "{accepted})"),
    "fetch.bad_data": M("响应不是有效的 {coding} 数据（{why}）",
                        "the answer is not valid {coding} data ({why})"),
    "net.redirects": M("重定向次数过多（可能是重定向循环）",
                       "too many redirects (a redirect loop?)"),
    "net.url": M("地址无效（{why}）", "the URL is not valid ({why})"),
    "net.failed": M("请求失败（{why}）", "the request failed ({why})"),
    "net.connect_timeout": M("连接超时", "timed out connecting"),
    "net.read_timeout": M("等待服务器响应超时", "timed out waiting for the server"),
    "net.connect": M("无法连接（{why}）", "cannot connect ({why})"),
    "net.broke": M("连接中断（{why}）", "the connection broke off ({why})"),
    "net.proxy": M("代理拒绝了请求（{why}）", "the proxy refused ({why})"),
    "net.error": M("网络错误（{why}）", "network error ({why})"),
    # Delivery of an assessment (registry/post.py).
    "post.scheme": M("只能发送到 http:// 和 https:// 地址",
                     "only http:// and https:// URLs can be posted to"),
    "post.plain_http": M("${env} 中的令牌会以明文经过网络：请使用 https:// 地址，"
                         "或用 --insecure-http 自行承担风险",
                         "the token in ${env} would cross the network unencrypted: use an https:// "
                         "URL, or --insecure-http to accept the risk"),
    "post.after": M("评估结果在尝试 {attempts} 次后仍未送达：{why}",
                    "the assessment was not delivered after {attempts} attempts: {why}"),
    "post.check_token": M("评估结果未送达：对方返回 {status}（请检查 ${env} 中的令牌）",
                          "the assessment was not delivered: the endpoint answered {status} "
                          "(check the token in ${env})"),
    "post.no_token": M("评估结果未送达：对方返回 {status}（没有令牌：请设置 ${env}）",
                       "the assessment was not delivered: the endpoint answered {status} "
                       "(no token: set ${env})"),
    "post.status": M("评估结果未送达：对方返回 {status}",
                     "the assessment was not delivered: the endpoint answered {status}"),
    "post.failed": M("评估结果未送达：{why}", "the assessment was not delivered: {why}"),
}
