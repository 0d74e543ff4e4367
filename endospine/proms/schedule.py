"""When each PROM timepoint is due, and its status on a given day. Pure: no Django.

Defaults follow the registries in reference section 7 (Spine Tango, MSSIC:
before surgery, 3, 12 and 24 months; ICHOM adds 6 weeks-ish early points).
A site overrides them in Site.settings["prom_timepoints"] (see docs/proms.md).

A timepoint opens `before` days ahead of its due date, is `due` until the due
date, `overdue` until `after` days past it, then `missed`. The baseline
belongs before surgery: it closes on the day of surgery.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

BASELINE = "baseline"
UPCOMING, DUE, OVERDUE, DONE, MISSED = "upcoming", "due", "overdue", "done", "missed"
STATUSES = (UPCOMING, DUE, OVERDUE, DONE, MISSED)
# How long a patient has for the baseline when the surgery date is not set yet.
BASELINE_DUE_DAYS = 14


@dataclass(frozen=True)
class TimepointRule:
    code: str
    label: str
    days: int  # after surgery
    before: int  # opens this many days before the due date
    after: int  # missed this many days after the due date


DEFAULT_FOLLOWUP: tuple[TimepointRule, ...] = (
    TimepointRule("week6", "6 weeks", 42, 7, 14),
    TimepointRule("month3", "3 months", 91, 14, 28),
    TimepointRule("month12", "12 months", 365, 30, 60),
    TimepointRule("month24", "24 months", 730, 30, 90),
)
LABELS = {BASELINE: "Before surgery", **{r.code: r.label for r in DEFAULT_FOLLOWUP}}


class ScheduleError(ValueError):
    pass


def _rule(raw: Any, index: int) -> TimepointRule:
    where = f"prom_timepoints[{index}]"
    if not isinstance(raw, Mapping):
        raise ScheduleError(f"{where} must be an object")
    code = raw.get("code")
    if not isinstance(code, str) or not code.isidentifier() or code == BASELINE:
        raise ScheduleError(f"{where}.code must be a short identifier other than 'baseline'")
    numbers = {k: raw.get(k, d) for k, d in (("days", None), ("before", 7), ("after", 28))}
    for key, value in numbers.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3650:
            raise ScheduleError(f"{where}.{key} must be a whole number of days from 0 to 3650")
    if numbers["days"] < 1:
        raise ScheduleError(f"{where}.days must be at least 1")
    label = str(raw.get("label") or LABELS.get(code) or code)
    return TimepointRule(code, label, numbers["days"], numbers["before"], numbers["after"])


def followup_rules(site_settings: Mapping[str, Any] | None) -> tuple[TimepointRule, ...]:
    """The site's follow-up timepoints, or the defaults; ScheduleError on a bad setting."""
    raw = (site_settings or {}).get("prom_timepoints")
    if raw is None:
        return DEFAULT_FOLLOWUP
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        raise ScheduleError("prom_timepoints must be a non-empty list")
    rules = tuple(_rule(item, i) for i, item in enumerate(raw))
    if len({r.code for r in rules}) != len(rules):
        raise ScheduleError("prom_timepoints codes must be unique")
    return tuple(sorted(rules, key=lambda r: r.days))


@dataclass(frozen=True)
class Window:
    opens_on: date
    due_on: date
    # The last day an answer counts; None: open-ended (baseline, no surgery date yet).
    closes_on: date | None


def followup_window(rule: TimepointRule, surgery_date: date) -> Window:
    due = surgery_date + timedelta(days=rule.days)
    return Window(due - timedelta(days=rule.before), due, due + timedelta(days=rule.after))


def baseline_window(today: date, surgery_date: date | None) -> Window:
    """Open now; due the day before surgery (or in two weeks); closed by surgery."""
    if surgery_date is None:
        return Window(today, today + timedelta(days=BASELINE_DUE_DAYS), None)
    due = min(today + timedelta(days=BASELINE_DUE_DAYS), surgery_date - timedelta(days=1))
    return Window(min(today, due), due, surgery_date)


def status(window: Window, today: date, *, done: bool) -> str:
    """One of upcoming, due, overdue, done, missed (for the patient's local date)."""
    if done:
        return DONE
    if window.closes_on is not None and today > window.closes_on:
        return MISSED
    if today < window.opens_on:
        return UPCOMING
    if today <= window.due_on:
        return DUE
    return OVERDUE
