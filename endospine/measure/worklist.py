"""The coordinator's follow-up worklist: questionnaires due or overdue, by timepoint."""

from dataclasses import dataclass, field

from endospine.access import visible_episodes
from endospine.accounts.models import User
from endospine.core import clock
from endospine.measure.models import ContactAttempt
from endospine.proms.models import Timepoint

OUTCOMES = ContactAttempt.Outcome.choices
LIMIT = 200


@dataclass
class Row:
    timepoint: Timepoint
    status: str
    contacts: list[ContactAttempt] = field(default_factory=list)


def due_timepoints(user: User) -> list[Row]:
    """Open, unanswered follow-up timepoints of the user's episodes, oldest due first."""
    today = clock.now().date()
    timepoints = list(
        Timepoint.objects.filter(
            episode__in=visible_episodes(user),
            completed_at__isnull=True,
            opens_on__lte=today,
            closes_on__gte=today,
        )
        .exclude(code="baseline")
        .select_related("episode__patient")
        .order_by("due_on")[:LIMIT]
    )
    contacts: dict[tuple[object, str], list[ContactAttempt]] = {}
    for attempt in ContactAttempt.objects.filter(
        episode__in=[t.episode_id for t in timepoints]
    ).select_related("by"):
        contacts.setdefault((attempt.episode_id, attempt.timepoint), []).append(attempt)
    return [
        Row(t, "overdue" if t.due_on < today else "due", contacts.get((t.episode_id, t.code), []))
        for t in timepoints
    ]
