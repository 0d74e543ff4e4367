"""Episodes: list, read, change stage."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict, field_validator

from endospine.access import Action, current_user, episode_for, sites_for
from endospine.accounts.models import SentLink, User
from endospine.audit.models import AuditAction
from endospine.audit.services import record_many
from endospine.core import paging
from endospine.core.errors import DomainError
from endospine.journey import registration, selectors, services
from endospine.journey.models import Episode, Stage

router = Router(tags=["episodes"])

# selectors.worklist's order; its last column is unique, so keyset pages never
# skip or repeat a row (index episode_site_order / episode_site_stage_order).
EPISODE_ORDER = ("-stage_changed_at", "-id")

StageCode = Literal["learn", "assess", "prepare", "operate", "recover", "complete", "cancelled"]


class PersonOut(Schema):
    id: UUID
    name: str


class EpisodeOut(Schema):
    id: UUID
    title: str
    stage: str
    site: UUID
    patient: PersonOut
    surgeon: PersonOut | None
    nurse: PersonOut | None
    opened_on: date
    surgery_date: date | None
    discharged_on: date | None
    stage_changed_at: datetime


class EventOut(Schema):
    at: datetime
    kind: str
    summary: str
    actor: str | None


class EpisodeDetailOut(EpisodeOut):
    timeline: list[EventOut]


class EpisodePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[EpisodeOut]
    next_cursor: str | None = Field(
        None, description="pass as `cursor` for the next page; null on the last page"
    )


class EpisodeFilters(Schema):
    stage: StageCode | None = None
    site: UUID | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(25, ge=1, le=settings.API_PAGE_SIZE_MAX)
    cursor: str | None = Field(
        None, max_length=paging.MAX_CURSOR, description="from `next_cursor`; `page` is then ignored"
    )


class StageChangeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    stage: StageCode
    reason: str = Field("", max_length=500)
    override_reason: str = Field("", max_length=500)


def _person(user: object) -> dict[str, object] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.display_name}  # type: ignore[attr-defined]


def episode_out(episode: Episode) -> dict[str, object]:
    return {
        "id": episode.pk,
        "title": episode.title,
        "stage": episode.stage,
        "site": episode.site_id,
        "patient": {"id": episode.patient.pk, "name": episode.patient.full_name},
        "surgeon": _person(episode.surgeon),
        "nurse": _person(episode.nurse),
        "opened_on": episode.opened_on,
        "surgery_date": episode.surgery_date,
        "discharged_on": episode.discharged_on,
        "stage_changed_at": episode.stage_changed_at,
    }


def _detail(episode: Episode) -> dict[str, object]:
    events = [
        {
            "at": e.at,
            "kind": e.kind,
            "summary": e.summary,
            "actor": e.actor.display_name if e.actor else None,
        }
        for e in selectors.timeline(episode)
    ]
    return {**episode_out(episode), "timeline": events}


@router.get("", response=EpisodePage, summary="List the episodes you may see")
def list_episodes(request: HttpRequest, filters: Query[EpisodeFilters]) -> dict[str, object]:
    episodes = selectors.worklist(
        request.user,
        stage=filters.stage or "",
        site_id=str(filters.site or ""),
    )
    page, next_cursor = _page(episodes, filters)
    record_many(
        request=request,
        action=AuditAction.READ,
        objs=list(page),
        patient_ids=[e.patient_id for e in page],
        detail="api list",
    )
    return {
        "count": episodes.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [episode_out(e) for e in page],
        "next_cursor": next_cursor,
    }


def _page(episodes: QuerySet[Episode], filters: EpisodeFilters) -> tuple[list[Episode], str | None]:
    """A keyset page when a cursor is given; else the OFFSET page (kept for old clients)."""
    if filters.cursor:
        found = paging.keyset_page(
            episodes, order=EPISODE_ORDER, size=filters.page_size, cursor=filters.cursor
        )
        return found.items, found.next_cursor
    start = (filters.page - 1) * filters.page_size
    rows = list(episodes[start : start + filters.page_size + 1])
    more = len(rows) > filters.page_size
    rows = rows[: filters.page_size]
    return rows, paging.next_cursor_after(rows, EPISODE_ORDER, more=more)


@router.get("/{episode_id}", response=EpisodeDetailOut, summary="Read one episode")
def read_episode(request: HttpRequest, episode_id: UUID) -> dict[str, object]:
    episode = episode_for(request.user, episode_id, Action.VIEW_EPISODE)
    return _detail(episode)


@router.post("/{episode_id}/stage", response=EpisodeDetailOut, summary="Change the stage")
def change_stage(
    request: HttpRequest, episode_id: UUID, payload: StageChangeIn
) -> dict[str, object]:
    episode = episode_for(request.user, episode_id, Action.CHANGE_STAGE)
    if payload.stage not in Stage.values:
        raise DomainError("stage", "unknown stage")
    episode = services.change_stage(
        episode=episode,
        to_stage=payload.stage,
        actor=current_user(request),
        reason=payload.reason,
        override_reason=payload.override_reason,
        request=request,
    )
    return _detail(episode)


class LinkSentOut(Schema):
    """That a one-time sign-in link went to the patient; never the link itself."""

    sent_at: datetime
    channel: Literal["email", "sms"]
    to: str  # masked: p***@example.org, ***99


def link_out(link: SentLink | None) -> dict[str, object] | None:
    if link is None:
        return None
    return {"sent_at": link.sent_at, "channel": link.channel, "to": link.masked_to}


@router.post(
    "/{episode_id}/patient/sign-in-link",
    response={201: LinkSentOut},
    summary="Send the patient a new one-time link to choose a password",
)
def send_sign_in_link(request: HttpRequest, episode_id: UUID) -> tuple[int, dict[str, object]]:
    episode = episode_for(request.user, episode_id, Action.HELP_PATIENT_SIGN_IN)
    link = registration.patient_link_send(
        patient=episode.patient, actor=current_user(request), request=request
    )
    return 201, link_out(link) or {}


@router.post(
    "/{episode_id}/patient/end-sessions",
    response={204: None},
    summary="Sign the patient out of every session",
)
def end_patient_sessions(request: HttpRequest, episode_id: UUID) -> tuple[int, None]:
    episode = episode_for(request.user, episode_id, Action.HELP_PATIENT_SIGN_IN)
    registration.patient_sessions_end(
        patient=episode.patient, actor=current_user(request), request=request
    )
    return 204, None


patients_router = Router(tags=["patients"])


class RegisterIn(Schema):
    model_config = ConfigDict(extra="forbid")

    site: UUID
    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    date_of_birth: date
    mrn: str = Field(min_length=1, max_length=40)
    username: str = Field(pattern=r"^[\w.@+-]{3,150}$")
    title: str = Field(min_length=1, max_length=200)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    surgeon: UUID | None = None
    nurse: UUID | None = None

    @field_validator("email")
    @classmethod
    def _valid_email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("enter a valid e-mail address") from None
        return value


class RegisteredOut(Schema):
    patient: PersonOut
    episode: EpisodeOut
    sign_in_link: LinkSentOut | None  # None: no e-mail or phone on file


def _staff_member(field: str, user_id: UUID | None) -> User | None:
    if user_id is None:
        return None
    found = User.objects.filter(pk=user_id).first()
    if found is None:
        raise DomainError(field, "no such staff member")
    return found


@patients_router.post(
    "", response={201: RegisteredOut}, summary="Register a patient and open their first episode"
)
def register_patient(request: HttpRequest, payload: RegisterIn) -> tuple[int, dict[str, object]]:
    user = current_user(request)
    site = sites_for(user, Action.REGISTER_PATIENT).filter(pk=payload.site).first()
    if site is None:
        raise DomainError("site", "you may only register patients at your own sites", status=403)
    fields = payload.dict(exclude={"site", "surgeon", "nurse"})
    data = registration.NewPatient(
        site=site,
        surgeon=_staff_member("surgeon", payload.surgeon),
        nurse=_staff_member("nurse", payload.nurse),
        **fields,
    )
    done = registration.patient_register(data=data, actor=user, request=request)
    return 201, {
        "patient": {"id": done.patient.pk, "name": done.patient.full_name},
        "episode": episode_out(done.episode),
        "sign_in_link": link_out(done.link),
    }
