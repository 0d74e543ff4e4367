"""Scoring of each instrument, as pure functions (no Django imports).

ODI v2.1a (Fairbank; reference section 5): each of ten sections scores 0-5,
score = sum of answered sections / (5 x sections answered) x 100. We round
half-up to one decimal and refuse to score fewer than 8 answered sections
(the reference calls the minimum a design choice; 8 keeps at most two
sections missing, e.g. sex life, which many patients skip).

NRS pain 0-10: the score is the number given.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

ODI_SECTIONS: tuple[str, ...] = (
    "pain_intensity",
    "personal_care",
    "lifting",
    "walking",
    "sitting",
    "standing",
    "sleeping",
    "sex_life",
    "social_life",
    "travelling",
)
ODI_MIN_ANSWERED = 8
ODI_MAX_PER_SECTION = 5
# Upper bound of each band, inclusive (reference section 5: 0-20 minimal,
# 21-40 moderate, 41-60 severe, 61-80 crippled, 81-100 bed-bound).
ODI_BANDS: tuple[tuple[float, str], ...] = (
    (20.0, "minimal"),
    (40.0, "moderate"),
    (60.0, "severe"),
    (80.0, "crippling"),
)
ODI_TOP_BAND = "bed_bound"

NRS_ITEM = "pain"
NRS_MAX = 10
# Conventional NRS categories (textbook): 0 none, 1-3 mild, 4-6 moderate, 7-10 severe.
NRS_BANDS: tuple[tuple[float, str], ...] = ((0, "none"), (3, "mild"), (6, "moderate"))
NRS_TOP_BAND = "severe"

INSTRUMENTS: tuple[str, ...] = ("odi", "nrs_back", "nrs_leg")


class ScoringError(ValueError):
    """Bad answers. `field` names the offending answer, e.g. "answers.walking"."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Score:
    instrument: str
    score: float | None  # None when too few answers to score
    band: str | None
    answered: int

    def as_dict(self) -> dict[str, object]:
        return {
            "instrument": self.instrument,
            "score": self.score,
            "band": self.band,
            "answered": self.answered,
        }


def round_half_up(value: Fraction, decimals: int = 1) -> float:
    """Round an exact fraction half-up (35.55 -> 35.6), free of binary float error."""
    scale = 10**decimals
    scaled = value * scale
    rounded = (scaled + Fraction(1, 2)).__floor__()
    return float(Fraction(rounded, scale))


def _band(score: float, bands: tuple[tuple[float, str], ...], top: str) -> str:
    for upper, name in bands:
        if score <= upper:
            return name
    return top


def _whole_number(field: str, value: object, maximum: int) -> int | None:
    """An answer as an int in 0..maximum, or None for 'not answered'."""
    if value is None:
        return None
    # bool is an int in Python; "true" is never a valid pain score.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScoringError(field, f"must be a whole number from 0 to {maximum} or null")
    if isinstance(value, float) and not value.is_integer():
        raise ScoringError(field, f"must be a whole number from 0 to {maximum} or null")
    number = int(value)
    if not 0 <= number <= maximum:
        raise ScoringError(field, f"must be from 0 to {maximum}")
    return number


def _check_keys(answers: Mapping[str, object], allowed: tuple[str, ...]) -> None:
    if not isinstance(answers, Mapping):
        raise ScoringError("answers", "must be an object of item codes to numbers")
    for key in answers:
        if key not in allowed:
            raise ScoringError(
                f"answers.{key}", f"unknown item; expected one of: {', '.join(allowed)}"
            )


def score_odi(answers: Mapping[str, object]) -> Score:
    """ODI v2.1a; a section absent or null is unanswered."""
    _check_keys(answers, ODI_SECTIONS)
    values = [
        v
        for key in ODI_SECTIONS
        if (v := _whole_number(f"answers.{key}", answers.get(key), ODI_MAX_PER_SECTION)) is not None
    ]
    answered = len(values)
    if answered < ODI_MIN_ANSWERED:
        return Score("odi", None, None, answered)
    exact = Fraction(sum(values) * 100, ODI_MAX_PER_SECTION * answered)
    score = round_half_up(exact)
    return Score("odi", score, odi_band(score), answered)


def odi_band(score: float) -> str:
    return _band(score, ODI_BANDS, ODI_TOP_BAND)


def nrs_band(score: float) -> str:
    return _band(score, NRS_BANDS, NRS_TOP_BAND)


def score_nrs(instrument: str, answers: Mapping[str, object]) -> Score:
    """NRS 0-10 with one item, `pain`."""
    _check_keys(answers, (NRS_ITEM,))
    value = _whole_number(f"answers.{NRS_ITEM}", answers.get(NRS_ITEM), NRS_MAX)
    if value is None:
        return Score(instrument, None, None, 0)
    return Score(instrument, float(value), nrs_band(value), 1)


def score(instrument: str, answers: Mapping[str, object]) -> Score:
    """Score answers for a named instrument; ScoringError names what is wrong."""
    if instrument == "odi":
        return score_odi(answers)
    if instrument in ("nrs_back", "nrs_leg"):
        return score_nrs(instrument, answers)
    raise ScoringError(
        "instrument", f"unknown instrument; expected one of: {', '.join(INSTRUMENTS)}"
    )


def mic_reached(
    baseline: float, current: float, *, points: float, percent: float, mdc: float = 0.0
) -> bool:
    """Minimal important change: an improvement (a fall) of `points` or `percent` of baseline,
    that is also at least the minimal detectable change `mdc` (issue 16 item 15: leg pain
    3 -> 2 is 33% but only 1 point, within measurement error, so it is not one).

    Defaults come from settings (Ostelo 2008 consensus: ODI 10 points or 30%,
    NRS 2 points or 30%; MDC ODI 10, NRS 2). A baseline of 0 cannot improve.
    """
    # Scores carry one decimal; round away binary float noise (33.3 - 23.3).
    improvement = round(baseline - current, 6)
    if improvement <= 0 or round(improvement - mdc, 6) < 0:
        return False
    if improvement >= points:
        return True
    return baseline > 0 and round(improvement * 100 - percent * baseline, 6) >= 0


def mic_threshold(baseline: float, *, points: float, percent: float, mdc: float = 0.0) -> float:
    """The smallest improvement from `baseline` that `mic_reached` counts."""
    return max(min(points, percent * baseline / 100), mdc)
