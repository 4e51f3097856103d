"""A process loads the same unchanged checklist files once; any change to them is seen."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from qcompliance import load_checklists
from qcompliance.errors import ChecklistError
from qcompliance.loading.load import builtin_dir

ASSETS = Path(__file__).parent / "assets"

OLD = "质量安全管理人员与日管控、周排查、月调度"
NEW = "质量安全管理人员(本企业版)"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the built-in catalogue, to change."""
    return Path(shutil.copytree(builtin_dir(), tmp_path / "catalog"))


def _title(folder: Path) -> str:
    checklists = load_checklists(catalog=folder)
    [officers] = [c for c in checklists.compiled if c.checklist.id == "cn-quality-officers"]
    return officers.checklist.title.zh


def test_unchanged_files_give_the_set_loaded_before(folder: Path) -> None:
    first = load_checklists(catalog=folder)
    assert load_checklists(catalog=folder) is first
    assert load_checklists(["cn-quality-officers"], catalog=folder) is not first


def test_a_changed_file_is_loaded_again(folder: Path) -> None:
    assert _title(folder) == OLD
    path = folder / "cn-quality-officers.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    assert _title(folder) == NEW


def test_a_changed_facts_dictionary_or_a_new_file_is_loaded_again(folder: Path) -> None:
    first = load_checklists(catalog=folder)
    facts = folder / "facts.toml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    second = load_checklists(catalog=folder)
    assert second is not first
    shutil.copy(folder / "cn-quality-officers.toml", folder / "zz-copy.toml")
    with pytest.raises(ChecklistError, match="cn-quality-officers"):  # the same id twice
        load_checklists(catalog=folder)


def test_checklists_given_as_data_are_loaded_each_time() -> None:
    data = tomllib.loads((ASSETS / "mini.toml").read_text(encoding="utf-8"))
    first = load_checklists([data])
    assert first.compiled[0].checklist.id == data["id"]
    assert load_checklists([data]) is not first


def test_another_selection_reads_the_unchanged_catalogue_files_once(folder: Path) -> None:
    """A checklist of one's own beside the catalogue is another set, but the catalogue's files
    are not parsed again."""
    alone = load_checklists(["cn-quality-officers"], catalog=folder)
    beside = load_checklists(["cn-quality-officers", str(ASSETS / "mini.toml")], catalog=folder)
    assert beside is not alone
    assert beside.compiled[0].checklist is alone.compiled[0].checklist
    path = folder / "cn-quality-officers.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    changed = load_checklists(["cn-quality-officers", str(ASSETS / "mini.toml")], catalog=folder)
    assert changed.compiled[0].checklist.title.zh == NEW
