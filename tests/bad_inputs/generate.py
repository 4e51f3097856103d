"""Write the bad-input corpus: ``python tests/bad_inputs/generate.py`` (then ``--expect`` to
record, for review, the error line each file produces; see tests/test_bad_inputs.py).

Each case is a small variation of a valid input, so each file has exactly one thing wrong.
Kinds (one folder each): profile, checklist, facts, tailoring, waivers, assessment, pack, batch.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import tarfile
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
MINI = (ROOT / "tests" / "assets" / "mini.toml").read_text(encoding="utf-8")
PROFILE = (ROOT / "tests" / "assets" / "mini-profile.toml").read_text(encoding="utf-8")
FACTS_HEAD = 'schema = "qcompliance/facts/v1"\n'
FACT = ('[[facts]]\nkey = "x.a"\ntype = "int"\nlabel = { zh = "甲", en = "A" }\n'
        'question = { zh = "甲？", en = "A?" }\n')
TAILOR = ('schema = "qcompliance/tailoring/v1"\n[[checklists]]\nid = "cn-export"\n'
          'select = false\nreason = "no exports"\n')
WAIVER = ('[[waivers]]\nitem = "cn-recall.recall-plan"\njustification = "j"\n'
          'approved_by = "a"\nexpires = 2027-01-31\n')
WAIVERS = 'schema = "qcompliance/waivers/v1"\n' + WAIVER


def _assessment() -> dict[str, object]:
    path = HERE / "valid-assessment.json"
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def cases() -> dict[str, bytes | str]:
    """Every corpus file by its path under tests/bad_inputs."""
    out: dict[str, bytes | str] = {}

    def profile(name: str, body: str | bytes) -> None:
        out[f"profile/{name}"] = body

    head = 'schema = "qcompliance/profile/v1"\n'
    # Syntax.
    profile("syntax-unclosed-string.toml", head + '[company]\nname = "abc\n')
    profile("syntax-missing-value.toml", head + "[company]\nname =\n")
    profile("syntax-bad-table.toml", head + "[company\nname = 'x'\n")
    profile("syntax-duplicate-key.toml", head + "[company]\nname = 'a'\nname = 'b'\n")
    profile("syntax-duplicate-table.toml", head + "[company]\nname = 'a'\n[company]\n")
    profile("syntax-bare-word.toml", head + "[company]\nname = abc\n")
    profile("syntax-trailing-comma.json", '{"company": {"name": "a",}}')
    profile("syntax-single-quotes.json", "{'company': 1}")
    profile("syntax-truncated.json", '{"company": {"name": "a"')
    profile("syntax-comment.json", '// c\n{"company": {}}')
    profile("syntax-nan.json", '{"company": {"employees": NaN}}')
    profile("syntax-infinity.json", '{"company": {"employees": Infinity}}')
    profile("syntax-duplicate-key.json", '{"company": {"name": "a", "name": "b"}}')
    profile("top-level-list.json", "[1, 2]")
    profile("top-level-string.json", '"company"')
    profile("empty.json", "")
    profile("empty.toml", "")
    profile("only-schema.toml", head)
    profile("only-comment.toml", "# nothing\n")
    profile("whitespace.toml", "   \n\n")
    # Encodings.
    profile("latin1.toml", (head + '[company]\nname = "Caf\xe9"\n').encode("latin-1"))
    profile("utf16.toml", (head + "[company]\nname = 'a'\n").encode("utf-16"))
    profile("nul-byte.toml", head + "[company]\nname = 'a\x00'\n")
    profile("control-char.toml", head + "[company]\nname = 'a\x07'\n")
    profile("surrogate.json", '{"company": {"name": "\\ud800"}}')
    profile("surrogate-key.json", '{"company": {"\\udfff": 1}}')
    profile("surrogate-pair-half.json", '{"company": {"name": "a\\udc00b"}}')
    profile("invalid-utf8.json", b'{"company": {"name": "\xc3\x28"}}')
    profile("invalid-utf8-line3.toml",
            b'schema = "qcompliance/profile/v1"\n[company]\nname = "\xff"\n')
    # Nesting and size.
    profile("deep-array.toml", "a = " + "[" * 5000 + "]" * 5000 + "\n")
    profile("deep-inline.toml", "a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n")
    profile("deep-array.json", '{"a": ' + "[" * 5000 + "]" * 5000 + "}")
    profile("deep-object.json", '{"a": ' + '{"b": ' * 5000 + "1" + "}" * 5000 + "}")
    profile("deep-40.json", '{"a": ' + "[" * 40 + "]" * 40 + "}")
    profile("deep-dotted.toml", "a" + ".a" * 40 + " = 1\n")
    profile("huge-int.toml", head + "[company]\nemployees = " + "9" * 5000 + "\n")
    profile("huge-int.json", '{"company": {"employees": ' + "9" * 5000 + "}}")
    profile("int-2-64.toml", head + "[company]\nemployees = 18446744073709551616\n")
    profile("int-over-2-53.json", '{"company": {"employees": 9007199254740993}}')
    profile("float-1e308.toml", head + "[company]\nrevenue_10k_yuan = 1e308\n")
    profile("float-overflow.json", '{"company": {"revenue_10k_yuan": 1e400}}')
    profile("nan.toml", head + "[company]\nrevenue_10k_yuan = nan\n")
    profile("inf.toml", head + "[company]\nrevenue_10k_yuan = inf\n")
    profile("minus-inf.toml", head + "[company]\nrevenue_10k_yuan = -inf\n")
    # Schema key.
    profile("schema-wrong.toml", 'schema = "qcompliance/profile/v2"\n[company]\nname = "a"\n')
    profile("schema-number.toml", "schema = 1\n[company]\nname = 'a'\n")
    profile("schema-checklist.toml", 'schema = "qcompliance/checklist/v1"\n')
    # Unknown keys and groups.
    profile("unknown-fact.toml", head + "[company]\nemployes = 3\n")
    profile("unknown-group.toml", head + "[compnay]\nname = 'a'\n")
    profile("unknown-top.toml", head + "foo = 1\n")
    profile("group-given-int.toml", head + "company = 5\n")
    profile("group-given-string.toml", head + 'company = "acme"\n')
    profile("group-given-list.json", '{"company": [1]}')
    profile("unknown-record-field.toml", head + "[[t.logs]]\ndate = 2026-01-01\nokay = true\n")
    profile("envelope-unknown-key.toml", head + "[company.employees]\nvalue = 3\nsorce = 'x'\n")
    profile("envelope-no-value.toml", head + "[company.employees]\nsource = 'x'\n")
    profile("envelope-evidence-string.toml",
            head + "[company.employees]\nvalue = 3\nevidence = 'a.pdf'\n")
    profile("envelope-evidence-ints.toml",
            head + "[company.employees]\nvalue = 3\nevidence = [1, 2]\n")
    profile("envelope-source-int.toml", head + "[company.employees]\nvalue = 3\nsource = 5\n")
    profile("envelope-as-of-bad.toml",
            head + "[company.employees]\nvalue = 3\nas_of = '2026-13-01'\n")
    profile("envelope-as-of-far.toml",
            head + "[company.employees]\nvalue = 3\nas_of = 9999-12-31\n")
    profile("envelope-valid-until-int.toml",
            head + "[company.employees]\nvalue = 3\nvalid_until = 20270101\n")
    profile("envelope-attested-list.toml",
            head + "[company.employees]\nvalue = 3\nattested_by = ['a']\n")
    # Wrong types, fact by fact type.
    wrong = {
        "bool": ("company.produces", ['"false"', '"true"', "1", "0", '"yes"', "[true]",
                                      "{ value = 'no' }", "1.0"]),
        "int": ("company.employees", ['"12"', "12.5", "true", "[12]", '"many"', "-1.5",
                                      "{ x = 1 }", "1e3"]),
        "number": ("company.revenue_10k_yuan", ['"3800"', "true", "[1]", '"1e3"']),
        "string": ("company.name", ["5", "true", "['a']", "2026-01-01", "1.5", "{ zh = 'a' }"]),
        "date": ("t.when", ['"2026-13-45"', '"2026-02-30"', '"26-01-01"', "20260101",
                            "2026-01-01T10:00:00", '"yesterday"', "1899-12-31", "2200-01-01",
                            "0001-01-01", "9999-12-31", "true"]),
        "enum": ("company.size", ['"medum"', '"Small"', "1", "['small']", "true"]),
        "list": ("company.product_categories", ['"food"', "[1]", "['fod']", "[['food']]",
                                                "true"]),
        "records": ("t.logs", ["5", '"x"', "[5]", "[{ date = 'x' }]", "[{ ok = 'yes' }]"]),
    }
    for kind, (key, values) in wrong.items():
        group, name = key.rsplit(".", 1)
        for i, value in enumerate(values):
            profile(f"type-{kind}-{i}.toml", f"{head}[{group}]\n{name} = {value}\n")
    profile("type-int-json-float.json", '{"company": {"employees": 12.0}}')
    profile("type-bool-json-null.json", '{"company": {"produces": null}}')
    profile("type-string-json-null.json", '{"company": {"name": null}}')
    profile("credit-code-bad.toml", head + "[company]\ncredit_code = '91350100M000100Y44'\n")
    profile("credit-code-short.toml", head + "[company]\ncredit_code = '9135'\n")
    profile("many-errors.toml", head + "[company]\n" + "".join(
        f"unknown_{i} = {i}\n" for i in range(2000)))

    # Checklists: one change each to the valid mini checklist.
    def checklist(name: str, old: str, new: str, count: int = 1) -> None:
        assert old in MINI, old
        out[f"checklist/{name}"] = MINI.replace(old, new, count)

    checklist("version-int.toml", 'version = "1"', "version = 1")
    checklist("version-float.toml", 'version = "1"', "version = 1.0")
    checklist("version-bool.toml", 'version = "1"', "version = true")
    checklist("title-zh-int.toml", 'title = { zh = "测试清单"', "title = { zh = 5")
    checklist("title-string.toml", 'title = { zh = "测试清单", en = "Test checklist" }',
              'title = "测试清单"')
    checklist("title-list.toml", 'title = { zh = "测试清单", en = "Test checklist" }',
              'title = ["a", "b"]')
    checklist("title-missing-en.toml", 'title = { zh = "测试清单", en = "Test checklist" }',
              'title = { zh = "测试清单" }')
    checklist("title-extra-key.toml", 'title = { zh = "测试清单", en = "Test checklist" }',
              'title = { zh = "测试清单", en = "T", fr = "x" }')
    checklist("schema-wrong.toml", 'schema = "qcompliance/checklist/v1"',
              'schema = "qcompliance/checklist/v9"')
    checklist("schema-missing.toml", 'schema = "qcompliance/checklist/v1"\n', "")
    checklist("id-bad.toml", 'id = "t-mini"', 'id = "T Mini"')
    checklist("id-int.toml", 'id = "t-mini"', "id = 7")
    checklist("unknown-top-key.toml", 'version = "1"', 'version = "1"\nauthor = "x"')
    checklist("verified-bad.toml", 'verified = "text"', 'verified = "maybe"', 1)
    checklist("verified-bool.toml", 'verified = "text"', "verified = true", 1)
    checklist("sources-table.toml", "[[sources]]", "[sources]")
    checklist("fact-type-bad.toml", 'type = "bool"', 'type = "boolean"', 1)
    checklist("fact-type-int.toml", 'type = "bool"', "type = 1", 1)
    checklist("fact-key-bad.toml", 'key = "t.flag"', 'key = "T.Flag"', 1)
    checklist("fact-label-int.toml", 'label = { zh = "标志", en = "Flag" }',
              'label = { zh = 1, en = "Flag" }')
    checklist("fact-label-empty.toml", 'label = { zh = "标志", en = "Flag" }',
              'label = { zh = " ", en = "Flag" }')
    checklist("fact-fields-string.toml", "fields = [\n", "fields = 'x'\nother = [\n")
    checklist("syntax.toml", 'version = "1"', 'version = "1')
    checklist("deep.toml", 'version = "1"', 'version = "1"\nx = ' + "[" * 3000 + "]" * 3000)
    checklist("nan.toml", 'version = "1"', 'version = "1"\nx = nan')
    checklist("empty.toml", MINI, "")
    for i, bad in enumerate(["(a)\\1", "(?=x)a", "(?<=a)b", "a{1001}", "(", "[z-a]",
                             "\\u4e00", "x" * 1001, "(?P<n>a)(?P=n)", "a**"]):
        out[f"checklist/regex-{i}.toml"] = MINI + _regex_item(bad)
    out["checklist/regex-int.toml"] = MINI + _regex_item("5", quoted=False)
    out["checklist/days-negative.toml"] = MINI + _days_item(-1)
    out["checklist/days-huge.toml"] = MINI + _days_item(10**6)
    out["checklist/days-string.toml"] = MINI + _days_item('"30"')

    # Facts dictionaries (library only: no CLI option reads one).
    def facts(name: str, body: str) -> None:
        out[f"facts/{name}"] = body

    facts("schema-wrong.toml", 'schema = "qcompliance/facts/v2"\n' + FACT)
    facts("unknown-top.toml", FACTS_HEAD + "extra = 1\n" + FACT)
    facts("type-bad.toml", FACTS_HEAD + FACT.replace('"int"', '"integer"'))
    facts("type-int.toml", FACTS_HEAD + FACT.replace('"int"', "3"))
    facts("key-int.toml", FACTS_HEAD + FACT.replace('"x.a"', "5"))
    facts("key-bad.toml", FACTS_HEAD + FACT.replace('"x.a"', '"X A"'))
    facts("label-string.toml", FACTS_HEAD + FACT.replace('{ zh = "甲", en = "A" }', '"甲"'))
    facts("label-zh-int.toml", FACTS_HEAD + FACT.replace('zh = "甲"', "zh = 1"))
    facts("enum-no-values.toml", FACTS_HEAD + FACT.replace('"int"', '"enum"'))
    facts("values-string.toml", FACTS_HEAD + FACT.replace('"int"', '"enum"') + 'values = "a"\n')
    facts("missing-key.toml", FACTS_HEAD + FACT.replace('key = "x.a"\n', ""))
    facts("unknown-key.toml", FACTS_HEAD + FACT + "colour = 'red'\n")
    facts("facts-table.toml", FACTS_HEAD + "[facts]\nkey = 'x'\n")
    facts("facts-string.toml", FACTS_HEAD + "facts = 'x'\n")
    facts("syntax.toml", FACTS_HEAD + "[[facts]\n")

    # Tailoring files.
    def tailoring(name: str, body: str) -> None:
        out[f"tailoring/{name}"] = body

    tailoring("select-string.toml", TAILOR.replace("select = false", 'select = "false"'))
    tailoring("select-int.toml", TAILOR.replace("select = false", "select = 0"))
    tailoring("reason-missing.toml", TAILOR.replace('reason = "no exports"\n', ""))
    tailoring("reason-blank.toml", TAILOR.replace('"no exports"', '"  "'))
    tailoring("reason-int.toml", TAILOR.replace('"no exports"', "5"))
    tailoring("unknown-checklist.toml", TAILOR.replace("cn-export", "cn-exprt"))
    tailoring("unknown-key.toml", "colour = 'red'\n" + TAILOR)
    tailoring("schema-wrong.toml", TAILOR.replace("tailoring/v1", "tailoring/v2"))
    tailoring("checklists-table.toml", TAILOR.replace("[[checklists]]", "[checklists]"))
    tailoring("title-int.toml", "title = 5\n" + TAILOR)
    item = 'schema = "qcompliance/tailoring/v1"\n[[items]]\nid = "cn-recall.recall-plan"\n' \
           'reason = "r"\n'
    tailoring("item-unknown.toml", item.replace("recall-plan", "recal-plan"))
    tailoring("item-severity-bad.toml", item + 'severity = "huge"\n')
    tailoring("item-severity-int.toml", item + "severity = 3\n")
    tailoring("item-params-string.toml", item + 'params = "x"\n')
    tailoring("item-select-string.toml", item + 'select = "no"\n')
    tailoring("syntax.toml", TAILOR + "[[items\n")
    tailoring("waivers-string.toml", 'waivers = "x"\n' + TAILOR)
    tailoring("duplicate-waiver.toml", TAILOR + WAIVER + WAIVER)

    # Waivers files.
    def waivers(name: str, body: str) -> None:
        out[f"waivers/{name}"] = body

    waivers("schema-wrong.toml", WAIVERS.replace("waivers/v1", "waivers/v0"))
    waivers("schema-missing.toml", WAIVER)
    waivers("unknown-top.toml", "colour = 'red'\n" + WAIVERS)
    waivers("waivers-string.toml", 'schema = "qcompliance/waivers/v1"\nwaivers = "x"\n')
    waivers("waivers-table.toml", 'schema = "qcompliance/waivers/v1"\n[waivers]\nitem = "x"\n')
    waivers("duplicate.toml", WAIVERS + WAIVER)
    waivers("syntax.toml", WAIVERS + "expires = \n")
    waivers("expires-far.toml", WAIVERS.replace("2027-01-31", "9999-12-31"))
    waivers("nan.json", '{"schema": "qcompliance/waivers/v1", "waivers": [NaN]}')
    waivers("deep.json", '{"schema": "qcompliance/waivers/v1", "waivers": '
            + "[" * 100 + "]" * 100 + "}")

    # Assessments: one change each to a valid assessment.
    base = _assessment()

    def assessment(name: str, change: object) -> None:
        data = json.loads(json.dumps(base))
        if callable(change):
            change(data)
            out[f"assessment/{name}"] = json.dumps(data, ensure_ascii=False, indent=2)
        else:
            out[f"assessment/{name}"] = change  # type: ignore[assignment]

    text = json.dumps(base, ensure_ascii=False, indent=2)
    assessment("syntax.json", text[: len(text) // 2])
    assessment("latin1.json", text.replace('"0.1.0"', '"caf\xe9"').encode("latin-1", "replace"))
    assessment("invalid-utf8.json", text.encode("utf-8").replace(b'"as_of"', b'"as_\xffof"'))
    assessment("surrogate.json", text.replace('"tool_version": "0.1.0"',
                                              '"tool_version": "\\ud800"'))
    assessment("nan.json", text.replace('"score": ', '"score": NaN, "x": ', 1))
    assessment("top-list.json", "[]")
    assessment("empty.json", "")
    assessment("schema-wrong.json", lambda d: d.update(schema="qcompliance/assessment/v9"))
    assessment("as-of-bad.json", lambda d: d.update(as_of="2026-02-30"))
    assessment("as-of-far.json", lambda d: d.update(as_of="9999-12-31"))
    assessment("as-of-int.json", lambda d: d.update(as_of=20261120))
    assessment("tool-version-int.json", lambda d: d.update(tool_version=1))
    assessment("unknown-key.json", lambda d: d.update(extra=1))
    assessment("missing-results.json", lambda d: d.pop("results"))
    assessment("results-string.json", lambda d: d.update(results="x"))
    assessment("result-verdict-bad.json",
               lambda d: d["results"][0].update(verdict="maybe"))
    assessment("result-verdict-int.json", lambda d: d["results"][0].update(verdict=1))
    assessment("result-item-int.json", lambda d: d["results"][0].update(item=5))
    assessment("result-extra.json", lambda d: d["results"][0].update(colour="red"))
    assessment("result-table.json", lambda d: d["results"].__setitem__(0, "x"))
    assessment("checklist-title-zh-int.json",
               lambda d: d["checklists"][0]["title"].update(zh=5))
    assessment("checklist-version-int.json", lambda d: d["checklists"][0].update(version=1))
    assessment("checklists-table.json", lambda d: d.update(checklists={"a": 1}))
    assessment("deep.json", lambda d: d.update(x=json.loads("[" * 50 + "]" * 50)))
    assessment("huge-int.json",
               text.replace('"results":', '"x": ' + "9" * 5000 + ', "results":', 1))
    # Packs (issue 11): manifests (a folder with pack.toml, read by `qcheck pack test`) and
    # archives (unpacked by the registry's safe_unpack, which every pull goes through).
    manifest = ('schema = "qcompliance/pack/v1"\nname = "acme"\nversion = "1.0"\n'
                'title = { zh = "甲", en = "Acme" }\n')

    def pack_manifest(name: str, old: str, new: str) -> None:
        assert old in manifest, old
        out[f"pack/manifest-{name}/pack.toml"] = manifest.replace(old, new)

    pack_manifest("version-int", 'version = "1.0"', "version = 1")
    pack_manifest("version-float", 'version = "1.0"', "version = 1.0")
    pack_manifest("version-bad", 'version = "1.0"', 'version = "1..0"')
    pack_manifest("name-int", 'name = "acme"', "name = 5")
    pack_manifest("name-bad", 'name = "acme"', 'name = "Acme Pack"')
    pack_manifest("name-missing", 'name = "acme"\n', "")
    pack_manifest("title-string", 'title = { zh = "甲", en = "Acme" }', 'title = "Acme"')
    pack_manifest("title-zh-int", 'zh = "甲"', "zh = 5")
    pack_manifest("schema-wrong", "pack/v1", "pack/v2")
    pack_manifest("unknown-key", 'version = "1.0"', 'version = "1.0"\nauthor = "x"')
    pack_manifest("description-list", 'version = "1.0"', 'version = "1.0"\ndescription = []')
    pack_manifest("syntax", 'version = "1.0"', 'version = "1.0')
    ok = manifest.encode()
    archives: dict[str, list[tuple[str, str, bytes]]] = {
        "absolute": [("/etc/acme/pack.toml", "file", ok)],
        "dotdot": [("../../outside.toml", "file", ok)],
        "dotdot-inside": [("checklists/../../outside.toml", "file", ok)],
        "backslash": [("..\\outside.toml", "file", ok)],
        "drive": [("C:/acme/pack.toml", "file", ok)],
        "symlink": [("pack.toml", "symlink", b"/etc/passwd")],
        "hardlink": [("pack.toml", "file", ok), ("copy.toml", "hardlink", b"pack.toml")],
        "device": [("zero", "chr", b"")],
        "fifo": [("pipe", "fifo", b"")],
        "duplicate": [("pack.toml", "file", ok), ("pack.toml", "file", ok)],
        "too-large": [("pack.toml", "file", b"#" * 70_000)],
    }
    for name, members in archives.items():
        out[f"pack/archive-{name}.tar.gz"] = _tar(members)
    out["pack/archive-not-gzip.tar.gz"] = b"PK\x03\x04 not a tar"
    out["pack/archive-truncated.tar.gz"] = _tar([("pack.toml", "file", ok)])[:40]
    out["pack/archive-empty.tar.gz"] = b""

    # Batch inputs (issue 20): whole-file problems of `qcheck batch` (a bad line of a JSON Lines
    # file is a row, not an error: tests/test_abuse_batch.py).
    out["batch/header-wide.csv"] = "id," + ",".join(f"c{i}" for i in range(4100)) + "\n"
    out["batch/header-unknown.csv"] = "id,t.flga\nA,1\n"
    out["batch/header-duplicate.csv"] = "id,t.years,t.years\nA,1,2\n"
    out["batch/empty.csv"] = ""
    out["batch/not-utf8.csv"] = "id,t.years\n甲,1\n".encode("gb18030")
    out["batch/not-a-zip.xlsx"] = b"id,x.a\nA,1\n"
    out["batch/bomb-shared-strings.xlsx"] = _zip_bomb("xl/sharedStrings.xml", 40 * 1024 * 1024)
    out["batch/wrong-suffix.txt"] = "id,x.a\nA,1\n"
    return out


def _tar(members: list[tuple[str, str, bytes]]) -> bytes:
    """A gzip tar of ``members`` (name, kind, data), byte-for-byte reproducible."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name, kind, data in members:
            info = tarfile.TarInfo(name)
            info.mtime = 0
            info.mode = 0o644
            if kind == "file":
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
                continue
            info.type = {"symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE,
                         "chr": tarfile.CHRTYPE, "fifo": tarfile.FIFOTYPE}[kind]
            if kind in ("symlink", "hardlink"):
                info.linkname = data.decode()
            tar.addfile(info)
    return gzip.compress(buffer.getvalue(), mtime=0)


