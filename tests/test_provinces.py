"""Provincial checklists: they apply only in their province, and a province can set a national
item's params without copying it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pytest

from conftest import ROOT
from qcompliance import ChecklistError, Verdict, evaluate, load_checklists, load_profile
from qcompliance.china.region import PROVINCES
from qcompliance.cli.pack import checklists_rows
from qcompliance.loading.load import load_checklist

AS_OF = dt.date(2026, 12, 7)
PROVINCIAL = sorted((ROOT / "checklists").glob("cn-prov-*.toml"))


def test_at_least_six_provinces() -> None:
    """The catalogue has provincial checklists for at least six provinces, Beijing among them."""
    regions = {load_checklist(p)[0].region for p in PROVINCIAL}
    assert len(regions) >= 6
    assert None not in regions
    assert {"110000", "310000", "500000", "330000", "370000"} <= regions  # type: ignore[operator]


@pytest.mark.parametrize("path", PROVINCIAL, ids=lambda p: p.stem)
def test_each_provincial_checklist_names_its_province(path: Path) -> None:
    """Each file has a known region and applies only to companies of that province."""
    checklist, _ = load_checklist(path)
    assert checklist.region in PROVINCES
    checklists = load_checklists([path])
    for code in PROVINCES:
        company = load_profile({"schema": "qcompliance/profile/v1",
                                "company": {"province": code}}, checklists.facts)
        ref = evaluate(company, checklists, AS_OF).checklists[0]
        assert ref.region == checklist.region
        assert ref.applicable == ("yes" if code == checklist.region else "no"), code


def test_beijing_item_moved_out_of_the_national_checklist() -> None:
    """The 12345 item lives in the Beijing checklist, not in the national after-sales one."""
    after_sales = load_checklists(["cn-after-sales"]).compiled[0].checklist
    assert not [i for i in after_sales.items if "12345" in str(i.check) or "beijing" in i.id]
    beijing = load_checklists(["cn-prov-beijing"])
    assert [i.item.id for i in beijing.compiled[0].items] == ["cn-prov-beijing.jiesu-jiban"]


def _company(checklists: object, province: str, **facts: object) -> object:
    data: dict[str, object] = {"schema": "qcompliance/profile/v1",
                               "company": {"province": province, "produces": True}}
    for key, value in facts.items():
        group, name = key.split("__")
        data.setdefault(group, {})[name] = value  # type: ignore[index]
    return load_profile(data, checklists.facts)  # type: ignore[attr-defined]


def test_shanghai_archive_passes_and_fails_only_in_shanghai() -> None:
    """The Shanghai archive item passes with an archive, fails without, and is absent elsewhere."""
    checklists = load_checklists(["cn-prov-shanghai"])
    item = "cn-prov-shanghai.quality-archive"

    def verdict(province: str, archive: bool) -> Verdict | None:
        company = _company(checklists, province, product_quality__quality_archive=archive)
        found = [r for r in evaluate(company, checklists, AS_OF).results  # type: ignore[arg-type]
                 if r.item == item]
        return found[0].verdict if found else None

    assert verdict("310000", True) is Verdict.PASS
    assert verdict("310000", False) is Verdict.FAIL
    assert verdict("500000", False) is None  # the checklist does not apply: its items are left out


def test_shandong_safety_manager_counts_cranes_and_field_vehicles() -> None:
    """More than 50 cranes and field vehicles need a safety manager; 50 do not."""
    checklists = load_checklists(["cn-prov-shandong", "cn-special-equipment"])
    item = "cn-prov-shandong.safety-manager-lead"

    def verdict(units: int) -> Verdict:
        records = [{"date": dt.date(2024, 1, 1), "kind": "crane" if i % 2 else "field_vehicle"}
                   for i in range(units)]
        company = _company(checklists, "370000", special_equipment__units=records,
                           special_equipment__safety_manager_lead=False)
        result = next(r for r in evaluate(company, checklists, AS_OF).results  # type: ignore
                      if r.item == item)
        return result.verdict

    assert verdict(50) is Verdict.NOT_APPLICABLE
    assert verdict(51) is Verdict.FAIL


NATIONAL: Mapping[str, object] = {
    "schema": "qcompliance/checklist/v1", "id": "t-national", "version": "1",
    "title": {"zh": "全国", "en": "National"},
    "sources": [{"id": "law", "title": {"zh": "法", "en": "Law"},
                 "issuer": {"zh": "人大", "en": "NPC"}, "verified": "policy"}],
    "items": [{
        "id": "t-national.notice", "title": {"zh": "告知", "en": "Notice"},
        "level": "mandatory", "severity": "medium", "basis": [{"source": "law", "clause": "1"}],
        "check": {"fact": "special_equipment.idle_notified_days", "le": {"param": "days"}},
        "params": {"days": 30},
        "evidence": [{"zh": "回执", "en": "Receipt"}],
        "remediation": {"zh": "告知", "en": "Notify"},
    }],
}


def provincial(region: str = "310000", **change: object) -> dict[str, object]:
    """A provincial checklist that sets t-national.notice's days to 10 (or as ``change`` says)."""
    params = {"item": "t-national.notice", "params": {"days": 10},
              "basis": [{"source": "local", "clause": "第五条"}],
              "reason": {"zh": "地方时限更短", "en": "Shorter local time limit"}, **change}
    return {
        "schema": "qcompliance/checklist/v1", "id": f"t-prov-{region}", "version": "1",
        "region": region, "title": {"zh": "地方", "en": "Local"},
        "applies": {"fact": "company.province", "eq": region},
        "sources": [{"id": "local", "title": {"zh": "条例", "en": "Regulations"},
                     "issuer": {"zh": "省人大", "en": "Provincial congress"},
                     "verified": "policy"}],
        "regional_params": [params],
        "items": [],
    }


