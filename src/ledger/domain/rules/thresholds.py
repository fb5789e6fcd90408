"""Vote thresholds, computed, never typed in (rule ``majority``; rule ``quorum`` uses the same
arithmetic). A share of a base is needed, "more than" (strict) or "at least" (inclusive)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ledger.errors import InputError


class ShareError(InputError, ValueError):
    """A share parameter is not a fraction in (0, 1], like 1/2 or 2/3."""


@dataclass(frozen=True)
class Share:
    """A share of a base, like 1/2 or 2/3, compared strictly ("more than") or not ("at least")."""

    numerator: int
    denominator: int
    strict: bool

    @classmethod
    def parse(cls, text: str, strict: bool) -> Share:
        """``"1/2"`` or ``"2/3"``."""
        try:
            fraction = Fraction(text)
        except (ValueError, ZeroDivisionError) as e:
            raise ShareError(
                f"a share is written like 1/2 or 2/3, got {text!r}",
                zh=f"比例应写成 1/2、2/3 这样的分数，收到的是 {text!r}",
            ) from e
        if not 0 < fraction <= 1:
            raise ShareError(
                f"a share lies in (0, 1], got {text!r}",
                zh=f"比例须大于 0 且不大于 1，收到的是 {text!r}",
            )
        return cls(fraction.numerator, fraction.denominator, strict)

    def needed(self, base: int) -> int:
        """The smallest count that meets this share of ``base``."""
        exact = Fraction(base * self.numerator, self.denominator)
        if self.strict:
            return int(exact) + 1  # more than: the next whole number above
        whole = int(exact)
        return whole if whole == exact else whole + 1  # at least: round up

    def met(self, count: int, base: int) -> bool:
        return count >= self.needed(base)

    def __str__(self) -> str:
        comparison = "more than" if self.strict else "at least"
        return f"{comparison} {self.numerator}/{self.denominator}"
