"""Access tokens: issued once, kept only as their sha256, each with a role.

A token is 32 random bytes (url-safe base64), so a plain sha256 is enough to keep it: there is
nothing to guess that a slow hash would protect.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import delete, insert, select

from qcompliance.errors import Problem, UsageError
from qcompliance.store.records import ROLES, Principal, Role
from qcompliance.store.repo import Store, check_uscc, now
from qcompliance.store.schema import tokens

__all__ = ["create_token", "principal_of", "revoke_token", "token_digest"]


def token_digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: Store, role: Role, uscc: str | None = None,
                 label: str | None = None) -> str:
    """A new token for ``role`` (a company token names its company); only its digest is
    kept, so the token is shown once, here."""
    if role not in ROLES:
        raise UsageError(Problem(f"must be one of {', '.join(ROLES)}", key="role"))
    if role == "company":
        if uscc is None:
            raise UsageError(Problem("a company token names its company", key="--company"))
        check_uscc(uscc)
    elif uscc is not None:
        raise UsageError(Problem("only a company token names a company", key="--company"))
    token = "qc_" + secrets.token_urlsafe(32)
    with store.write() as c:
        c.execute(insert(tokens).values(sha256=token_digest(token), role=role, uscc=uscc,
                                        label=label, created_at=now()))
    return token


def principal_of(store: Store, token: str) -> Principal | None:
    """Who ``token`` speaks for, or None when the workspace does not know it."""
    with store.read() as c:
        row = c.execute(select(tokens.c.id, tokens.c.role, tokens.c.uscc)
                        .where(tokens.c.sha256 == token_digest(token))).first()
    return None if row is None else Principal(row.role, row.uscc, row.id)


def revoke_token(store: Store, token: str) -> bool:
    """Forget ``token``; whether it was known."""
    with store.write() as c:
        result = c.execute(delete(tokens).where(tokens.c.sha256 == token_digest(token)))
    return bool(result.rowcount)
