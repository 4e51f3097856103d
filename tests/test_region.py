"""The company's region: GB/T 2260 codes, names normalised, and the credit code's digits 3-8."""

from __future__ import annotations

import datetime as dt

import pytest

from qcompliance import ProfileError, evaluate, load_checklists, load_profile
from qcompliance.china.region import (
    PROVINCES,
    city_problem,
    normalise_province,
    region_from_credit_code,
)
from qcompliance.china.uscc import uscc_check_character
from qcompliance.reports.json import assessment_from_json, assessment_to_json
from qcompliance.reports.region import region_text

AS_OF = dt.date(2026, 12, 7)


def code(division: str, org: str = "MA1K0000X") -> str:
    """A valid unified social credit code registered at ``division``."""
    first17 = "91" + division + org
    return first17 + uscc_check_character(first17)


@pytest.fixture(scope="module")
def facts() -> object:
    """The built-in facts dictionary."""
    return load_checklists().facts


def profile(facts: object, **company: object) -> object:
    """A profile of company facts only."""
    return load_profile({"schema": "qcompliance/profile/v1", "company": company},
                        facts)  # type: ignore[arg-type]


def test_thirty_one_provinces_with_both_names() -> None:
    """GB/T 2260 lists 31 provincial-level divisions of the mainland, each named in zh and en."""
    assert len(PROVINCES) == 31
    assert all(c.endswith("0000") and p.zh and p.en for c, p in PROVINCES.items())
    assert PROVINCES["540000"].zh == "西藏自治区"
    assert PROVINCES["500000"].en == "Chongqing"


@pytest.mark.parametrize("given", ["310000", "31", "上海市", "上海", "Shanghai", "shanghai"])
def test_province_names_become_the_code(given: str) -> None:
    """Code, short code, Chinese names and English name all mean 310000."""
    assert normalise_province(given) == "310000"


def test_unknown_province_is_left_for_the_type_check(facts: object) -> None:
    """A name that is no province stays as written, and the profile is refused naming the key."""
    assert normalise_province("火星") == "火星"
    with pytest.raises(ProfileError, match=r"company\.province"):
        profile(facts, province="火星")


def test_profile_stores_the_code(facts: object) -> None:
    """A province given by its Chinese name is stored as its code, marked as given."""
    loaded = profile(facts, province="浙江省", city="330100")
    assert loaded.facts["company.province"].value == "330000"  # type: ignore[attr-defined]
    assert loaded.facts["company.province"].derived_from == ()  # type: ignore[attr-defined]
    assert loaded.facts["company.city"].value == "330100"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("city", "province", "why"), [
    ("33010", None, "six digits"),
    ("990100", None, "province code"),
    ("330000", None, "province code; give the city"),
    ("330100", "310000", "not in the province given"),
])
def test_bad_cities(city: str, province: str | None, why: str) -> None:
    """A city code must have six digits, a province prefix, and lie in the given province."""
    problem = city_problem(city, province)
    assert problem is not None
    assert why in problem
    assert city_problem("330100", "330000") is None


def test_city_outside_the_province_is_a_profile_error(facts: object) -> None:
    """The loader refuses a city of another province, naming company.city."""
    with pytest.raises(ProfileError, match=r"company\.city.*not in the province given"):
        profile(facts, province="310000", city="330100")


def test_region_read_from_the_credit_code(facts: object) -> None:
    """Without province or city, both come from digits 3-8 of the credit code, marked derived."""
    assert region_from_credit_code(code("310115")) == ("310000", "310100")
    assert region_from_credit_code(code("330000")) == ("330000", None)
    assert region_from_credit_code(code("100000")) is None  # registered nationally
    loaded = profile(facts, credit_code=code("440305"))
    province = loaded.facts["company.province"]  # type: ignore[attr-defined]
    assert (province.value, province.derived_from) == ("440000", ("company.credit_code",))
    assert loaded.facts["company.city"].value == "440300"  # type: ignore[attr-defined]


def test_stated_province_wins_and_no_city_is_made_up(facts: object) -> None:
    """A stated province is kept; a city is not read from a code of another province."""
    loaded = profile(facts, credit_code=code("440305"), province="350000")
    assert loaded.facts["company.province"].value == "350000"  # type: ignore[attr-defined]
    assert "company.city" not in loaded.facts  # type: ignore[attr-defined]


def test_national_code_gives_no_region(facts: object) -> None:
    """A code registered nationally (100000) names no province: the region stays unknown."""
    loaded = profile(facts, credit_code=code("100000"))
    assert "company.province" not in loaded.facts  # type: ignore[attr-defined]
    checklists = load_checklists(["cn-prov-shanghai"])
    assert evaluate(loaded, checklists, AS_OF).region is None  # type: ignore[arg-type]


def test_assessment_says_the_region_was_read_from_the_code() -> None:
    """The assessment's region names province, city and source, in both JSON forms and words."""
    checklists = load_checklists(["cn-prov-shanghai"])
    loaded = load_profile({"schema": "qcompliance/profile/v1",
                           "company": {"credit_code": code("310115"), "produces": True}},
                          checklists.facts)
    assessment = evaluate(loaded, checklists, AS_OF)
    region = assessment.region
    assert region is not None
    assert (region.province, region.city, region.source) == ("310000", "310100", "credit_code")
    assert region.checklists == ("cn-prov-shanghai",)
    for detail in ("full", "compact"):
        back = assessment_from_json(assessment_to_json(assessment, detail, checklists),
                                    checklists=checklists)
        assert back.region == region
    zh, en = region_text(assessment, "zh"), region_text(assessment, "en")
    assert zh is not None
    assert "上海市" in zh
    assert "由统一社会信用代码第3–8位读出" in zh
    assert "上海市地方规定" in zh
    assert en is not None
    assert "read from characters 3-8 of the credit code" in en


def test_stated_region_says_so() -> None:
    """A province the profile states is reported as given, with no provincial rule when none
    exists for it."""
    checklists = load_checklists(["cn-prov-shanghai"])
    loaded = load_profile({"schema": "qcompliance/profile/v1",
                           "company": {"province": "福建"}}, checklists.facts)
    assessment = evaluate(loaded, checklists, AS_OF)
    assert assessment.region is not None
    assert assessment.region.source == "profile"
    assert assessment.region.checklists == ()
    text = region_text(assessment, "zh")
    assert text is not None
    assert "福建省" in text
    assert "读出" not in text


def _asked(answers: dict[str, str]) -> list[str]:
    """The fact keys an interview over the Shanghai checklist asks, answering from
    ``answers`` and "?" otherwise."""
    from qcompliance.selfcheck import Interview, Prompt

    asked: list[str] = []

    def ask(prompt: Prompt) -> str:
        asked.append(prompt.key)
        return answers.get(prompt.key, "?")

    Interview(load_checklists(["cn-prov-shanghai"]), "zh", AS_OF).run(ask)
    return asked


def test_interview_reads_the_region_from_the_credit_code() -> None:
    """Given a credit code, the interview asks neither province nor city; without one it asks
    the province, which decides whether the Shanghai rules (and their questions) apply."""
    with_code = _asked({"company.credit_code": code("310115"), "company.name": "沪测公司",
                        "company.produces": "y"})
    assert "company.province" not in with_code
    assert "company.city" not in with_code
    assert "product_quality.quality_archive" in with_code  # the Shanghai rules apply
    without = _asked({"company.name": "京测公司", "company.province": "北京",
                      "company.produces": "y"})
    assert "company.province" in without
    assert "product_quality.quality_archive" not in without  # not in Shanghai
