"""Reads of checklists. Access is applied by the caller through the policy module."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext

from endospine.core import clock
from endospine.journey.models import Episode, Stage, TimelineEvent
from endospine.journey.panels import DueItem
from endospine.prepare.models import Checklist, ChecklistItem, ItemState, Owner
from endospine.prepare.services import blocking_reasons, imaging_reasons


@dataclass
class ChecklistView:
    checklist: Checklist
    items: list[ChecklistItem]
    blocking: list[str]

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.items if item.state != ItemState.OPEN)

    def for_owner(self, owner: str) -> list[ChecklistItem]:
        return [item for item in self.items if item.owner == owner]

    @property
    def patient_items(self) -> list[ChecklistItem]:
        return self.for_owner(Owner.PATIENT)

    @property
    def staff_items(self) -> list[ChecklistItem]:
        return self.for_owner(Owner.STAFF)


def checklist_view(episode: Episode) -> ChecklistView | None:
    """The checklist with its items (one query for the items and their people)."""
    checklist = Checklist.objects.filter(episode=episode).first()
    if checklist is None:
        return None
    checklist.episode = episode
    items = list(checklist.items.select_related("done_by", "verified_by"))
    for item in items:  # for templates, which cannot pass the surgery date
        item.due = item.due_on(episode.surgery_date)  # type: ignore[attr-defined]
    return ChecklistView(
        checklist=checklist,
        items=items,
        blocking=blocking_reasons(episode, items) + imaging_reasons(episode),
    )


def item_for(episode: Episode, item_id: UUID | str) -> ChecklistItem:
    """One item of this episode's checklist; 404 for an item of any other episode."""
    item = (
        ChecklistItem.objects.select_related("checklist__episode__patient")
        .filter(pk=item_id, checklist__episode=episode)
        .first()
    )
    if item is None:
        raise Http404("item not found")
    return item


def overrides(episode: Episode) -> QuerySet[TimelineEvent]:
    """Moves to `operate` that a surgeon made past the gate, with their reasons."""
    return (
        episode.events.select_related("actor")
        .filter(kind="stage_changed", data__to=Stage.OPERATE)
        .exclude(data__override_reason="")
        .order_by("at")
    )


def due_items(episode: Episode) -> list[DueItem]:
    """The patient's open checklist items, soonest first (at most three), for the home."""
    today = clock.now().date()
    items = ChecklistItem.objects.filter(
        checklist__episode=episode, owner=Owner.PATIENT, state=ItemState.OPEN
    )
    dated = [(item, item.due_on(episode.surgery_date)) for item in items]
    dated.sort(key=lambda pair: (pair[1] is None, pair[1] or today, pair[0].position))
    url = reverse("prepare:checklist", kwargs={"episode_id": episode.pk})
    return [
        DueItem(
            title=item.title,
            url=url,
            late=due is not None and due < today,
            detail=gettext("By %(date)s") % {"date": date_format(due)} if due else "",
        )
        for item, due in dated[:3]
    ]
