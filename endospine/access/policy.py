"""The one place that decides who may see and do what, and audits the reads it allows.

- A patient sees only their own episodes and acts only on their own items.
- Surgeons, nurses and coordinators see the episodes of their sites only.
- Program leads see aggregates, never an individual patient's record.
- Admins manage users and read the audit trail; they do not read records.

Records outside what a user may see are reported as "not found" (404), so a
refusal never reveals that a record exists. Fetching a record for a page or an
endpoint (`episode_for`, `record_for`) is also where its read is audited: one
row per record per GET, and one row for every refusal (without PHI).
"""

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from endospine.access.context import current_request
from endospine.access.rules import EPISODE_ACTIONS, GLOBAL_ACTIONS, PATIENT_ACTIONS, Action
from endospine.accounts.identity import AnyUser, signed_in
from endospine.accounts.models import CLINICAL_ROLES, Membership, Role, Site, User
from endospine.audit.models import AuditAction, AuditEvent
from endospine.audit.services import client_address, record
from endospine.journey.models import Episode

M = TypeVar("M", bound=models.Model)
_SITES_ATTR = "_access_site_ids"
_AUDITED_ATTR = "_access_audited"
SAFE_METHODS = frozenset({"GET", "HEAD"})


def site_ids(user: User) -> list[Any]:
    """The ids of the user's sites, read from the database once per user object.

    A request has one user object, so this is one query per request however
    many checks the page makes.
    """
    cached = getattr(user, _SITES_ATTR, None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).values_list("site_id", flat=True))
        setattr(user, _SITES_ATTR, cached)
    return list(cached)


def site_ids_for(any_user: AnyUser, action: Action) -> list[Any]:
    """The sites at which the user may take a site-wide action, as ids to filter by."""
    user = signed_in(any_user)
    if user is None or not can(user, action):
        return []
    return site_ids(user)


def sites_for(any_user: AnyUser, action: Action) -> QuerySet[Site]:
    """The sites at which the user may take a site-wide action (e.g. register a patient)."""
    return Site.objects.filter(pk__in=site_ids_for(any_user, action))


def visible_episodes(any_user: AnyUser) -> QuerySet[Episode]:
    """The episodes this user may open, as a queryset to filter further."""
    user = signed_in(any_user)
    if user is None:
        return Episode.objects.none()
    if user.role == Role.PATIENT:
        return Episode.objects.filter(patient__user=user)
    if user.role in CLINICAL_ROLES:
        # A literal IN list lets the database walk the (site, order) index
        # instead of sorting every episode.
        return Episode.objects.filter(site_id__in=site_ids(user))
    return Episode.objects.none()


def can(any_user: AnyUser, action: Action, episode: Episode | None = None) -> bool:
    """True when the user may take the action (on the episode, if one is given)."""
    user = signed_in(any_user)
    if user is None:
        return False
    if episode is None:
        return user.role in GLOBAL_ACTIONS.get(action, frozenset())
    if user.role == Role.PATIENT:
        return action in PATIENT_ACTIONS and episode.patient.user_id == user.pk
    if user.role not in EPISODE_ACTIONS.get(action, frozenset()):
        return False
    return episode.site_id in site_ids(user)


def holds(any_user: AnyUser, action: Action) -> bool:
    """True when the user's role holds the action at all (where is for `can` to say).

    For services, as a guard behind the view's `episode_for`/`require`: they
    ask the permission table instead of comparing roles themselves.
    """
    user = signed_in(any_user)
    if user is None:
        return False
    if user.role == Role.PATIENT:
        return action in PATIENT_ACTIONS
    roles = EPISODE_ACTIONS.get(action, frozenset()) | GLOBAL_ACTIONS.get(action, frozenset())
    return user.role in roles


def require(user: AnyUser, action: Action, episode: Episode | None = None) -> None:
    """Raise PermissionDenied (403) unless the user may take the action."""
    if not can(user, action, episode):
        if episode is None:  # a page or endpoint refused, not a record: name the action
            _audit_refusal(user, action, None, 403, record_type="access.action", pk=action.value)
        else:
            _audit_refusal(user, action, episode, 403)
        raise PermissionDenied(action.value)


def episode_for(user: AnyUser, episode_id: UUID | str, action: Action) -> Episode:
    """The episode if the user may see it and take the action; 404 or 403 otherwise.

    On a GET this writes the read-audit row for the episode.
    """
    episode = visible_episodes(user).select_related("patient", "site").filter(pk=episode_id).first()
    if episode is None:
        _audit_refusal(user, action, None, 404, record_type="journey.episode", pk=episode_id)
        raise Http404("episode not found")
    require(user, action, episode)
    audit_read(episode, episode.patient_id)
    return episode


def record_for(
    user: AnyUser,
    queryset: QuerySet[M],
    pk: UUID | str,
    action: Action,
    *,
    episode: Callable[[M], Episode],
) -> M:
    """A record that belongs to an episode, if the user may take the action on that episode.

    Anything else is 404, whether the record is missing or out of reach. On a
    GET this writes the read-audit row for the record.
    """
    found = queryset.filter(pk=pk).first()
    if found is None or not can(user, action, episode(found)):
        label = queryset.model._meta.label_lower
        _audit_refusal(user, action, None, 404, record_type=label, pk=pk)
        raise Http404("not found")
    audit_read(found, episode(found).patient_id)
    return found


def audit_read(obj: models.Model, patient_id: UUID | None) -> None:
    """Audit a read of one record by the current request, once per record per GET."""
    request = current_request()
    if request is None or request.method not in SAFE_METHODS:
        return
    key = (obj._meta.label_lower, str(obj.pk))
    done: set[tuple[str, str]] = getattr(request, _AUDITED_ATTR, set())
    if key in done:
        return
    done.add(key)
    setattr(request, _AUDITED_ATTR, done)
    record(
        request=request,
        action=AuditAction.READ,
        obj=obj,
        patient_id=patient_id,
        detail=_route(request),
    )


def _route(request: Any) -> str:
    """What was opened: method and URL pattern (never the path itself, nor its query)."""
    match = getattr(request, "resolver_match", None)
    route = match.route if match is not None else ""
    return f"{request.method} /{route}"


def _audit_refusal(
    user: AnyUser,
    action: Action,
    episode: Episode | None,
    status: int,
    *,
    record_type: str = "journey.episode",
    pk: object = None,
) -> None:
    """Audit a refused access to a record (ASVS 16.3.2). No patient id: it may not exist."""
    request = current_request()
    if request is None:
        return
    record_id = str(episode.pk if episode is not None else pk)[:64]
    actor = signed_in(user)
    AuditEvent.objects.create(
        actor=actor,
        actor_label=actor.username if actor else "anonymous",
        action=AuditAction.DENIED,
        record_type=record_type,
        record_id=record_id,
        patient_id=None,
        address=client_address(request),
        detail=f"{status} {action.value} {_route(request)}"[:200],
    )
