"""evaluate_many on a real process pool equals the serial run; checklist sets pickle as their
sources and digests, load once per process, and refuse files that changed."""

from __future__ import annotations

import datetime as dt
import pickle
import random
import shutil
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ASSETS, ROOT
from qcompliance import (
    Assessment,
    ChecklistError,
    Profile,
    assessment_to_json,
    evaluate,
    evaluate_many,
    load_checklists,
    load_profile,
    load_tailoring,
)

AS_OF = dt.date(2026, 11, 20)


def _profiles(checklists_facts: object, n: int) -> list[Profile]:
    """The examples and copies of them with random facts left out."""
    rng = random.Random(6)
    base = [load_profile(p, checklists_facts)  # type: ignore[arg-type]
            for p in sorted((ROOT / "examples").glob("*.toml")) if p.name != "tailoring.toml"]
    out = list(base)
    while len(out) < n:
        profile = rng.choice(base)
        keys = sorted(profile.facts)
        dropped = set(rng.sample(keys, rng.randrange(len(keys) // 2)))
        out.append(Profile({k: v for k, v in profile.facts.items() if k not in dropped}))
    return out


def as_json(assessment: Assessment) -> str:
    """A transform that runs in the worker (module level, so it pickles)."""
    return assessment_to_json(assessment)


def test_process_pool_gives_the_serial_results_in_order() -> None:
    """Assessments from two worker processes equal the serial ones, in input order, with and
    without a tailoring (a tailored set pickles as data and is compiled again)."""
    checklists = load_checklists()
    # 12 profiles: three chunks of 4 (window 3) and three of 5; each full JSON costs ~0.1 s.
    profiles = _profiles(checklists.facts, 12)
    tailoring, waivers, _ = load_tailoring(ROOT / "examples" / "tailoring.toml")
    serial = list(evaluate_many(profiles, checklists, as_of=AS_OF))
    assert serial == [evaluate(p, checklists, AS_OF) for p in profiles]
    tailored = [as_json(a) for a in evaluate_many(profiles, checklists, as_of=AS_OF,
                                                  tailoring=tailoring, waivers=waivers)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = list(evaluate_many(profiles, checklists, as_of=AS_OF, executor=pool,
                                    chunksize=4, window=3))
        pooled_tailored = list(evaluate_many(profiles, checklists, as_of=AS_OF, executor=pool,
                                             tailoring=tailoring, waivers=waivers,
                                             transform=as_json, chunksize=5))
    assert pooled == serial
    serial_json = [as_json(a) for a in serial]
    assert [as_json(a) for a in pooled] == serial_json
    assert pooled_tailored == tailored
    assert tailored != serial_json  # the tailoring did change something


def test_thread_pool_and_empty_input() -> None:
    """Any Executor works; no profiles give no results."""
    checklists = load_checklists(["cn-quality-officers"])
    profiles = _profiles(checklists.facts, 8)
    with ThreadPoolExecutor(2) as pool:
        assert list(evaluate_many(profiles, checklists, as_of=AS_OF, executor=pool,
                                  chunksize=3)) == [evaluate(p, checklists, AS_OF)
                                                    for p in profiles]
        assert list(evaluate_many([], checklists, executor=pool)) == []


def test_pickled_set_loads_once_per_process_and_refuses_changed_files(tmp_path: Path) -> None:
    """Unpickling loads the files again (checking their sha256) once per process."""
    path = tmp_path / "mini.toml"
    shutil.copy(ASSETS / "mini.toml", path)
    checklists = load_checklists([str(path)])
    blob = pickle.dumps(checklists)
    assert b"items" not in blob  # the set travels as its sources, not as its content
    first = pickle.loads(blob)
    assert pickle.loads(blob) is first
    profile = load_profile(ASSETS / "mini-profile.toml", checklists.facts)
    assert evaluate(profile, first, AS_OF) == evaluate(profile, checklists, AS_OF)

    other = tmp_path / "other.toml"
    shutil.copy(ASSETS / "mini.toml", other)
    blob = pickle.dumps(load_checklists([str(other)]))
    other.write_text(other.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    with pytest.raises(ChecklistError, match="changed since"):
        pickle.loads(blob)
