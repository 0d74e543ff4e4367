"""ODI v2.1a and NRS scoring, case by case (no database)."""

from fractions import Fraction

import pytest

from endospine.proms.scoring import (
    ODI_SECTIONS,
    ScoringError,
    mic_reached,
    odi_band,
    round_half_up,
    score,
)


def odi(values: list[int | None]) -> dict[str, int | None]:
    return dict(zip(ODI_SECTIONS, values, strict=True))


# Reference section 5 worked examples: 16 over 10 sections = 32%; 16/45 = 35.56%.
def test_worked_example_all_ten_sections() -> None:
    result = score("odi", odi([2, 2, 2, 2, 2, 2, 1, 1, 1, 1]))
    assert (result.score, result.band, result.answered) == (32.0, "moderate", 10)


def test_worked_example_one_section_missing() -> None:
    result = score("odi", odi([2, 2, 2, 2, 2, 2, 1, 1, 2, None]))
    assert (result.score, result.answered) == (35.6, 9)


def test_absent_section_counts_like_null() -> None:
    answers = odi([2, 2, 2, 2, 2, 2, 1, 1, 2, None])
    del answers["travelling"]
    assert score("odi", answers).score == 35.6


def test_eight_sections_are_scored_seven_are_not() -> None:
    eight = odi([5, 5, 5, 5, 5, 5, 5, 5, None, None])
    assert (score("odi", eight).score, score("odi", eight).band) == (100.0, "bed_bound")
    seven = odi([5, 5, 5, 5, 5, 5, 5, None, None, None])
    result = score("odi", seven)
    assert (result.score, result.band, result.answered) == (None, None, 7)


def test_all_zero_and_empty() -> None:
    assert score("odi", odi([0] * 10)).score == 0.0
    assert score("odi", {}).answered == 0


def test_rounding_is_half_up_and_exact() -> None:
    assert round_half_up(Fraction(3555, 100)) == 35.6
    assert round_half_up(Fraction(2, 3) * 100) == 66.7
    assert round_half_up(Fraction(25, 100)) == 0.3  # float round() would give 0.2
    # 1 over 9 sections: 2.2222 -> 2.2
    assert score("odi", odi([1, 0, 0, 0, 0, 0, 0, 0, 0, None])).score == 2.2


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0, "minimal"),
        (20.0, "minimal"),
        (20.1, "moderate"),
        (40.0, "moderate"),
        (40.1, "severe"),
        (60.0, "severe"),
        (60.1, "crippling"),
        (80.0, "crippling"),
        (80.1, "bed_bound"),
        (100.0, "bed_bound"),
    ],
)
def test_band_edges(value: float, band: str) -> None:
    assert odi_band(value) == band


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"walking": 6}, "answers.walking"),
        ({"walking": -1}, "answers.walking"),
        ({"lifting": 2.5}, "answers.lifting"),
        ({"sitting": "3"}, "answers.sitting"),
        ({"sitting": True}, "answers.sitting"),
        ({"jogging": 1}, "answers.jogging"),
    ],
)
def test_odi_bad_answers_name_the_field(answers: dict[str, object], field: str) -> None:
    with pytest.raises(ScoringError) as caught:
        score("odi", answers)
    assert caught.value.field == field


def test_whole_float_is_accepted() -> None:
    assert score("odi", odi([2.0, 2, 2, 2, 2, 2, 1, 1, 1, 1])).score == 32.0  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0, "none"),
        (1, "mild"),
        (3, "mild"),
        (4, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (10, "severe"),
    ],
)
def test_nrs_scores_and_bands(value: int, band: str) -> None:
    for instrument in ("nrs_back", "nrs_leg"):
        result = score(instrument, {"pain": value})
        assert (result.score, result.band, result.answered) == (float(value), band, 1)


def test_nrs_unanswered_and_bad() -> None:
    assert score("nrs_leg", {"pain": None}).score is None
    for answers, field in (({"pain": 11}, "answers.pain"), ({"ache": 1}, "answers.ache")):
        with pytest.raises(ScoringError) as caught:
            score("nrs_back", answers)
        assert caught.value.field == field


def test_unknown_instrument_and_non_object() -> None:
    with pytest.raises(ScoringError) as caught:
        score("sf36", {})
    assert caught.value.field == "instrument"
    with pytest.raises(ScoringError) as caught:
        score("odi", [1, 2])  # type: ignore[arg-type]
    assert caught.value.field == "answers"


@pytest.mark.parametrize(
    ("baseline", "current", "points", "reached"),
    [
        (50, 40, 10, True),
        (50, 41, 10, False),
        (20, 14, 10, True),  # 30% of 20 = 6
        (20, 15, 10, False),
        (33.3, 23.3, 10, True),
        (7, 5, 2, True),
        (3, 2.1, 2, True),
        (3, 2.2, 2, False),
        (0, 0, 2, False),
        (5, 7, 2, False),
    ],
)
def test_minimal_important_change(
    baseline: float, current: float, points: float, reached: bool
) -> None:
    assert mic_reached(baseline, current, points=points, percent=30) is reached
