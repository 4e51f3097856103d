"""A whole workspace to files and back, so no one is locked in.

``export_workspace`` writes a folder: per company its profile versions as they were sent
(TOML or JSON), its assessments as compact JSON documents, its plan, its saved self-check and
its evidence files, and ``manifest.json`` last, naming every file with its sha256 (plus the
access tokens' digests, never a token). ``import_workspace`` reads such a folder into an empty
workspace in one transaction, refusing any file whose sha256 differs from the manifest.
Assessments and evidence are named by their order within the company, so an export of the
imported workspace gives the same files again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, select

from qcompliance.errors import InputError, Problem, UsageError
from qcompliance.loading.files import write_atomic
from qcompliance.store.attachments import safe_filename
from qcompliance.store.repo import Store
from qcompliance.store.schema import (
    assessments,
    companies,
    drafts,
    evidence,
    plan_items,
    profiles,
    tokens,
)

__all__ = ["EXPORT_SCHEMA", "export_workspace", "import_workspace"]

EXPORT_SCHEMA = "qcompliance/workspace-export/v1"


def _iso(value: object) -> object:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)  # SQLite keeps UTC without its zone
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=_iso) + "\n"


def export_workspace(store: Store, folder: Path) -> dict[str, Any]:
    """Write the whole workspace into ``folder`` (created; must be empty); the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise UsageError(Problem("the export folder must be empty", file=str(folder)))
    files: dict[str, str] = {}

    def put(relative: str, data: str | bytes) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, raw)
        files[relative] = hashlib.sha256(raw).hexdigest()

    manifest: dict[str, Any] = {"schema": EXPORT_SCHEMA, "dialect": store.dialect,
                                "companies": [], "tokens": []}
    # One read transaction: the export is one consistent state even while others write.
    with store.read() as c:
        for company in c.execute(select(companies).order_by(companies.c.uscc)):
            manifest["companies"].append(_export_company(c, company, put))
        manifest["tokens"] = [
            {"sha256": t.sha256, "role": t.role, "uscc": t.uscc, "label": t.label,
             "created_at": _iso(t.created_at)}
            for t in c.execute(select(tokens).order_by(tokens.c.id))]
    manifest["files"] = files
    write_atomic(folder / "manifest.json", _json(manifest))
    return manifest


def _export_company(c: Connection, company: Any, put: Any) -> dict[str, Any]:
    uscc = company.uscc
    base = f"companies/{uscc}"
    entry: dict[str, Any] = {"uscc": uscc, "name": company.name,
                             "created_at": _iso(company.created_at), "profiles": [],
                             "assessments": [], "evidence": []}
    versions: dict[int, int] = {}
    for row in c.execute(select(profiles).where(profiles.c.uscc == uscc)
                         .order_by(profiles.c.version)):
        path = f"{base}/profiles/v{row.version:04d}.{row.format}"
        put(path, row.text)
        versions[row.id] = row.version
        entry["profiles"].append({"version": row.version, "file": path, "format": row.format,
                                  "sha256": row.sha256, "created_at": _iso(row.created_at)})
    numbers: dict[int, int] = {}
    for n, row in enumerate(c.execute(select(assessments).where(assessments.c.uscc == uscc)
                                      .order_by(assessments.c.id)), 1):
        path = f"{base}/assessments/{n:04d}.json"
        put(path, row.compact)
        numbers[row.id] = n
        entry["assessments"].append({
            "number": n, "file": path, "profile_version": versions.get(row.profile_id),
            "as_of": _iso(row.as_of), "created_at": _iso(row.created_at),
            "catalogue": json.loads(row.catalogue), "score": row.score,
            "coverage": row.coverage, "mandatory_score": row.mandatory_score,
            "gaps": row.gaps, "mandatory_failures": row.mandatory_failures})
    plan = [{"item": r.item, "checklist": r.checklist, "status": r.status, "owner": r.owner,
             "due": _iso(r.due), "note": r.note, "opened_in": numbers.get(r.opened_in),
             "closed_in": numbers.get(r.closed_in), "updated_at": _iso(r.updated_at)}
            for r in c.execute(select(plan_items).where(plan_items.c.uscc == uscc)
                               .order_by(plan_items.c.item))]
    put(f"{base}/plan.json", _json(plan))
    for n, row in enumerate(c.execute(select(evidence).where(evidence.c.uscc == uscc)
                                      .order_by(evidence.c.id)), 1):
        path = f"{base}/evidence/{n:04d}-{safe_filename(row.filename)}"
        put(path, bytes(row.content))
        entry["evidence"].append({"number": n, "file": path, "item": row.item,
                                  "filename": row.filename, "media_type": row.media_type,
                                  "sha256": row.sha256, "created_at": _iso(row.created_at)})
    draft = c.execute(select(drafts).where(drafts.c.uscc == uscc)).first()
    if draft is not None:
        put(f"{base}/draft.json", draft.data)
        entry["draft"] = {"file": f"{base}/draft.json", "updated_at": _iso(draft.updated_at)}
    return entry


