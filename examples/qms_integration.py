"""A complete QMS integration of qcompliance, as docs/sdk.md walks through it.

It pins the catalogue (pulls the ``cn-quality`` pack and records it in a lock file), builds a
profile from the QMS's own supplier record as a dict, evaluates it against exactly the pinned
checklists, stores the assessment JSON, and posts it to the QMS endpoint::

    QMS_TOKEN=... python examples/qms_integration.py \\
        --index https://packs.example.com/index.json \\
        --post https://qms.example.com/api/assessments --workdir ./qms-data

Exit codes: 0 delivered; 1 delivered and a mandatory obligation fails; 2 anything went wrong
(one line on stderr, as qcheck prints it). tests/test_sdk_example.py runs this script against
a registry and an endpoint on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from qcompliance import (
    FailOn,
    QComplianceError,
    assessment_to_json,
    evaluate,
    exit_code,
    load_profile,
)
from qcompliance.registry import (
    Cache,
    LockEntry,
    RegistryClient,
    load_locked,
    post_assessment,
    read_lock,
    write_lock,
)

# What a QMS typically holds about a supplier, in its own shape.
SUPPLIER_RECORD = {
    "supplier_id": "SUP-0042",
    "legal_name": "福州闽味园食品有限公司",
    "uscc": "91350100M000100Y43",
    "province": "350000",  # GB/T 2260 code of Fujian
    "headcount": 68,
    "revenue_10k_yuan": 3800,
    "assets_10k_yuan": 2600,
    "channels": {"online_shop": True, "export": False},
    "cqo": {"appointed": True, "appointed_evidence": "人事/2024-首席质量官任命书.pdf",
            "work_years": 6},
}


def profile_from_qms(record: dict[str, object]) -> dict[str, object]:
    """Map the QMS record to qcompliance facts (``qcheck facts`` lists every key)."""
    channels = record["channels"]
    cqo = record["cqo"]
    assert isinstance(channels, dict)
    assert isinstance(cqo, dict)
    return {
        "schema": "qcompliance/profile/v1",
        "company": {
            "name": record["legal_name"],
            "credit_code": record["uscc"],
            "province": record["province"],
            "industry": "C",
            "industry_detail": "other",
            "employees": record["headcount"],
            "revenue_10k_yuan": record["revenue_10k_yuan"],
            "total_assets_10k_yuan": record["assets_10k_yuan"],
            "produces": True,
            "sells": True,
            "sells_to_consumers": True,
            "sells_online": channels["online_shop"],
            "exports": channels["export"],
            "product_categories": ["food"],
        },
        "cqo": {
            # A fact can carry its evidence, which the report cites.
            "appointed": {"value": cqo["appointed"], "evidence": [cqo["appointed_evidence"]]},
            "quality_work_years": cqo["work_years"],
        },
    }


def run(index: str, post: str, workdir: Path, as_of: dt.date, token_env: str) -> int:
    """Pin, evaluate, store and post; the exit code as documented above."""
    cache = Cache(workdir / "cache")
    lock_path = workdir / "qcompliance.lock"

    # 1. Pin the catalogue: pull the pack (verified against the index) and record it.
    #    Later runs read the lock file and never move to another version by accident.
    lock = read_lock(lock_path)
    pinned = lock.get("cn-quality")
    with RegistryClient(index, cache=cache) as client:
        pack = client.pull("cn-quality", pinned.version if pinned else None,
                           sha256=pinned.sha256 if pinned else None)
    write_lock(lock.with_pack(LockEntry(pack.name, pack.version, pack.sha256, index)),
               lock_path)

    # 2. Exactly the pinned checklists, from the cache (verified file by file).
    checklists = load_locked(read_lock(lock_path), cache)

    # 3. The profile from the QMS's data, as a dict; `name` is what errors will point at.
    profile = load_profile(profile_from_qms(SUPPLIER_RECORD), checklists.facts,
                           name=f"qms:supplier/{SUPPLIER_RECORD['supplier_id']}")

    # 4. Evaluate: pure, no I/O. Each checklist reference records pack, version and sha256.
    assessment = evaluate(profile, checklists, as_of)

    # 5. Store the compact JSON document (byte-identical for the same inputs): results refer
    #    to the pinned catalogue by checklist id, version and sha256, so it stays small, and
    #    `qcheck report` renders it again from the same pack.
    compact = assessment_to_json(assessment, "compact", checklists)
    stored = workdir / f"assessment-{SUPPLIER_RECORD['supplier_id']}-{as_of}.json"
    stored.write_text(compact, encoding="utf-8")

    # 6. Post it; the idempotency key makes a repeated post harmless.
    delivery = post_assessment(compact, post, token_env=token_env)
    print(f"{stored.name}: {assessment.overall.failed} failed, "
          f"{assessment.overall.passed} passed; pinned {pack.name} {pack.version}; "
          f"delivered (HTTP {delivery.status}, {delivery.idempotency_key})")
    return exit_code(assessment.results, FailOn.MANDATORY)


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run; errors become one line and exit code 2."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, help="URL of the pack index.json")
    parser.add_argument("--post", required=True, help="QMS endpoint for assessments")
    parser.add_argument("--workdir", type=Path, default=Path("qms-data"))
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--token-env", default="QMS_TOKEN",
                        help="environment variable holding the bearer token")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    try:
        return run(args.index, args.post, args.workdir, args.as_of, args.token_env)
    except QComplianceError as exc:
        print(f"qms_integration: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
