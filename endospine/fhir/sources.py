"""Where each FHIR resource type comes from: access-scoped querysets and their search fields.

A resource type has one or more Sources (Observation has four: temperature,
back pain and leg pain from check-ins, and PROM scores). Every queryset starts
from the access policy (`visible_episodes`, `sites_for`), so a token reaches
exactly what its user could open in the pages.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet

from endospine.access import Action, sites_for, visible_episodes
from endospine.accounts.models import CLINICAL_ROLES, Role, Site, User
from endospine.fhir import codes, mapping
from endospine.journey.models import Episode, Patient
from endospine.operate.models import Discharge, OperativeRecord
from endospine.prepare.models import Checklist
from endospine.proms.models import Instrument, Response, Timepoint
from endospine.recover.models import Alert, Checkin, ScheduledCheckin


def uuid_or_none(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def _suffixed(slug: str) -> Callable[[str], UUID | None]:
    """Ids like '<uuid>.temperature' for the Observations a check-in yields."""

    def parse(text: str) -> UUID | None:
        head, _, tail = text.partition(".")
        return uuid_or_none(head) if tail == slug else None

    return parse


@dataclass(frozen=True)
class Source:
    resource: str
    queryset: Callable[[User], QuerySet[Any]]
    to_fhir: Callable[[Any, str], dict[str, Any]]
    # Pages follow the primary key: stable, and an index every table has, so a
    # page never sorts a whole site's rows.
    order: tuple[str, ...]
    pk_of: Callable[[str], Any] = uuid_or_none
    patient: str | None = None  # lookup to the patient id; None: not patient data
    date: str | None = None
    updated: str | None = None
    status: Callable[[str], Q | None] | None = None
    codes: tuple[tuple[str, str], ...] = ()  # (system, code) every row carries
    code_field: str | None = None  # a field holding a local code, for `code` search
    code_system: str = ""

    def patient_id(self, row: Any) -> UUID | None:
        if self.patient is None:
            return None
        value = row
        for part in self.patient.split("__"):
            value = getattr(value, part)
        return value


def _episodes(user: User) -> QuerySet[Episode]:
    """The policy's episodes, resolved once per user object (a request, or an export)."""
    cached: QuerySet[Episode] | None = getattr(user, "_fhir_visible_episodes", None)
    if cached is None:
        cached = visible_episodes(user)
        user._fhir_visible_episodes = cached  # type: ignore[attr-defined]
    return cached.all()


def _in_episodes(model: Any, user: User, *related: str) -> QuerySet[Any]:
    return model.objects.filter(episode__in=_episodes(user).values("pk")).select_related(*related)


def _patients(user: User) -> QuerySet[Patient]:
    # EXISTS rather than IN: a page walks the primary key and stops after 50 rows.
    visible = Exists(_episodes(user).filter(patient_id=OuterRef("pk")))
    return Patient.objects.filter(visible).select_related("site")


def _practitioners(user: User) -> QuerySet[User]:
    if user.role == Role.PATIENT:
        team = _episodes(user)
        ids = Q(pk__in=team.values("surgeon_id")) | Q(pk__in=team.values("nurse_id"))
        return User.objects.filter(ids, role__in=CLINICAL_ROLES)
    sites = sites_for(user, Action.VIEW_WORKLIST)
    colleagues = User.objects.filter(memberships__site__in=sites).values("pk")
    return User.objects.filter(pk__in=colleagues, role__in=CLINICAL_ROLES)


def _organizations(user: User) -> QuerySet[Site]:
    if user.role == Role.PATIENT:
        return Site.objects.filter(pk__in=_episodes(user).values("site_id"))
    return sites_for(user, Action.VIEW_WORKLIST)


def _with_schedule(user: User) -> QuerySet[Episode]:
    has_tp = Exists(Timepoint.objects.filter(episode=OuterRef("pk")))
    has_ci = Exists(ScheduledCheckin.objects.filter(episode=OuterRef("pk")))
    return (
        _episodes(user)
        .filter(has_tp | has_ci)
        .prefetch_related("prom_timepoints", "scheduled_checkins")
    )


def _checkins(key: str) -> Callable[[User], QuerySet[Checkin]]:
    def queryset(user: User) -> QuerySet[Checkin]:
        # Only what the mapping reads: bulk export streams millions of these.
        rows = _in_episodes(Checkin, user, "episode").filter(answers__has_key=key)
        return rows.only("id", "answers", "submitted_at", "episode__id", "episode__patient_id")

    return queryset


_EPISODE_STATUS = {
    fhir: Q(stage__in=[s for s, f in mapping.EPISODE_STATUS.items() if f == fhir])
    for fhir in set(mapping.EPISODE_STATUS.values())
}
_FLAG_STATUS = {"active": Q(resolved_at__isnull=True), "inactive": Q(resolved_at__isnull=False)}
_DONE = {"completed": Q(signed_at__isnull=False), "in-progress": Q(signed_at__isnull=True)}


