"""The browser self-check's kept replays give exactly what replaying every answer gives."""

from __future__ import annotations

import attrs
import pytest
from selfcheck_pages import answer_for

from conftest import AS_OF
from qcompliance import load_checklists
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.server.selfcheck import next_step
from qcompliance.server.selfcheck_replay import ReplayCache


@pytest.fixture(scope="module")
def catalog() -> ChecklistSet:
    """The built-in catalogue."""
    return load_checklists()


def _step(catalog: ChecklistSet, answers: dict[str, object], replays: ReplayCache | None,
          quick: bool = True) -> dict[str, object]:
    return next_step(catalog, {"answers": dict(answers), "quick": quick}, AS_OF, replays)


def _walk(catalog: ChecklistSet, replays: ReplayCache | None, quick: bool = True,
          limit: int = 500) -> list[dict[str, object]]:
    """Every step of the food producer's self-check, one answer added per request."""
    answers: dict[str, object] = {}
    steps = []
    for _ in range(limit):
        step = _step(catalog, answers, replays, quick)
        steps.append(step)
        if step["done"]:
            break
        question = step["question"]
        assert isinstance(question, dict)
        for row in question.get("rows") or [question]:  # a grouped screen: each row
            answers[row["id"]] = answer_for(row["id"])
    return steps


def test_kept_replays_give_every_step_a_full_replay_gives(catalog: ChecklistSet) -> None:
    """Quick self-check, answered one question per request: same questions, same numbering,
    same profile written at every step, with and without kept replays."""
    replays = ReplayCache()
    with_cache = _walk(catalog, replays)
    assert with_cache[-1]["done"] is True
    assert with_cache == _walk(catalog, None)


def test_a_changed_earlier_answer_is_never_served_from_a_kept_replay(
        catalog: ChecklistSet) -> None:
    """Going back and changing a gating answer (the company does not produce) replays anew:
    the next question is the one a replay from scratch asks."""
    replays = ReplayCache()
    steps = _walk(catalog, replays, limit=15)
    answers = {row["id"]: answer_for(row["id"]) for s in steps if not s["done"]
               for row in s["question"].get("rows") or [s["question"]]}  # type: ignore[union-attr]
    assert answers["company.produces"] == "yes"
    changed = {**answers, "company.produces": "no"}
    assert _step(catalog, changed, replays) == _step(catalog, changed, None)
    # and the original answers still find their own replay
    assert _step(catalog, answers, replays) == _step(catalog, answers, None)


def test_a_wrong_answer_then_its_correction(catalog: ChecklistSet) -> None:
    """An answer that does not fit comes back with its reason; corrected, the self-check
    goes on as a full replay would, with the cache kept between the two requests."""
    replays = ReplayCache()
    first = _step(catalog, {}, replays)
    name_id = first["question"]["id"]  # type: ignore[index]
    second = _step(catalog, {name_id: "食品厂"}, replays)
    question = second["question"]
    assert isinstance(question, dict)
    assert question["type"] == "bool"
    wrong = {name_id: "食品厂", question["id"]: "也许"}
    refused = _step(catalog, wrong, replays)
    assert refused == _step(catalog, wrong, None)
    assert refused["question"]["error"]  # type: ignore[index]
    fixed = {name_id: "食品厂", question["id"]: "yes"}
    assert _step(catalog, fixed, replays) == _step(catalog, fixed, None)


def test_the_cache_is_bounded_and_keyed_by_catalogue(catalog: ChecklistSet) -> None:
    """At most ``keys`` self-checks of ``per_key`` states each; another catalogue object never
    resumes a state kept for this one."""
    replays = ReplayCache(keys=2, per_key=2)
    for lang in ("zh", "en", "zh"):
        for answers in ({}, {"company.name": "甲"}, {"company.name": "乙"}):
            next_step(catalog, {"answers": answers, "lang": lang}, AS_OF, replays)
    assert len(replays._entries) == 2
    assert all(len(snaps) <= 2 for _, snaps in replays._entries.values())
    # equal checklists, compiled into other objects (as a reload of the same files would be)
    other = attrs.evolve(catalog, compiled=tuple(attrs.evolve(c) for c in catalog.compiled))
    key = ("zh", AS_OF, False, (None, None, None))
    assert replays.resume(catalog, key, {"company.name": "乙"}) is not None
    assert replays.resume(other, key, {"company.name": "乙"}) is None
    # the set the server builds per request for chosen checklists, from the same objects
    chosen = attrs.evolve(catalog, compiled=catalog.compiled[:3])
    next_step(chosen, {"answers": {"company.name": "甲"}}, AS_OF, replays)
    again = attrs.evolve(catalog, compiled=catalog.compiled[:3])
    assert replays.resume(again, key, {"company.name": "甲"}) is not None
    assert replays.resume(attrs.evolve(catalog, compiled=catalog.compiled[1:4]), key,
                          {"company.name": "甲"}) is None
