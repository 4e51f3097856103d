"""The gating questions: the few company facts that decide which checklists and items apply.

They are asked first, because their answers prune most other questions (a company that does
not produce is never asked about production). A "don't know" on one of them is not accepted at
once: the question is asked again in plainer words, offering the likely answer when the earlier
answers suggest one. Only a second "don't know" leaves it unknown; the questions that depend on
it alone are then not asked (see :class:`qcompliance.selfcheck.Interview`).

This is interview logic, not checklist data: the checklists and the facts dictionary stay as
they are, and a fact that is not declared (a checklist set without it) is simply skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs

from qcompliance.model import Text

__all__ = ["GATES", "Gate", "gate"]

Values = Mapping[str, object]

# Product categories that are, for the most part, bought by consumers for their own use.
_CONSUMER_CATEGORIES = frozenset({
    "food", "special_food", "edible_agricultural", "drugs", "cosmetics", "household_vehicles",
    "consumer_durables", "household_appliances", "children_products", "textiles_apparel",
})


@attrs.frozen
class Gate:
    """A gating question: its fact, a plainer wording, and how to guess the likely answer."""

    key: str
    """The fact key (a company fact of the facts dictionary)."""
    plain: Text
    """The question again in everyday words, asked after a first "don't know"."""
    likely: Callable[[Values], object | None] = attrs.field(default=lambda values: None)
    """The likely value given the answers so far, or None when they suggest none."""


def _produces(values: Values) -> object | None:
    industry = values.get("company.industry")
    if industry in ("B", "C", "D"):  # mining, manufacturing, utilities make what they sell
        return True
    if industry in ("F", "H", "I", "J", "K"):  # trade and services make no goods
        return False
    return None


def _sells(values: Values) -> object | None:
    if values.get("company.produces") is True or values.get("company.industry") == "F":
        return True
    return None


def _industry(values: Values) -> object | None:
    if values.get("company.produces") is True:
        return "C"
    if values.get("company.produces") is False and values.get("company.sells") is True:
        return "F"
    return None


def _consumers(values: Values) -> object | None:
    categories = values.get("company.product_categories")
    if isinstance(categories, (list, tuple)) and _CONSUMER_CATEGORIES & set(categories):
        return True
    if values.get("company.industry") in ("F", "H"):  # retail, hotels and restaurants
        return True
    if categories == ("industrial_products",) or categories == ["industrial_products"]:
        return False
    return None


def _none_is_likely(values: Values) -> object | None:
    return False


GATES: tuple[Gate, ...] = (
    Gate("company.produces", Text(
        "企业自己（或委托别的工厂）做出产品吗？只做贸易、只提供服务的回答“否”。",
        "Does the company make products itself (or have a factory make them for it)? "
        "Answer no if it only trades or only provides services."), _produces),
    Gate("company.sells", Text(
        "企业把产品卖给别人吗（不论批发、零售、网上还是卖给其他企业）？",
        "Does the company sell products to anyone (wholesale, retail, online or to other "
        "businesses)?"), _sells),
    Gate("company.product_categories", Text(
        "企业做的或卖的东西大致是什么？从下面选最接近的一项或几项，例如鱼丸、饮料选“食品”，"
        "电线电缆、机械零件选“其他工业产品”；只提供服务选“服务”。",
        "Roughly what does the company make or sell? Pick the closest one or more below: "
        "fish balls or drinks are 'food', cables or machine parts 'other industrial "
        "products'; services only is 'services'.")),
    Gate("company.industry", Text(
        "企业主要靠什么挣钱？做产品的选“制造业”，盖房子、修路等工程选“建筑业”，"
        "买进卖出的选“批发和零售业”，开饭店、宾馆的选“住宿和餐饮业”，做软件的选"
        "“信息传输、软件和信息技术服务业”。",
        "How does the company mainly earn its money? Making products: 'manufacturing'; "
        "building houses, roads or other works: 'construction'; buying and reselling: "
        "'wholesale and retail'; restaurants or hotels: 'accommodation and catering'; "
        "software: 'information and software'."), _industry),
    Gate("company.sells_to_consumers", Text(
        "普通老百姓会买企业的产品自己用吗（在商店、网上或直接从企业买）？"
        "只卖给工厂、单位的回答“否”。",
        "Do ordinary people buy the company's products for their own use (in shops, online "
        "or from the company)? Answer no if it sells only to factories and organisations."),
     _consumers),
    Gate("company.exports", Text(
        "企业的产品会不会卖到国外？自己报关出口、委托外贸代理出口、跨境电商卖到国外，"
        "或者卖给外贸公司再由它出口，都回答“是”。",
        "Do the company's products end up abroad? Exporting under its own declarations, "
        "through a foreign-trade agent, by cross-border e-commerce, or by selling to a "
        "trading company that exports them: all of these are yes."), _none_is_likely),
    Gate("company.imports", Text(
        "企业有没有从国外买进产品、再在国内卖？",
        "Does the company buy products from abroad and sell them in China?"),
     _none_is_likely),
    Gate("company.special_equipment_in_use", Text(
        "厂区或经营场所里有没有电梯、锅炉、压力容器（储气罐、杀菌锅、反应釜等）、压力管道、"
        "起重机（行车、吊车）、叉车或厂内观光车？是否为气瓶充装单位？有的都选上，"
        "都没有就选“以上都没有”。",
        "Does the site have lifts, boilers, pressure vessels (air tanks, autoclaves, "
        "reactors), pressure piping, cranes or hoists, forklifts or other in-plant vehicles? "
        "Does the company fill gas cylinders? Pick all that apply, or 'none of these'.")),
)
"""The gating questions, in the order they are asked (before every other question)."""

_BY_KEY = {g.key: g for g in GATES}


def gate(key: str) -> Gate | None:
    """The gating question of fact ``key``, or None when ``key`` is not a gating fact."""
    return _BY_KEY.get(key)