def _checkin_source(key: str, spec: dict[str, Any]) -> Source:
    coding = codes.coding(spec["code"])
    return Source(
        "Observation",
        _checkins(key),
        lambda row, base: mapping.checkin_observation(row, key, base),
        ("pk",),
        pk_of=_suffixed(spec["slug"]),
        patient="episode__patient_id",
        date="submitted_at",
        updated="submitted_at",
        status=lambda v: Q() if v == "final" else None,
        codes=((coding["system"], coding["code"]),),
    )


def _prom_score_source(instrument: str, spec: dict[str, Any]) -> Source:
    coding = codes.coding(spec["code"])
    return Source(
        "Observation",
        lambda user: _in_episodes(Response, user, "episode", "author").filter(
            instrument=instrument, score__isnull=False
        ),
        mapping.prom_observation,
        ("pk",),
        patient="episode__patient_id",
        date="authored_at",
        updated="authored_at",
        status=lambda v: Q() if v == "final" else None,
        codes=((coding["system"], coding["code"]),),
    )


def build() -> dict[str, list[Source]]:
    """Every supported resource type and its sources, in the order pages list them."""
    observations = [_checkin_source(k, s) for k, s in codes.checkin_observations().items()]
    observations += [_prom_score_source(k, s) for k, s in codes.prom_scores().items()]
    return {
        "Patient": [
            Source("Patient", _patients, mapping.patient, ("pk",),
                   patient="pk", updated="created_at"),
        ],
        "Practitioner": [
            Source("Practitioner", _practitioners, mapping.practitioner, ("pk",),
                   updated="date_joined"),
        ],
        "Organization": [
            Source("Organization", _organizations, mapping.organization, ("pk",)),
        ],
        "EpisodeOfCare": [
            Source("EpisodeOfCare", lambda u: _episodes(u), mapping.episode_of_care,
                   ("pk",), patient="patient_id", date="opened_on",
                   updated="updated_at", status=_EPISODE_STATUS.get),
        ],
        "Condition": [
            Source("Condition",
                   lambda u: _episodes(u).select_related("operative_record", "fhir_referral"),
                   mapping.condition, ("pk",), patient="patient_id",
                   date="opened_on", updated="updated_at"),
        ],
        "Procedure": [
            Source("Procedure", lambda u: _in_episodes(OperativeRecord, u, "episode"),
                   mapping.procedure, ("pk",), patient="episode__patient_id",
                   date="operation_date", updated="updated_at", status=_DONE.get),
        ],
        "Observation": observations,
        "Questionnaire": [
            Source("Questionnaire", lambda u: Instrument.objects.all(), mapping.questionnaire,
                   ("code",), pk_of=_instrument_pk, updated="loaded_at",
                   status=lambda v: Q() if v == "active" else None,
                   code_field="code", code_system="instrument"),
        ],
        "QuestionnaireResponse": [
            Source("QuestionnaireResponse",
                   lambda u: _in_episodes(Response, u, "episode"),
                   mapping.questionnaire_response, ("pk",),
                   patient="episode__patient_id", date="authored_at", updated="authored_at",
                   status=lambda v: Q() if v == "completed" else None,
                   code_field="instrument", code_system="instrument"),
        ],
        "CarePlan": [
            Source("CarePlan",
                   lambda u: _in_episodes(Checklist, u, "episode").prefetch_related("items"),
                   mapping.checklist_care_plan, ("pk",),
                   patient="episode__patient_id", date="created_at", updated="created_at"),
            Source("CarePlan", _with_schedule, mapping.follow_up_care_plan,
                   ("pk",), patient="patient_id", updated="updated_at"),
        ],
        "Flag": [
            Source("Flag", lambda u: _in_episodes(Alert, u, "episode"), mapping.flag,
                   ("pk",), patient="episode__patient_id", date="created_at",
                   updated="created_at", status=_FLAG_STATUS.get),
        ],
        "DocumentReference": [
            Source("DocumentReference", lambda u: _in_episodes(Discharge, u, "episode"),
                   mapping.discharge_document, ("pk",),
                   patient="episode__patient_id", date="recorded_at", updated="recorded_at",
                   status=lambda v: Q() if v == "current" else None),
            Source("DocumentReference", lambda u: _in_episodes(OperativeRecord, u, "episode"),
                   mapping.operative_note_document, ("pk",),
                   patient="episode__patient_id", date="updated_at", updated="updated_at",
                   status=lambda v: Q() if v == "current" else None),
        ],
    }  # fmt: skip


def _instrument_pk(text: str) -> Any:
    for url, code in Instrument.objects.values_list("questionnaire__url", "code"):
        if mapping.questionnaire_id(str(url)) == text:
            return Instrument.objects.get(code=code).pk
    return None
