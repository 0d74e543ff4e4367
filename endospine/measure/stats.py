"""Intervals, funnel limits, case-mix standardisation and small-cell suppression. Pure."""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

Z95 = 1.959963984540054
Z998 = 3.090232306167813


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for successes/n (Wilson 1927), rounded to 4 places."""
    if n <= 0:
        raise ValueError("n must be positive")
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)


def funnel_limits(p0: float, n: int, z: float) -> tuple[float, float]:
    """Control limits around the target proportion p0 for a unit of size n.

    Normal approximation to the binomial (Spiegelhalter 2005, eq. 1), clipped to 0..1.
    """
    half = z * math.sqrt(max(p0 * (1 - p0), 0.0) / n)
    return max(0.0, p0 - half), min(1.0, p0 + half)


def age_band(age: int) -> str:
    return "<40" if age < 40 else "40-59" if age < 60 else "60+"


def odi_band(baseline_odi: float | None) -> str:
    if baseline_odi is None:
        return "unknown"
    return "<=40" if baseline_odi <= 40 else "41-60" if baseline_odi <= 60 else ">60"


@dataclass(frozen=True)
class Case:
    unit: str
    stratum: str
    success: bool


@dataclass(frozen=True)
class UnitRate:
    unit: str
    n: int
    observed: int
    expected: float

    def adjusted(self, p0: float) -> float:
        """Indirectly standardised rate: (observed / expected) x the overall rate."""
        if self.expected <= 0:
            return p0
        return min(1.0, self.observed / self.expected * p0)


def indirect_standardise(cases: Sequence[Case]) -> tuple[float, list[UnitRate]]:
    """The overall rate and, per unit, observed and expected successes, where the
    expectation applies each stratum's overall rate to the unit's own cases."""
    if not cases:
        return 0.0, []
    by_stratum: dict[str, list[int]] = {}
    for case in cases:
        tally = by_stratum.setdefault(case.stratum, [0, 0])
        tally[0] += case.success
        tally[1] += 1
    rate = {s: k / n for s, (k, n) in by_stratum.items()}
    counts: dict[str, list[int]] = {}
    expected: dict[str, float] = {}
    for case in cases:
        tally = counts.setdefault(case.unit, [0, 0])
        tally[0] += 1
        tally[1] += case.success
        expected[case.unit] = expected.get(case.unit, 0.0) + rate[case.stratum]
    p0 = sum(c.success for c in cases) / len(cases)
    return p0, [UnitRate(u, t[0], t[1], expected[u]) for u, t in sorted(counts.items())]


def is_small(count: int | None, threshold: int) -> bool:
    """A count that must not be shown: 1 .. threshold-1 (zero may be shown)."""
    return count is not None and 0 < count < threshold


def complementary(counts: Sequence[int | None], hidden: Iterable[int]) -> set[int]:
    """Indexes to hide so no hidden cell can be worked out from a shown total.

    `counts` are cells that add up to a published total. If exactly one cell is
    hidden, the total minus the shown cells would give it away, so the smallest
    other non-zero cell is hidden too (a zero cell would give nothing away).
    """
    result = set(hidden)
    if len(result) == 1:
        others = [(c, i) for i, c in enumerate(counts) if i not in result and c]
        if others:
            result.add(min(others)[1])
        else:
            result.update(i for i in range(len(counts)) if i not in result)
    return result


def rounded(value: float, places: int) -> float:
    """A reported figure, half up at `places`, after dropping float noise below 1e-9.

    A mean summed in a different order (the database's SUM against Python's) can land on
    either side of .x5; clearing the noise first makes every path report the same digit.
    """
    clean = Decimal(repr(round(value, 9)))
    return float(clean.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
