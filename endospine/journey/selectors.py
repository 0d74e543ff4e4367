"""Reads of episodes, with access already applied by the policy module."""

from typing import Any

from django.db.models import Q, QuerySet

from endospine.access import Action, AnyUser, site_ids_for, visible_episodes
from endospine.accounts.models import User
from endospine.journey.models import Episode, TimelineEvent


def worklist(
    user: AnyUser, *, stage: str = "", site_id: str = "", search: str = ""
) -> QuerySet[Episode]:
    """Episodes of the user's sites, newest change first, in a constant number of queries."""
    episodes = visible_episodes(user).select_related("patient", "site", "surgeon", "nurse")
    if stage:
        episodes = episodes.filter(stage=stage)
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
    return episodes.order_by("-stage_changed_at", "-id")


def timeline(episode: Episode) -> QuerySet[TimelineEvent]:
    return episode.events.select_related("actor").order_by("at")


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
