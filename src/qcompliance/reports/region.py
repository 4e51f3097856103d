"""Words about place: where the company is, how the assessment knows, which provincial rules
applied, and the province a provincial checklist is limited to."""

from __future__ import annotations

from qcompliance.china.region import PROVINCES
from qcompliance.model import Assessment, Lang

__all__ = ["region_text", "scope_text"]


def scope_text(region: str | None, lang: Lang) -> str:
    """What ``checklists list`` adds to a provincial checklist's title ("" for a national one)."""
    if region is None:
        return ""
    province = PROVINCES.get(region)
    name = region if province is None else (province.zh if lang == "zh" else province.en)
    return f"（仅适用于{name}企业）" if lang == "zh" else f" (companies in {name} only)"


def region_text(assessment: Assessment, lang: Lang) -> str | None:
    """One line: the company's province (and city), whether it was read from the credit code,
    and the provincial checklists applied; None when the province is not known."""
    region = assessment.region
    if region is None:
        return None
    titles = {ref.id: ref.title.get(lang) for ref in assessment.checklists}
    applied = [titles.get(cid, cid) for cid in region.checklists]
    derived = region.source == "credit_code"
    city_derived = region.city_source == "credit_code"
    # The province by name only: its GB/T 2260 code is a machine value. The city has no name
    # table here, so it is given by its administrative division code.
    if lang == "zh":
        text = f"所在地区：{region.name.zh}"
        text += "（由统一社会信用代码第3–8位读出）" if derived else ""
        if region.city:
            text += f"，市级行政区划代码 {region.city}" + (
                "（由信用代码读出）" if city_derived and not derived else "")
        text += "；地方规定：" + ("、".join(applied) if applied else "无")
        if region.params:
            text += f"；地方规定调整了 {len(region.params)} 项全国条目的参数"
        return text
    text = f"Region: {region.name.en}"
    text += " (read from characters 3-8 of the credit code)" if derived else ""
    if region.city:
        text += f", city division code {region.city}" + (
            " (from the credit code)" if city_derived and not derived else "")
    text += "; provincial rules: " + (", ".join(applied) if applied else "none")
    if region.params:
        text += f"; provincial rules changed the params of {len(region.params)} national items"
    return text
