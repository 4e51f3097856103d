"""Every type that appears in a public signature is exported (as httpx's
tests/test_exported_members.py checks its own surface): a user can name what they pass and get."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterator
from types import ModuleType

import pytest

import qcompliance
import qcompliance.client
import qcompliance.model

SURFACES = [qcompliance, qcompliance.client]
NAMES = {**vars(qcompliance.model), **{n: getattr(qcompliance, n) for n in qcompliance.__all__},
         **vars(qcompliance.client)}


def _types(hint: object) -> Iterator[type]:
    """The classes a type hint names, through unions, generics and Literal."""
    if isinstance(hint, type) and typing.get_origin(hint) is None:
        yield hint
    for arg in typing.get_args(hint):
        yield from _types(arg)


def _signatures(obj: object) -> Iterator[tuple[str, object]]:
    targets = [obj]
    if inspect.isclass(obj):
        if not isinstance(obj, typing._TypedDictMeta):  # type: ignore[attr-defined]
            yield from typing.get_type_hints(obj, localns=NAMES).items()  # fields
        targets = [obj.__init__] if "__init__" in vars(obj) else []  # type: ignore[misc]
        targets += [m for n, m in vars(obj).items()
                    if inspect.isfunction(m) and not n.startswith("_")]
    for target in targets:
        if callable(target):
            # Names imported only for type checking resolve among the model and the package.
            hints = typing.get_type_hints(target, localns=NAMES)
            yield from hints.items()


@pytest.mark.parametrize("surface", SURFACES, ids=lambda m: m.__name__)
def test_types_in_public_signatures_are_exported(surface: ModuleType) -> None:
    """Each qcompliance class in a parameter or return annotation of an exported function or
    class is exported by the package or its client."""
    exported = {id(getattr(m, n)) for m in SURFACES for n in m.__all__}
    missing = set()
    for name in surface.__all__:
        obj = getattr(surface, name)
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        for where, hint in _signatures(obj):
            for cls in _types(hint):
                if cls.__module__.startswith("qcompliance") and id(cls) not in exported:
                    missing.add(f"{cls.__module__}.{cls.__qualname__} (in {name}: {where})")
    assert not missing, sorted(missing)
