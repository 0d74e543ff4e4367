"""Registering a patient and opening their first episode.

The patient gets an account with no usable password, and a one-time link to
choose one goes to their own e-mail (else phone): staff never see the link,
nor see or set the password; they see that it was sent, and can send a new one.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from endospine.access import Action, sites_for
from endospine.accounts import links, services
from endospine.accounts.models import LinkPurpose, Role, SentLink, Site, User
from endospine.audit.models import AuditAction
from endospine.audit.services import record
from endospine.core.errors import DomainError
from endospine.journey.models import Episode, Patient
from endospine.journey.services import record_event


@dataclass(frozen=True)
class NewPatient:
    site: Site
    given_name: str
    family_name: str
    date_of_birth: date
    mrn: str
    username: str
    title: str
    phone: str = ""
    email: str = ""
    surgeon: User | None = None
    nurse: User | None = None


@dataclass(frozen=True)
class Registered:
    patient: Patient
    episode: Episode
    link: SentLink | None  # None when the patient has no e-mail or phone


def _check(data: NewPatient, actor: User) -> None:
    errors: list[tuple[str, str]] = []
    if not sites_for(actor, Action.REGISTER_PATIENT).filter(pk=data.site.pk).exists():
        raise DomainError("site", "you may only register patients at your own sites", status=403)
    if not date(1900, 1, 1) <= data.date_of_birth <= date.today():
        errors.append(("date_of_birth", "enter a date of birth in the past"))
    if Patient.objects.filter(site=data.site, mrn=data.mrn).exists():
        errors.append(("mrn", "a patient with this record number already exists at this site"))
    if User.objects.filter(username__iexact=data.username).exists():
        errors.append(("username", "this username is taken"))
    for field, person, role in (
        ("surgeon", data.surgeon, Role.SURGEON),
        ("nurse", data.nurse, Role.NURSE),
    ):
        if person and (person.role != role or not person.sites.filter(pk=data.site.pk).exists()):
            errors.append((field, f"choose a {role} of this site"))
    if errors:
        raise DomainError.many(errors)


@transaction.atomic
def patient_register(*, data: NewPatient, actor: User, request: HttpRequest | None) -> Registered:
    """Create the patient's account, record and first episode (stage `learn`)."""
    _check(data, actor)
    user = User.objects.create_user(
        username=data.username,
        email=data.email,
        role=Role.PATIENT,
        first_name=data.given_name,
        last_name=data.family_name,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    patient = Patient.objects.create(
        user=user,
        site=data.site,
        mrn=data.mrn,
        given_name=data.given_name,
        family_name=data.family_name,
        date_of_birth=data.date_of_birth,
        phone=data.phone,
        email=data.email,
    )
    episode = Episode.objects.create(
        patient=patient, site=data.site, title=data.title, surgeon=data.surgeon, nurse=data.nurse
    )
    record_event(episode=episode, kind="episode_opened", summary="Episode opened", actor=actor)
    record(
        request=request,
        action=AuditAction.CREATE,
        obj=patient,
        patient_id=patient.pk,
        actor=actor,
        detail="registered",
    )
    record(
        request=request,
        action=AuditAction.CREATE,
        obj=episode,
        patient_id=patient.pk,
        actor=actor,
        detail="opened",
    )
    link = links.link_send(
        user=user, purpose=LinkPurpose.SET_PASSWORD, request=request, actor=actor
    )
    return Registered(patient=patient, episode=episode, link=link)


def last_link(patient: Patient) -> SentLink | None:
    """The latest set-password link sent to the patient (what staff may see of it)."""
    return links.last_sent(patient.user) if patient.user else None


def patient_link_send(*, patient: Patient, actor: User, request: HttpRequest | None) -> SentLink:
    """Send the patient a new one-time link to choose a password; audited."""
    link = None
    if patient.user is not None:
        link = links.link_send(
            user=patient.user, purpose=LinkPurpose.SET_PASSWORD, request=request, actor=actor
        )
    if link is None:
        raise DomainError("contact", _("the patient has no e-mail address or phone number"))
    return link


def patient_sessions_end(*, patient: Patient, actor: User, request: HttpRequest | None) -> None:
    """Sign the patient out of every session (a lost phone, a shared computer)."""
    if patient.user is not None:
        services.sessions_end(user=patient.user, actor=actor, request=request)
