"""What a patient is told about where they are and what comes next, per stage."""

from datetime import date
from zoneinfo import ZoneInfo

from endospine.core import clock
from endospine.journey.models import Episode, Stage

_NEXT_STEPS: dict[str, str] = {
    Stage.LEARN: (
        "Read about the operation in the library and write down your questions for the clinic."
    ),
    Stage.ASSESS: (
        "Your team is reviewing your symptoms and scans to decide whether keyhole surgery suits "
        "you. Please fill in your symptom questionnaire if you have not yet."
    ),
    Stage.PREPARE: "Work through your preparation checklist before your operation date.",
    Stage.OPERATE: (
        "Your operation is coming up. Follow your fasting instructions and bring your escort."
    ),
    Stage.RECOVER: (
        "Answer your recovery check-ins when they are due and watch for the warning signs."
    ),
    Stage.COMPLETE: (
        "Your pathway is complete. Your team may still ask how you are doing over time."
    ),
    Stage.CANCELLED: "This pathway was stopped. Your care team can tell you more.",
}


def next_steps(episode: Episode) -> str:
    return _NEXT_STEPS[episode.stage]


def site_today(episode: Episode) -> date:
    """Today in the episode's site time zone: the patient's own calendar day."""
    try:
        zone = ZoneInfo(episode.site.time_zone or "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return clock.now().astimezone(zone).date()


def day_since_surgery(episode: Episode) -> int | None:
    """Day N after the operation (the day of surgery is day 0); None before it."""
    if episode.surgery_date is None:
        return None
    days = (site_today(episode) - episode.surgery_date).days
    return days if days >= 0 else None
