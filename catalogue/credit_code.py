"""统一社会信用代码 (unified social credit code, GB 32100-2015) and its check character.

Eighteen characters from a 31-character set (the digits and the capitals without I, O, S, V
and Z): registration authority (1), organisation type (1), administrative division (6 digits),
organisation code (9), check character (1). The check character is ``31 - (Σ value × weight
mod 31)`` over the first 17, mapped back through the set (31 becomes 0).
"""

from __future__ import annotations

import re
from functools import lru_cache

from features.tabular import is_digits

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(CHARSET)}
# GB 32100-2015 §5: weight of position i is 3^(i-1) mod 31.
WEIGHTS: tuple[int, ...] = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SPACES = re.compile(r"[\s\-－]+")


def normalize_credit_code(text: str) -> str:
    """The code as officials mean it: upper-case, without spaces or dashes."""
    return _SPACES.sub("", text).upper()


def check_character(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters."""
    if len(first17) != 17:
        raise ValueError(f"first17 must have 17 characters, got {len(first17)}")
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


@lru_cache(maxsize=65536)
def credit_code_problem(code: str) -> str | None:
    """None for a valid code, else what is wrong with it, in Chinese."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际{len(code)}位"
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        return f"统一社会信用代码含有不允许的字符“{''.join(bad)}”（不使用 I、O、S、V、Z）"
    if not is_digits(code[2:8]):
        return "统一社会信用代码第3–8位应为行政区划代码（6位数字）"
    expected = check_character(code[:17])
    if code[17] != expected:
        return "统一社会信用代码校验位不正确：请核对营业执照上的代码"
    return None


def is_valid_credit_code(code: str) -> bool:
    """Whether ``code`` (already normalised) is a well-formed code with a correct check."""
    return credit_code_problem(code) is None


def make_credit_code(
    seq: int, *, region: str = "110105", authority: str = "9", kind: str = "1"
) -> str:
    """A synthetic valid code for tests and demos: ``seq`` picks the organisation code."""
    if seq < 0:
        raise ValueError(f"seq must be >= 0, got {seq}")
    if len(region) != 6 or not is_digits(region):
        raise ValueError(f"region must be 6 digits, got {region!r}")
    body = []
    n = seq
    for _ in range(9):
        n, r = divmod(n, 31)
        body.append(CHARSET[r])
    first17 = authority + kind + region + "MA" + "".join(reversed(body))[2:]
    return first17 + check_character(first17)


__all__ = [
    "CHARSET",
    "WEIGHTS",
    "check_character",
    "credit_code_problem",
    "is_valid_credit_code",
    "make_credit_code",
    "normalize_credit_code",
]
