"""Evidence files per plan item, and the saved answers of a self-check in progress."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import delete, insert, select, update

from qcompliance.errors import Problem, UsageError
from qcompliance.store.records import EvidenceRecord
from qcompliance.store.repo import NotFound, Store, now
from qcompliance.store.schema import drafts, evidence

__all__ = ["MAX_DRAFT_BYTES", "add_evidence", "delete_draft", "evidence_content", "evidence_list",
           "get_draft", "put_draft", "safe_filename"]

MAX_DRAFT_BYTES = 1_000_000
"""The largest saved self-check (its JSON)."""

_COLUMNS = [evidence.c.id, evidence.c.uscc, evidence.c.item, evidence.c.filename,
            evidence.c.media_type, evidence.c.size, evidence.c.sha256, evidence.c.created_at]


def safe_filename(name: str) -> str:
    """A file name with no folder, control character or quote in it (at most 200 chars)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?;')
    cleaned = cleaned.strip(" .")[:200]
    return cleaned or "evidence"


def add_evidence(store: Store, uscc: str, item: str, filename: str, media_type: str,
                 content: bytes) -> EvidenceRecord:
    """Keep ``content`` as evidence for the company's plan item ``item``."""
    store.require_company(uscc)
    if not item or len(item) > 200:
        raise UsageError(Problem("name the plan item the file is evidence for", key="item"))
    if item not in {p.item for p in store.plan(uscc)}:
        raise NotFound(Problem(f"no plan item {item} of company {uscc}", key="item"))
    digest = hashlib.sha256(content).hexdigest()
    stamp = now()
    name = safe_filename(filename)
    media = media_type if media_type and len(media_type) <= 200 else "application/octet-stream"
    with store.write() as c:
        new_id = c.execute(insert(evidence).values(
            uscc=uscc, item=item, filename=name, media_type=media, size=len(content),
            sha256=digest, content=content, created_at=stamp)
            ).inserted_primary_key[0]  # type: ignore[index]
    return EvidenceRecord(int(new_id), uscc, item, name, media, len(content), digest, stamp)


def evidence_list(store: Store, uscc: str, item: str | None = None) -> list[EvidenceRecord]:
    """The company's evidence files (of one item if given), oldest first."""
    query = select(*_COLUMNS).where(evidence.c.uscc == uscc)
    if item is not None:
        query = query.where(evidence.c.item == item)
    with store.read() as c:
        return [EvidenceRecord(*row) for row in c.execute(query.order_by(evidence.c.id))]


def evidence_content(store: Store, uscc: str, evidence_id: int
                     ) -> tuple[EvidenceRecord, bytes]:
    """One evidence file of the company and its bytes."""
    with store.read() as c:
        row = c.execute(select(*_COLUMNS, evidence.c.content).where(
            evidence.c.uscc == uscc, evidence.c.id == evidence_id)).first()
    if row is None:
        raise NotFound(Problem(f"no evidence {evidence_id} of company {uscc}", key="id"))
    return EvidenceRecord(*row[:-1]), bytes(row[-1])


def put_draft(store: Store, uscc: str, data: dict[str, Any]) -> None:
    """Save a self-check in progress for the company (replacing the one saved before)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    if len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
        raise UsageError(Problem(f"a saved self-check is at most {MAX_DRAFT_BYTES} bytes",
                                 key="draft"))
    store.require_company(uscc)
    with store.write() as c:
        found = c.execute(select(drafts.c.uscc).where(drafts.c.uscc == uscc)).first()
        if found is None:
            c.execute(insert(drafts).values(uscc=uscc, data=text, updated_at=now()))
        else:
            c.execute(update(drafts).where(drafts.c.uscc == uscc)
                      .values(data=text, updated_at=now()))


def get_draft(store: Store, uscc: str) -> dict[str, Any] | None:
    """The saved self-check of the company, if any."""
    with store.read() as c:
        row = c.execute(select(drafts.c.data).where(drafts.c.uscc == uscc)).first()
    if row is None:
        return None
    data: dict[str, Any] = json.loads(row.data)
    return data


def delete_draft(store: Store, uscc: str) -> None:
    """Forget the company's saved self-check."""
    with store.write() as c:
        c.execute(delete(drafts).where(drafts.c.uscc == uscc))