def _zip_bomb(member: str, size: int) -> bytes:
    """A workbook-shaped zip whose ``member`` unzips to ``size`` bytes of blanks (a few kB
    compressed), byte-for-byte reproducible."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("[Content_Types].xml", b"<Types/>"), (member, b" " * size)):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


_ITEM_TAIL = ('basis = [{ source = "law", clause = "第一条", quote = "q" }]\n'
              'evidence = [{ zh = "记录", en = "Record" }]\n'
              'remediation = { zh = "改。", en = "Fix." }\n')


def _regex_item(pattern: str, quoted: bool = True) -> str:
    value = json.dumps(pattern) if quoted else pattern
    return ('\n[[facts]]\nkey = "t.code"\ntype = "string"\nlabel = { zh = "代码", en = "Code" }\n'
            'question = { zh = "代码？", en = "Code?" }\n'
            '\n[[items]]\nid = "t-mini.regex"\nlevel = "mandatory"\nseverity = "low"\n'
            'title = { zh = "正则", en = "Regex" }\n' + _ITEM_TAIL +
            f'check = {{ fact = "t.code", matches = {value} }}\n')


def _days_item(days: object) -> str:
    return ('\n[[items]]\nid = "t-mini.days"\nlevel = "mandatory"\nseverity = "low"\n'
            'title = { zh = "天", en = "Days" }\n' + _ITEM_TAIL +
            f'check = {{ fact = "t.when", within_days = {days} }}\n')


def main() -> None:
    """Write the corpus files (replacing those the generator knows)."""
    for rel, body in cases().items():
        path = HERE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, str):
            body = body.encode("utf-8", "surrogatepass")
        path.write_bytes(body)
    print(f"{len(cases())} files", file=sys.stderr)


if __name__ == "__main__":
    main()
