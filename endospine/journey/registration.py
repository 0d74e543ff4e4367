"""Registering a patient and opening their first episode.

The patient gets an account with no usable password and a one-time link to
choose one (Django's password-reset tokens): staff never see or set a
patient's password.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from endospine.access import Action, sites_for
from endospine.accounts.models import Role, Site, User
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
    set_password_path: str


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


def set_password_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:set_password", kwargs={"uidb64": uid, "token": token})


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
    path = set_password_path(user)
    if data.email:
        _send_welcome(data, request, path)
    return Registered(patient=patient, episode=episode, set_password_path=path)


def _send_welcome(data: NewPatient, request: HttpRequest | None, path: str) -> None:
    link = request.build_absolute_uri(path) if request else path
    send_mail(
        subject=f"Your {data.site.name} account",
        message=(
            f"Your care team at {data.site.name} has set up your EndoSpine account.\n"
            f"Your username is {data.username}. Choose your password here: {link}\n"
            f"In an emergency call {data.site.emergency_number}."
        ),
        from_email=None,
        recipient_list=[data.email],
    )