def _when(value: str | None) -> dt.datetime:
    return dt.datetime.fromisoformat(value) if value else dt.datetime.now(dt.timezone.utc)


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def import_workspace(store: Store, folder: Path) -> int:
    """Read an export into this (empty) workspace, all in one transaction; the number of
    companies imported."""
    manifest_path = folder / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(Problem(f"cannot be read: {exc.strerror}", file=str(manifest_path))
                         ) from None
    except ValueError as exc:
        raise InputError(Problem(f"not a workspace export: {exc}", file=str(manifest_path))
                         ) from None
    if not isinstance(manifest, dict) or manifest.get("schema") != EXPORT_SCHEMA:
        raise InputError(Problem(f'must be "{EXPORT_SCHEMA}"', file=str(manifest_path),
                                 key="schema"))
    files: dict[str, str] = manifest.get("files", {})

    def read(relative: str) -> bytes:
        if relative not in files or ".." in Path(relative).parts:
            raise InputError(Problem("not listed in the manifest", file=relative))
        try:
            raw = (folder / relative).read_bytes()
        except OSError as exc:
            raise InputError(Problem(f"cannot be read: {exc.strerror}", file=relative)
                             ) from None
        if hashlib.sha256(raw).hexdigest() != files[relative]:
            raise InputError(Problem("sha256 differs from the manifest", file=relative))
        return raw

    try:
        with store.write() as c:
            if c.execute(select(func.count()).select_from(companies)).scalar_one():
                raise UsageError(Problem("import goes into an empty workspace",
                                         key="--store"))
            for entry in manifest["companies"]:
                _import_company(c, entry, read)
            for token in manifest.get("tokens", []):
                c.execute(insert(tokens).values(
                    sha256=token["sha256"], role=token["role"], uscc=token["uscc"],
                    label=token["label"], created_at=_when(token["created_at"])))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # Nothing was written: the transaction rolled back with the exception.
        raise InputError(Problem(f"not a workspace export: malformed ({exc!r})",
                                 file=str(manifest_path))) from None
    return len(manifest["companies"])


def _import_company(c: Connection, entry: dict[str, Any], read: Any) -> None:
    uscc = entry["uscc"]
    c.execute(insert(companies).values(uscc=uscc, name=entry["name"],
                                       created_at=_when(entry["created_at"])))
    profile_ids: dict[int, int] = {}
    for p in entry["profiles"]:
        profile_ids[p["version"]] = c.execute(insert(profiles).values(
            uscc=uscc, version=p["version"], format=p["format"],
            text=read(p["file"]).decode("utf-8"), sha256=p["sha256"],
            created_at=_when(p["created_at"]))).inserted_primary_key[0]  # type: ignore[index]
    ids: dict[int, int] = {}
    for a in entry["assessments"]:
        ids[a["number"]] = c.execute(insert(assessments).values(
            uscc=uscc, profile_id=profile_ids.get(a["profile_version"]),
            as_of=_day(a["as_of"]), created_at=_when(a["created_at"]),
            catalogue=json.dumps(a["catalogue"]), compact=read(a["file"]).decode("utf-8"),
            score=a["score"], coverage=a["coverage"], mandatory_score=a["mandatory_score"],
            gaps=a["gaps"], mandatory_failures=a["mandatory_failures"])
            ).inserted_primary_key[0]  # type: ignore[index]
    for item in json.loads(read(f"companies/{uscc}/plan.json")):
        c.execute(insert(plan_items).values(
            uscc=uscc, item=item["item"], checklist=item["checklist"], status=item["status"],
            owner=item["owner"], due=_day(item["due"]), note=item["note"],
            opened_in=ids.get(item["opened_in"]), closed_in=ids.get(item["closed_in"]),
            updated_at=_when(item["updated_at"])))
    for e in entry["evidence"]:
        content = read(e["file"])
        c.execute(insert(evidence).values(
            uscc=uscc, item=e["item"], filename=e["filename"], media_type=e["media_type"],
            size=len(content), sha256=hashlib.sha256(content).hexdigest(), content=content,
            created_at=_when(e["created_at"])))
    if "draft" in entry:
        c.execute(insert(drafts).values(uscc=uscc,
                                        data=read(entry["draft"]["file"]).decode("utf-8"),
                                        updated_at=_when(entry["draft"]["updated_at"])))
