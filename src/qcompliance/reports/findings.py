"""A gap as a consultant writes it: the requirement, what was found in plain words, the first
step. No condition syntax, no fact keys, no stored codes: enum values read by their labels."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from qcompliance.model import FactRead, FactSpec, Lang, Result, Text
from qcompliance.reports.texts import fact_text

__all__ = ["first_step", "found_text", "value_labels", "value_words"]

_SENTENCE = {"zh": re.compile(r"(?<=[。；！？])"), "en": re.compile(r"(?<=[.;!?])\s+")}


@functools.cache
def _dictionary() -> Mapping[str, FactSpec]:
    # The labels of stored codes live in the facts dictionary, not in the assessment; the
    # built-in catalogue is read once per process, and only when a report shows a code.
    from qcompliance.loading.load import load_checklists

    return load_checklists().facts


def value_labels(key: str) -> Mapping[str, Text]:
    """The labels of the codes fact ``key`` may hold (empty when it has none or is unknown)."""
    spec = _dictionary().get(key)
    return (spec.value_labels or {}) if spec is not None else {}


def _unit(key: str, lang: Lang) -> str:
    spec = _dictionary().get(key)
    if spec is None or spec.unit is None:
        return ""
    return spec.unit.get(lang) if lang == "zh" else " " + spec.unit.get(lang)


def _shown(read: FactRead, lang: Lang) -> str:
    value = read.value
    if read.status != "missing" and isinstance(value, str):
        labels = value_labels(read.key)
        if value in labels:
            return labels[value].get(lang)
    if read.status != "missing" and isinstance(value, (list, tuple)) and value and all(
            isinstance(v, str) for v in value):
        labels = value_labels(read.key)
        if labels:
            sep = "、" if lang == "zh" else ", "
            return sep.join(labels[v].get(lang) if v in labels else str(v) for v in value)
    if read.status != "missing" and isinstance(value, (int, float)) and not isinstance(
            value, bool):
        return fact_text(read, lang) + _unit(read.key, lang)
    return fact_text(read, lang)


def value_words(key: str, value: object, given: bool, lang: Lang) -> str:
    """A fact's value as a reader writes it, codes by their labels and figures with their
    unit (``12 日``), or "not given"."""
    return _shown(FactRead(key, value, "given" if given else "missing"), lang)


def found_text(result: Result, lang: Lang) -> str:
    """What was found, from the facts the verdict read: ``有书面品牌建设规划：否；…``."""
    parts = []
    sep = "：" if lang == "zh" else ": "
    for read in result.facts:
        if read.label is None or read.status == "missing":
            continue
        parts.append(read.label.get(lang) + sep + _shown(read, lang))
    return ("；" if lang == "zh" else "; ").join(parts)


def first_step(result: Result, lang: Lang) -> str:
    """The first sentence of the remediation: what to do first (``""`` when none is given)."""
    if result.remediation is None:
        return ""
    text = result.remediation.get(lang).strip()
    first = next((s for s in _SENTENCE[lang].split(text) if s.strip()), text).strip()
    if lang == "zh" and first.endswith("；"):
        return first[:-1] + "。"
    if lang == "en" and first.endswith(";"):
        return first[:-1] + "."
    return first
