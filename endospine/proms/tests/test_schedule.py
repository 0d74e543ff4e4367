"""Timepoint windows and statuses (no database)."""

from datetime import date, timedelta

import pytest

from endospine.proms.schedule import (
    DEFAULT_FOLLOWUP,
    ScheduleError,
    Window,
    baseline_window,
    followup_rules,
    followup_window,
    status,
)

SURGERY = date(2026, 3, 2)


def test_default_timepoints() -> None:
    rules = followup_rules({})
    assert [(r.code, r.days) for r in rules] == [
        ("week6", 42),
        ("month3", 91),
        ("month12", 365),
        ("month24", 730),
    ]
    assert rules is DEFAULT_FOLLOWUP


def test_site_override_sorted_and_validated() -> None:
    rules = followup_rules(
        {
            "prom_timepoints": [
                {"code": "month12", "days": 365},
                {"code": "day90", "days": 90, "label": "90 days"},
            ]
        }
    )
    assert [(r.code, r.label) for r in rules] == [("day90", "90 days"), ("month12", "12 months")]
    for bad in (
        [],
        [{"code": "baseline", "days": 1}],
        [{"code": "x", "days": 0}],
        [{"code": "x", "days": "9"}],
        [{"code": "x", "days": 9}, {"code": "x", "days": 9}],
        "week6",
    ):
        with pytest.raises(ScheduleError):
            followup_rules({"prom_timepoints": bad})


def test_followup_window_and_statuses() -> None:
    window = followup_window(DEFAULT_FOLLOWUP[1], SURGERY)  # 3 months
    assert window == Window(
        SURGERY + timedelta(77), SURGERY + timedelta(91), SURGERY + timedelta(119)
    )
    day = lambda n: SURGERY + timedelta(days=n)  # noqa: E731
    assert status(window, day(76), done=False) == "upcoming"
    assert status(window, day(77), done=False) == "due"
    assert status(window, day(91), done=False) == "due"
    assert status(window, day(92), done=False) == "overdue"
    assert status(window, day(119), done=False) == "overdue"
    assert status(window, day(120), done=False) == "missed"
    assert status(window, day(200), done=True) == "done"


def test_baseline_window() -> None:
    today = date(2026, 2, 1)
    open_ended = baseline_window(today, None)
    assert (open_ended.due_on, open_ended.closes_on) == (date(2026, 2, 15), None)
    assert status(open_ended, date(2027, 1, 1), done=False) == "overdue"
    soon = baseline_window(today, date(2026, 2, 5))
    assert (soon.opens_on, soon.due_on, soon.closes_on) == (
        today,
        date(2026, 2, 4),
        date(2026, 2, 5),
    )
    assert (
        status(soon, date(2026, 2, 5), done=False) == "overdue"
    )  # morning of surgery still counts
    assert status(soon, date(2026, 2, 6), done=False) == "missed"
    late = baseline_window(today, date(2026, 1, 20))  # scheduled after surgery happened
    assert status(late, today, done=False) == "missed"
