"""Reads of episodes, with access already applied by the policy module."""

from typing import Any

from django.db.models import Q, QuerySet

from endospine.access import Action, AnyUser, site_ids_for, visible_episodes
from endospine.accounts.models import User
from endospine.journey import board
from endospine.journey import timeline as timeline_sources
from endospine.journey.models import ACTIVE_STAGES, Episode


def worklist(
    user: AnyUser,
    *,
    stage: str = "",
    site_id: str = "",
    search: str = "",
    mine: bool = False,
    include_closed: bool = True,
    triage: bool = False,
) -> QuerySet[Episode]:
    """Episodes the user may see, in a constant number of queries.

    Newest change first; with `triage`, annotated with the steps' board
    columns and ordered by their sort keys (emergencies, urgent alerts,
    missed check-ins first; see journey/board.py). `mine`: the episodes
    where the user is the surgeon or the nurse. `include_closed=False` leaves
    out completed and cancelled episodes (unless a stage is asked for).
    """
    episodes = visible_episodes(user).select_related("patient", "site", "surgeon", "nurse")
    if stage:
        episodes = episodes.filter(stage=stage)
    elif not include_closed:
        episodes = episodes.filter(stage__in=ACTIVE_STAGES)
    if mine:
        episodes = episodes.filter(Q(surgeon_id=user.pk) | Q(nurse_id=user.pk))
    if site_id:
        episodes = episodes.filter(site_id=site_id)
    if search:
        words = search.split()[:4]
        for word in words:
            episodes = episodes.filter(
                Q(patient__given_name__icontains=word)
                | Q(patient__family_name__icontains=word)
                | Q(patient__mrn__iexact=word)
                | Q(title__icontains=word)
            )
    if triage:
        return board.annotate(episodes).order_by(*board.ordering())
    return episodes.order_by("-stage_changed_at", "-id")


def timeline(episode: Episode) -> list[Any]:
    """Newest first: the episode's events and what steps add (e.g. check-ins), merged.

    Steps add rows read from their own tables (journey.timeline.register_source), so a
    check-in costs no timeline INSERT on its lean write path.
    """
    events: list[Any] = list(episode.events.select_related("actor").order_by("-at", "-id"))
    events.extend(timeline_sources.rows_for(episode))
    return sorted(events, key=lambda e: e.at, reverse=True)


def stage_counts(user: User) -> list[dict[str, Any]]:
    """Episodes per site and stage for the user's sites: aggregates only, no names."""
    from django.db.models import Count

    rows = (
        Episode.objects.filter(site_id__in=site_ids_for(user, Action.VIEW_AGGREGATES))
        .values("site__name", "stage")
        .annotate(episodes=Count("id"))
        .order_by("site__name", "stage")
    )
    return [dict(row) for row in rows]
