"""One entry of the message table: an English template and its Chinese form."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Message"]


class Message(NamedTuple):
    """A message in both languages, each a ``str.format`` template with the same
    ``{placeholders}`` (``{{`` and ``}}`` stand for braces)."""

    zh: str
    en: str
