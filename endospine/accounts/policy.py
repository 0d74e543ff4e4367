"""The one place that decides who may see and do what.

Every page and API endpoint asks this module; no view checks roles itself.

- A patient sees only their own episodes and acts only on their own items.
- Surgeons, nurses and coordinators see the episodes of their sites only.
- Program leads see aggregates, never an individual patient's record.
- Admins manage users and read the audit trail; they do not read records.

Records outside what a user may see are reported as "not found" (404), so a
refusal never reveals that a record exists.
"""

from enum import StrEnum
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from endospine.accounts.models import CLINICAL_ROLES, Role, Site, User
from endospine.journey.models import Episode

AnyUser = User | AnonymousUser


class Action(StrEnum):
    VIEW_EPISODE = "view_episode"
    CHANGE_STAGE = "change_stage"
    SUBMIT_INTAKE = "submit_intake"
    RECORD_ASSESSMENT = "record_assessment"
    DECIDE_ASSESSMENT = "decide_assessment"
    TICK_PATIENT_ITEM = "tick_patient_item"
    VERIFY_STAFF_ITEM = "verify_staff_item"
    OVERRIDE_GATE = "override_gate"
    WRITE_OPERATIVE_RECORD = "write_operative_record"
    RECORD_DISCHARGE = "record_discharge"
    SUBMIT_CHECKIN = "submit_checkin"
    HANDLE_ALERT = "handle_alert"
    VIEW_WORKLIST = "view_worklist"
    REGISTER_PATIENT = "register_patient"
    VIEW_AGGREGATES = "view_aggregates"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    RECORD_ADVERSE_EVENT = "record_adverse_event"
    VERIFY_OUTCOMES = "verify_outcomes"
    WORK_FOLLOWUP = "work_followup"


# Which staff roles may take each action on an episode of their own sites.
_SURGEON_ONLY = frozenset({Role.SURGEON})
_CARE_TEAM = CLINICAL_ROLES
_EPISODE_ACTIONS: dict[Action, frozenset[str]] = {
    Action.VIEW_EPISODE: _CARE_TEAM,
    Action.CHANGE_STAGE: _CARE_TEAM,
    Action.SUBMIT_INTAKE: _CARE_TEAM,
    Action.RECORD_ASSESSMENT: _CARE_TEAM,
    Action.DECIDE_ASSESSMENT: _SURGEON_ONLY,
    Action.TICK_PATIENT_ITEM: _CARE_TEAM,
    Action.VERIFY_STAFF_ITEM: _CARE_TEAM,
    Action.OVERRIDE_GATE: _SURGEON_ONLY,
    Action.WRITE_OPERATIVE_RECORD: _SURGEON_ONLY,
    Action.RECORD_DISCHARGE: frozenset({Role.SURGEON, Role.NURSE}),
    Action.SUBMIT_CHECKIN: _CARE_TEAM,
    Action.HANDLE_ALERT: _CARE_TEAM,
    Action.RECORD_ADVERSE_EVENT: _CARE_TEAM,
    Action.WORK_FOLLOWUP: _CARE_TEAM,
}
# What a patient may do on their own episode.
_PATIENT_ACTIONS = frozenset(
    {Action.VIEW_EPISODE, Action.SUBMIT_INTAKE, Action.TICK_PATIENT_ITEM, Action.SUBMIT_CHECKIN}
)
# Actions that are not about one episode.
_GLOBAL_ACTIONS: dict[Action, frozenset[str]] = {
    Action.VIEW_WORKLIST: _CARE_TEAM,
    Action.REGISTER_PATIENT: _CARE_TEAM,
    Action.HANDLE_ALERT: _CARE_TEAM,
    Action.VIEW_AGGREGATES: frozenset({Role.PROGRAM_LEAD, Role.SURGEON}),
    Action.VIEW_AUDIT: frozenset({Role.ADMIN}),
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.VERIFY_OUTCOMES: _SURGEON_ONLY,
    Action.WORK_FOLLOWUP: _CARE_TEAM,
}


def signed_in(user: AnyUser) -> User | None:
    """The user when signed in and active, else None."""
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def current_user(request: HttpRequest) -> User:
    """The signed-in user of a request that passed authentication."""
    user = signed_in(request.user)
    if user is None:
        raise PermissionDenied("not signed in")
    return user


def visible_episodes(any_user: AnyUser) -> QuerySet[Episode]:
    """The episodes this user may open, as a queryset to filter further."""
    user = signed_in(any_user)
    if user is None:
        return Episode.objects.none()
    if user.role == Role.PATIENT:
        return Episode.objects.filter(patient__user=user)
    if user.role in CLINICAL_ROLES:
        # Resolve the sites first: a literal IN list lets the database walk the
        # (site, order) index instead of sorting every episode.
        site_ids = list(user.memberships.values_list("site_id", flat=True))
        return Episode.objects.filter(site_id__in=site_ids)
    return Episode.objects.none()


def can(any_user: AnyUser, action: Action, episode: Episode | None = None) -> bool:
    """True when the user may take the action (on the episode, if one is given)."""
    user = signed_in(any_user)
    if user is None:
        return False
    if episode is None:
        return user.role in _GLOBAL_ACTIONS.get(action, frozenset())
    if user.role == Role.PATIENT:
        return action in _PATIENT_ACTIONS and episode.patient.user_id == user.pk
    if user.role not in _EPISODE_ACTIONS.get(action, frozenset()):
        return False
    return user.sites.filter(pk=episode.site_id).exists()


def sites_for(any_user: AnyUser, action: Action) -> QuerySet[Site]:
    """The sites at which the user may take a site-wide action (e.g. register a patient)."""
    user = signed_in(any_user)
    if user is None or not can(user, action):
        return Site.objects.none()
    return Site.objects.filter(memberships__user=user)


def require(user: AnyUser, action: Action, episode: Episode | None = None) -> None:
    if not can(user, action, episode):
        raise PermissionDenied(action.value)


def episode_for(user: AnyUser, episode_id: UUID | str, action: Action) -> Episode:
    """The episode if the user may see it and take the action; 404 or 403 otherwise."""
    episode = visible_episodes(user).select_related("patient", "site").filter(pk=episode_id).first()
    if episode is None:
        raise Http404("episode not found")
    require(user, action, episode)
    return episode
