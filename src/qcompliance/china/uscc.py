"""The unified social credit code (统一社会信用代码) of GB 32100-2015 and its check character.

An 18-character code: registering authority (1), entity type (1), administrative division
(6 digits), organisation code (9, itself GB 11714-checked) and a check character. The check
character is C18 = 31 - (sum of Ci * Wi mod 31), with 31 written as 0, over the 31-character
set below, where Wi = 3^(i-1) mod 31.
"""

from __future__ import annotations

__all__ = ["USCC_CHARSET", "uscc_check_character", "uscc_problem"]

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The code's characters in value order 0-30 (no I, O, S, V or Z)."""

_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def uscc_check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a code."""
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code, or None when it is."""
    if len(code) != 18:
        return f"a unified social credit code has 18 characters; '{code}' has {len(code)}"
    bad = sorted({ch for ch in code if ch not in USCC_CHARSET})
    if bad:
        return f"'{code}' has characters not allowed in GB 32100: {' '.join(bad)}"
    if not code[2:8].isdigit():
        return f"'{code}': characters 3-8 must be the 6-digit administrative division code"
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        return f"'{code}' fails the GB 32100 check: the last character should be '{expected}'"
    return None
