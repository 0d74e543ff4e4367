"""Right level, right side: the operative record against the assessed findings. Pure.

Wrong-level and wrong-side spine surgery are never events. The record is not
refused (the surgeon may have operated a level found at surgery), but every
difference from the assessment is shown on the note in red, before signing.
Messages are codes with parameters; the page renders them in words.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from endospine.operate.validation import LEVELS


@dataclass(frozen=True)
class SiteWarning:
    code: str  # level_not_assessed | side_differs | levels_not_adjacent
    operated: str
    assessed: str


def _index(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else -1


def check_site(
    *,
    levels: Sequence[str],
    side: str,
    assessed_levels: Sequence[str],
    assessed_side: str,
) -> list[SiteWarning]:
    warnings: list[SiteWarning] = []
    assessed = ", ".join(assessed_levels)
    if assessed_levels:
        for level in levels:
            if level not in assessed_levels:
                warnings.append(SiteWarning("level_not_assessed", level, assessed))
    if assessed_side and side and side != assessed_side:
        warnings.append(SiteWarning("side_differs", side, assessed_side))
    indexes = sorted(_index(level) for level in levels if _index(level) >= 0)
    if any(b - a != 1 for a, b in pairwise(indexes)):
        warnings.append(SiteWarning("levels_not_adjacent", ", ".join(levels), ""))
    return warnings
