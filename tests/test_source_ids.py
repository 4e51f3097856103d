"""One source id, one text: the linter refuses a source id that names different texts in two
checklists, and one text declared under two ids; the built-in catalogue has neither."""

from __future__ import annotations

from pathlib import Path

from qcompliance.authoring.lint import lint_paths

CHECKLIST = '''schema = "qcompliance/checklist/v1"
id = "{id}"
version = "1"
title = {{ zh = "测试", en = "Test" }}

[[sources]]
id = "{source}"
title = {{ zh = "{title}", en = "Interim regulations" }}
issuer = {{ zh = "国务院", en = "State Council" }}
published = {published}
verified = "policy"

[[items]]
id = "{id}.a"
title = {{ zh = "条目", en = "Item" }}
level = "encouraged"
severity = "low"
basis = [{{ source = "{source}", clause = "第一条" }}]
check = {{ fact = "company.produces", eq = true }}
evidence = [{{ zh = "记录", en = "Records" }}]
remediation = {{ zh = "整改", en = "Fix it" }}
'''


def write(tmp_path: Path, checklist_id: str, source: str, title: str,
          published: str = "2024-03-10") -> Path:
    """A one-item checklist citing ``source`` under ``title``."""
    path = tmp_path / f"{checklist_id}.toml"
    path.write_text(CHECKLIST.format(id=checklist_id, source=source, title=title,
                                     published=published), encoding="utf-8")
    return path


def messages(paths: list[Path]) -> list[str]:
    """The lint problems of ``paths`` as text."""
    return [str(p) for p in lint_paths(paths)[0]]


def test_one_id_two_texts_is_an_error(tmp_path: Path) -> None:
    """The 2014 and the 2024 text under one id: each file is told which text the other names."""
    old = write(tmp_path, "t-one", "t-disclosure", "企业信息公示暂行条例", "2014-08-07")
    new = write(tmp_path, "t-two", "t-disclosure", "企业信息公示暂行条例（2024年修订）")
    found = messages([old, new])
    assert any("t-two.toml" in m and "sources[0].id" in m and
               "names another text in t-one" in m for m in found), found


def test_same_title_other_date_is_another_text(tmp_path: Path) -> None:
    """Equal titles with different publication dates are different texts."""
    a = write(tmp_path, "t-one", "t-disclosure", "企业信息公示暂行条例", "2014-08-07")
    b = write(tmp_path, "t-two", "t-disclosure", "企业信息公示暂行条例", "2024-03-10")
    assert any("one source id, one text" in m for m in messages([a, b]))


def test_punctuation_width_is_not_another_text(tmp_path: Path) -> None:
    """Full- and half-width brackets name the same text: no problem."""
    a = write(tmp_path, "t-one", "t-plan", "行动方案（2022—2025年）")
    b = write(tmp_path, "t-two", "t-plan", "行动方案(2022—2025年)")
    assert not [m for m in messages([a, b]) if "source" in m]


def test_one_text_two_ids_is_an_error(tmp_path: Path) -> None:
    """The same text (title and date) under two ids is flagged too."""
    a = write(tmp_path, "t-one", "t-plan-a", "北京市行动方案政策解读")
    b = write(tmp_path, "t-two", "t-plan-b", "北京市行动方案政策解读")
    found = messages([a, b])
    assert any("t-two.toml" in m and "is source 't-plan-a' in t-one" in m for m in found), found


def test_builtin_catalogue_has_one_text_per_source_id() -> None:
    """Every built-in source id means one text, and every text has one id."""
    assert not [m for m in messages([]) if "source" in m and "text" in m]
