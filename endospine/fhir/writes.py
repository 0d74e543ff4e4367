"""POST QuestionnaireResponse: a patient's own PROM from an external app.

The response is scored and stored by the PROM step's own service
(`proms.services.response_submit`), exactly as if the patient had used the
EndoSpine form. A client identifier (in the resource or in If-None-Exist) makes
a retry return the first response instead of storing a second one.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from endospine.access import Action, can, visible_episodes
from endospine.accounts.models import Role
from endospine.core.errors import DomainError
from endospine.fhir import params
from endospine.fhir.auth import Caller
from endospine.fhir.models import ClientIdentifier
from endospine.fhir.outcome import FhirError, Issue
from endospine.journey.models import ACTIVE_STAGES, Episode
from endospine.proms.models import Instrument, Response
from endospine.proms.services import response_submit

QR = "QuestionnaireResponse"
EPISODE_EXTENSION = "https://endospine.invalid/fhir/StructureDefinition/episode-of-care"


def _issue(code: str, message: str, path: str = "") -> FhirError:
    return FhirError.one(code, message, f"{QR}.{path}" if path else QR)


def _instrument(data: dict[str, Any]) -> str:
    canonical = data.get("questionnaire")
    if not isinstance(canonical, str) or not canonical:
        raise _issue(
            "required", gettext("name the Questionnaire (its canonical URL)"), "questionnaire"
        )
    url, _sep, version = canonical.partition("|")
    for code, q_url, q_version in Instrument.objects.values_list(
        "code", "questionnaire__url", "questionnaire__version"
    ):
        if q_url == url and version in ("", q_version):
            return str(code)
    raise _issue(
        "value",
        gettext("no loaded Questionnaire is '%(url)s'") % {"url": canonical},
        "questionnaire",
    )


def _answers(data: dict[str, Any]) -> dict[str, Any]:
    items = data.get("item") or []
    if not isinstance(items, list):
        raise _issue("structure", gettext("item must be a list"), "item")
    answers: dict[str, Any] = {}
    for i, item in enumerate(items):
        link = item.get("linkId") if isinstance(item, dict) else None
        if not isinstance(link, str):
            raise _issue("required", gettext("each item needs a linkId"), f"item[{i}].linkId")
        given = item.get("answer") or []
        value = given[0].get("valueInteger") if given and isinstance(given[0], dict) else None
        if given and (not isinstance(value, int) or isinstance(value, bool)):
            raise _issue("value", gettext("answer with valueInteger"), f"item[{i}].answer[0]")
        answers[link] = value
    return answers


def _episode(caller: Caller, data: dict[str, Any]) -> Episode:
    if caller.user.role != Role.PATIENT:
        raise FhirError.one(
            "forbidden", gettext("only a patient's own token may submit their answers")
        )
    episodes = visible_episodes(caller.user).select_related("patient")
    subject = (data.get("subject") or {}).get("reference", "")
    patient_id = str(episodes.values_list("patient_id", flat=True).first() or "")
    if not subject or subject.rpartition("/")[2] != patient_id:
        raise _issue("forbidden", gettext("the subject must be the token's own Patient"), "subject")
    chosen = [
        ext.get("valueReference", {}).get("reference", "").rpartition("/")[2]
        for ext in data.get("extension") or []
        if isinstance(ext, dict) and ext.get("url") == EPISODE_EXTENSION
    ]
    found = episodes.filter(pk__in=chosen) if chosen else episodes.filter(stage__in=ACTIVE_STAGES)
    episode = found.order_by("-opened_on", "-id").first()
    if episode is None or not can(caller.user, Action.SUBMIT_PROM, episode):
        raise _issue("business-rule", gettext("there is no open episode to file these answers in"))
    return episode


def _identifier(data: dict[str, Any], if_none_exist: str) -> tuple[str, str] | None:
    if if_none_exist:
        name, _, value = if_none_exist.partition("=")
        if name != "identifier" or "|" not in value:
            raise FhirError.one(
                "invalid", gettext("If-None-Exist takes identifier=system|value"), "If-None-Exist"
            )
        system, code = params.parse_token(value)
        return system or "", code
    identifier = data.get("identifier")
    if isinstance(identifier, dict) and identifier.get("value"):
        return str(identifier.get("system", "")), str(identifier["value"])
    return None


def _earlier(caller: Caller, key: tuple[str, str] | None) -> Response | None:
    if key is None:
        return None
    target = ClientIdentifier.objects.filter(resource_type=QR, system=key[0], value=key[1])
    pk = target.values_list("target", flat=True).first()
    if pk is None:
        return None
    found = Response.objects.filter(pk=pk, episode__in=visible_episodes(caller.user).values("pk"))
    earlier = found.select_related("episode").first()
    if earlier is None:  # someone else's identifier: never reveal or reuse it
        raise _issue("duplicate", gettext("this identifier is already used"), "identifier")
    return earlier


def _domain_issues(exc: DomainError) -> list[Issue]:
    """The PROM service's (field, message) errors, with the element each one is about."""
    code = "business-rule" if exc.status == 422 else "conflict"
    issues = []
    for field, message in exc.errors:
        link = field.rpartition(".")[2]
        where = f"{QR}.item.where(linkId='{link}')" if field.startswith("answers") else QR
        issues.append(Issue(code, message, where))
    return issues


def questionnaire_response_create(
    *, caller: Caller, data: dict[str, Any], if_none_exist: str, request: HttpRequest
) -> tuple[bool, Response]:
    """Score and store the patient's answers; (False, earlier) when the identifier was seen."""
    if data.get("resourceType") != QR:
        raise FhirError.one(
            "invalid", gettext("the body must be a QuestionnaireResponse"), "resourceType"
        )
    if data.get("status") != "completed":
        raise _issue("business-rule", gettext("only completed responses are scored"), "status")
    key = _identifier(data, if_none_exist)
    earlier = _earlier(caller, key)
    if earlier is not None:
        return False, earlier
    instrument, answers, episode = _instrument(data), _answers(data), _episode(caller, data)
    try:
        with transaction.atomic():
            response = response_submit(
                episode=episode, instrument=instrument, answers=answers,
                actor=caller.user, request=request,
            )  # fmt: skip
            if key is not None:
                ClientIdentifier.objects.create(
                    resource_type=QR, system=key[0], value=key[1], target=response.pk
                )
    except DomainError as exc:
        raise FhirError(_domain_issues(exc), exc.status) from exc
    except IntegrityError:
        earlier = _earlier(caller, key)
        if earlier is None:
            raise
        return False, earlier
    return True, response
