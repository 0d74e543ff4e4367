"""Reads of the recover step, with access applied through the policy module."""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Case, Count, IntegerField, Max, Prefetch, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext

from endospine.access import Action, record_for, site_ids_for
from endospine.accounts.models import Site, User
from endospine.core import clock
from endospine.journey.models import Episode
from endospine.journey.panels import DueItem
from endospine.journey.timeline import Row as TimelineRow
from endospine.recover import config
from endospine.recover.models import Alert, Checkin, Level, ScheduledCheckin, level_rank

STATUSES = ("due", "done", "overdue", "missed")


def slot_status(slot: ScheduledCheckin, now: datetime | None = None) -> str:
    """done once completed; due until overdue_after past its time; overdue; then missed."""
    if slot.completed_at is not None:
        return "done"
    now = now or clock.now()
    site = slot.episode.site
    if now >= slot.due_at + config.missed_after(site):
        return "missed"
    if now >= slot.due_at + config.overdue_after(site):
        return "overdue"
    return "due"


@dataclass(frozen=True)
class SlotView:
    slot: ScheduledCheckin
    status: str

    @property
    def is_open(self) -> bool:
        """The patient can do this one now (it is due today or late, not missed)."""
        return self.status in ("due", "overdue") and self.slot.due_at <= clock.now() + timedelta(
            days=1
        )


def schedule(episode: Episode) -> list[SlotView]:
    now = clock.now()
    slots = ScheduledCheckin.objects.filter(episode=episode).select_related("episode__site")
    return [SlotView(slot, slot_status(slot, now)) for slot in slots.order_by("due_at")]


def checkins(episode: Episode) -> QuerySet[Checkin]:
    return (
        Checkin.objects.filter(episode=episode)
        .select_related("scheduled")
        .order_by("-submitted_at")
    )


def checkin_for(user: User, checkin_id: UUID) -> Checkin:
    checkins = Checkin.objects.select_related("episode__patient", "episode__site", "scheduled")
    return record_for(user, checkins, checkin_id, Action.VIEW_EPISODE, episode=_episode)


def _episode(found: Checkin | Alert) -> Episode:
    return found.episode


def checkin_payload(checkin: Checkin) -> dict[str, Any]:
    # The alert the check-in raised or joined (a later red flag joins the open one).
    alert = checkin.grouped_alert_id
    return {
        "id": checkin.pk,
        "episode_id": checkin.episode_id,
        "submitted_at": checkin.submitted_at.isoformat(),
        "level": checkin.level,
        "reasons": checkin.reasons,
        "advice": checkin.advice,
        "ruleset_version": checkin.ruleset_version,
        "alert_id": alert,
        "scheduled_day": checkin.scheduled.day if checkin.scheduled else None,
    }


def level_rank_expression(field: str) -> Case:
    """A level as its rank in SQL (higher is more severe), in the order of Level."""
    return Case(
        *[When(**{field: level}, then=Value(level_rank(level))) for level in Level.values],
        default=Value(0),
        output_field=IntegerField(),
    )


def alert_worklist(user: User) -> QuerySet[Alert]:
    """Unresolved alerts of the user's sites: most severe first, then the oldest first.

    One row per patient's episode (a later red flag joins the open alert), plus
    a row for any message that could not be delivered.
    """
    return (
        Alert.objects.filter(
            site_id__in=site_ids_for(user, Action.HANDLE_ALERT), resolved_at__isnull=True
        )
        .select_related(
            "episode__patient", "episode__site", "acknowledged_by", "checkin", "failed_notification"
        )
        .prefetch_related(Prefetch("checkins", queryset=Checkin.objects.order_by("-submitted_at")))
        .annotate(severity_rank=level_rank_expression("severity"))
        .order_by("-severity_rank", "created_at", "id")
    )


def sites_missing_on_call(user: User) -> list[Site]:
    """The user's sites whose alerts have no on-call contact to reach (shown in red)."""
    return [site for site in user.sites.all() if not site.has_on_call]


