"""Per-site recovery settings, read from Site.settings with safe defaults.

Site.settings keys (all optional):
    checkin_days: [1, 2, 3, 7, 14, 21, 28, 42]  days after discharge
    checkin_overdue_hours: 24                 due -> overdue after this long
    checkin_missed_days: 3                    overdue -> missed after this long
    alert_escalation_minutes: {"emergency": 15, "urgent": 120}
    review_window_hours: 4                    a review item is read within this (issue 10)
    reminder_channels: ["email", "sms"]
A malformed value falls back to the default rather than breaking discharge.
"""

from datetime import timedelta
from typing import Any

from endospine.accounts.models import Site

# Days 21 and 28 cover weeks 3-6, when discitis and late wound infection show
# (issue 16 item 10).
DEFAULT_CHECKIN_DAYS = (1, 2, 3, 7, 14, 21, 28, 42)
DEFAULT_ESCALATION_MINUTES = {"emergency": 15, "urgent": 120}
DEFAULT_REVIEW_WINDOW_HOURS = 4
DEFAULT_CHANNELS = ("email", "sms")
DEFAULT_OVERDUE_HOURS = 24


def _get(site: Site, key: str) -> Any:
    return (site.settings or {}).get(key) if isinstance(site.settings, dict) else None


def checkin_days(site: Site) -> tuple[int, ...]:
    days = _get(site, "checkin_days")
    if isinstance(days, list) and days and all(isinstance(d, int) and 0 <= d <= 730 for d in days):
        return tuple(sorted(set(days)))
    return DEFAULT_CHECKIN_DAYS


def _positive(site: Site, key: str, default: int) -> int:
    value = _get(site, key)
    return value if isinstance(value, int) and value > 0 else default


def overdue_after(site: Site) -> timedelta:
    return timedelta(hours=_positive(site, "checkin_overdue_hours", DEFAULT_OVERDUE_HOURS))


def missed_after(site: Site) -> timedelta:
    return timedelta(days=_positive(site, "checkin_missed_days", 3))


def review_window_hours(site: Site) -> int:
    """Hours within which a clinician reads a review item (default 4)."""
    value = _get(site, "review_window_hours")
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 72:
        return value
    return DEFAULT_REVIEW_WINDOW_HOURS


def escalation_interval(site: Site, severity: str) -> timedelta:
    if severity == "review":  # escalated when nobody has read it within the review window
        return timedelta(hours=review_window_hours(site))
    minutes = _get(site, "alert_escalation_minutes")
    value = minutes.get(severity) if isinstance(minutes, dict) else None
    if not (isinstance(value, int | float) and value > 0):
        value = DEFAULT_ESCALATION_MINUTES.get(severity, 15)
    return timedelta(minutes=value)


def reminder_channels(site: Site) -> tuple[str, ...]:
    channels = _get(site, "reminder_channels")
    if isinstance(channels, list) and set(channels) <= set(DEFAULT_CHANNELS):
        return tuple(channels)
    return DEFAULT_CHANNELS
