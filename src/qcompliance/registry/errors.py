"""Errors of the registry: a pull, an index, a pack or a delivery that went wrong.

Both are :class:`~qcompliance.errors.QComplianceError`, so the CLI prints them as one line and
exits with code 2; the problem's ``file`` is the URL or the path concerned.
"""

from __future__ import annotations

from qcompliance.errors import Problem, QComplianceError
from qcompliance.textsafe import redact_url

__all__ = ["DeliveryError", "RegistryError", "registry_error"]


class RegistryError(QComplianceError):
    """A pack could not be built, fetched, verified, unpacked or found in the cache."""


class DeliveryError(QComplianceError):
    """An assessment could not be delivered to a QMS endpoint."""


def registry_error(message: str, where: str | None = None, key: str | None = None
                   ) -> RegistryError:
    """A RegistryError with one problem at ``where`` (a URL, shown without credentials, or a
    path)."""
    if where is not None and "://" in where:
        where = redact_url(where)
    return RegistryError(Problem(message, file=where, key=key))