def alert_checkins(alert: Alert) -> list[Checkin]:
    """The check-ins of the alert, newest first."""
    return list(alert.checkins.order_by("-submitted_at"))


def alert_for(user: User, alert_id: UUID) -> Alert:
    alerts = Alert.objects.select_related(
        "episode__patient",
        "episode__site",
        "checkin",
        "acknowledged_by",
        "resolved_by",
        "failed_notification__alert",
    )
    return record_for(user, alerts, alert_id, Action.HANDLE_ALERT, episode=_episode)


def _minutes(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"median": None, "p90": None}
    values = sorted(values)
    p90 = values[min(len(values) - 1, round(0.9 * (len(values) - 1)))]
    return {"median": round(statistics.median(values), 1), "p90": round(p90, 1)}


def response_times(user: User, *, days: int = 90) -> list[dict[str, Any]]:
    """Per severity: how fast alerts of the user's sites were acknowledged and resolved.

    Aggregates only (no patient), for the program lead.
    """
    since = clock.now() - timedelta(days=days)
    sites = site_ids_for(user, Action.VIEW_AGGREGATES)
    alerts = Alert.objects.filter(site_id__in=sites, created_at__gte=since).only(
        "severity", "created_at", "acknowledged_at", "resolved_at", "escalation_count"
    )
    rows = []
    for severity in (Level.EMERGENCY, Level.URGENT, Level.REVIEW):
        group = [a for a in alerts if a.severity == severity]
        ack = [
            (a.acknowledged_at - a.created_at).total_seconds() / 60
            for a in group
            if a.acknowledged_at
        ]
        res = [(a.resolved_at - a.created_at).total_seconds() / 60 for a in group if a.resolved_at]
        rows.append({
            "severity": severity.label,
            "total": len(group),
            "open": sum(1 for a in group if a.acknowledged_at is None),
            "escalated": sum(1 for a in group if a.escalation_count),
            "acknowledge": _minutes(ack),
            "resolve": _minutes(res),
        })  # fmt: skip
    return rows


def due_items(episode: Episode) -> list[DueItem]:
    """The check-in the patient can do now, for the patient's home (at most one)."""
    now = clock.now()
    open_slots = [v for v in schedule(episode) if v.is_open and v.slot.due_at <= now]
    if not open_slots:
        return []
    view = open_slots[0]
    return [
        DueItem(
            title=gettext("Today's recovery check-in"),
            url=reverse("recover:checkin", kwargs={"episode_id": episode.pk}),
            late=view.status == "overdue",
            detail=gettext("About two minutes."),
        )
    ]


def reason_labels(alert: Alert) -> list[str]:
    """The clinical labels of every reason of the alert's check-ins (prefetched), once each."""
    from endospine.recover.staff_words import staff_words

    words = staff_words()
    labels: dict[str, None] = {}
    for checkin in alert.checkins.all():
        for reason in checkin.reasons:
            labels[words.reason(reason["code"])] = None
    return list(labels)


def alert_badge(user: User) -> dict[str, Any]:
    """Unresolved alerts of the user's sites: how many, and the highest level among them."""
    site_ids = site_ids_for(user, Action.HANDLE_ALERT)
    found = Alert.objects.filter(site_id__in=site_ids, resolved_at__isnull=True).aggregate(
        count=Count("pk"), top=Max(level_rank_expression("severity"))
    )
    top = found["top"]
    return {"count": found["count"], "level": Level.values[top] if top is not None else ""}


def timeline_rows(episode: Episode) -> list[TimelineRow]:
    """Each check-in as a timeline row (read from the check-ins, not stored twice)."""
    found = Checkin.objects.filter(episode=episode).select_related("submitted_by")
    return [
        TimelineRow(
            at=c.submitted_at,
            kind="checkin_submitted",
            summary=f"{c.level} check-in",
            actor=c.submitted_by,
            data={"level": c.level, "checkin": str(c.pk)},
        )
        for c in found.only("id", "submitted_at", "level", "submitted_by")
    ]