def test_province_sets_a_national_param_without_copying_the_item() -> None:
    """In the province the national item checks 10 days and the change is recorded with its
    reason; elsewhere it checks the national 30 days."""
    checklists = load_checklists([NATIONAL, provincial()])

    def run(province: str) -> object:
        company = load_profile({"schema": "qcompliance/profile/v1",
                                "company": {"province": province},
                                "special_equipment": {"idle_notified_days": 20}},
                               checklists.facts)
        return evaluate(company, checklists, AS_OF)

    local, elsewhere = run("310000"), run("320000")
    verdicts = {a.region.province: next(r for r in a.results  # type: ignore[attr-defined]
                                        if r.item == "t-national.notice").verdict
                for a in (local, elsewhere)}
    assert verdicts == {"310000": Verdict.FAIL, "320000": Verdict.PASS}
    change, = local.region.params  # type: ignore[attr-defined]
    assert (change.target, change.old, change.new) == ("t-national.notice", {"days": 30},
                                                       {"days": 10})
    assert "t-prov-310000" in change.reason
    assert "第五条" in change.reason
    assert elsewhere.region.params == ()  # type: ignore[attr-defined]
    assert "20" in next(r for r in local.results  # type: ignore[attr-defined]
                        if r.item == "t-national.notice").why.zh


@pytest.mark.parametrize(("change", "message"), [
    ({"item": "t-national.notise"}, r"regional_params\[0\]\.item.*did you mean 't-national"),
    ({"params": {"dayz": 10}}, r"has no param 'dayz'"),
    ({"params": {"days": "10"}}, r"param 'days' is int 30; '10' has another type"),
])
def test_bad_regional_params_are_load_errors(change: dict[str, object], message: str) -> None:
    """A regional param naming no item, no param of it, or a value of another type fails to load."""
    with pytest.raises(ChecklistError, match=message):
        load_checklists([NATIONAL, provincial(**change)])


def test_region_must_be_a_province_named_by_applies() -> None:
    """A region that is no province code, or an applies that does not name it, is an error."""
    bad = provincial("310001")
    with pytest.raises(ChecklistError, match=r"region: '310001' is not a GB/T 2260 province"):
        load_checklists([NATIONAL, bad])
    loose = provincial()
    loose["applies"] = {"fact": "company.produces", "eq": True}
    with pytest.raises(ChecklistError, match=r"applies: a checklist of region 310000 needs"):
        load_checklists([NATIONAL, loose])
    national_with_params = {**provincial()}
    del national_with_params["region"]
    with pytest.raises(ChecklistError, match=r"regional params need a 'region'"):
        load_checklists([NATIONAL, national_with_params])


def test_two_checklists_of_one_province_cannot_set_one_param() -> None:
    """Which of two provincial figures counts is not for the loader to guess."""
    second = provincial()
    second["id"] = "t-prov-second"
    with pytest.raises(ChecklistError, match=r"also set for this region by t-prov-310000"):
        load_checklists([NATIONAL, provincial(), second])


def test_checklists_list_names_the_province() -> None:
    """`qcheck checklists list` says which province a provincial checklist is limited to."""
    rows = {row.split("\t")[0]: row for row in checklists_rows(None, [], "zh")}
    assert rows["cn-prov-zhejiang"].endswith("（仅适用于浙江省企业）")
    assert "仅适用于" not in rows["cn-recall"]
    rows_en = {row.split("\t")[0]: row for row in checklists_rows(None, [], "en")}
    assert rows_en["cn-prov-tibet"].endswith("(companies in Tibet only)")
