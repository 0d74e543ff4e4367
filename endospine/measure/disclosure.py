"""Small-cell disclosure control for the public outcomes table. Pure.

Rows are the approaches; the total row is their sum. A count from 1 to
threshold-1 is never shown; neither is any count it could be worked out from:
- within a row, a numerator whose denominator minus it is small (the
  complement would be a small count), and every rate with a hidden part;
- across rows, when one row's count is hidden and the total is shown, the
  smallest other non-zero row is hidden too (complementary suppression); and a
  hidden total hides the rows, so the rows never add up to it.
"""

from collections.abc import Sequence
from typing import Any

from endospine.measure.stats import complementary, is_small

COUNTS = (
    "volume",
    "same_day",
    "eligible_12m",
    "followed_12m",
    "success_12m",
    "followed_90d",
    "adverse_events_90d",
)
# rate field: (numerator, denominator)
RATES = {
    "same_day_rate": ("same_day", "volume"),
    "completeness_12m": ("followed_12m", "eligible_12m"),
    "success_12m_rate": ("success_12m", "followed_12m"),
    "adverse_events_90d_rate": ("adverse_events_90d", "followed_90d"),
}
PAIRS = tuple(RATES.values())


def _hide_small(rows: Sequence[dict[str, Any]], hidden: list[set[str]], threshold: int) -> None:
    for row, gone in zip(rows, hidden, strict=True):
        for field in COUNTS:
            if is_small(row[field], threshold):
                gone.add(field)
        for num, den in PAIRS:
            if is_small(row[den] - row[num], threshold):
                gone.add(num)


def _complement_rows(
    rows: Sequence[dict[str, Any]], hidden: list[set[str]], total_hidden: set[str]
) -> bool:
    changed = False
    for field in COUNTS:
        if field in total_hidden:
            extra = set(range(len(rows)))  # the rows must not add up to a hidden total
        else:
            marked = {i for i, gone in enumerate(hidden) if field in gone}
            extra = complementary([r[field] for r in rows], marked) if len(rows) > 1 else marked
        for i in extra:
            if rows[i][field] and field not in hidden[i]:
                hidden[i].add(field)
                changed = True
    return changed


def protect(
    rows: list[dict[str, Any]], total: dict[str, Any], threshold: int
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Copies of rows and total with hidden counts and rates set to None and each
    row's `suppressed` listing what was hidden."""
    hidden = [set() for _ in rows]  # type: list[set[str]]
    total_hidden: set[str] = set()
    _hide_small([total], [total_hidden], threshold)
    _hide_small(rows, hidden, threshold)
    while _complement_rows(rows, hidden, total_hidden):
        # A numerator hidden across rows may make its row's complement derivable:
        # hiding numerators only ever adds, so this ends.
        pass
    return [_apply(r, h) for r, h in zip(rows, hidden, strict=True)], _apply(total, total_hidden)


def _apply(row: dict[str, Any], hidden: set[str]) -> dict[str, Any]:
    result = dict(row)
    for field in COUNTS:
        if field in hidden:
            result[field] = None
    for rate, (num, den) in RATES.items():
        if num in hidden or den in hidden or not row[den]:
            result[rate] = None
        else:
            result[rate] = round(row[num] / row[den], 3)
    result["suppressed"] = sorted(hidden)
    return result
