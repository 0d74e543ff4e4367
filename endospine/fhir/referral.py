"""POST /fhir/R4 with a transaction Bundle: a referral from the hospital's record.

The Bundle holds one Patient, one Condition and one ServiceRequest. The Patient
is matched on the site's record-number identifier (never duplicated); the
ServiceRequest's code says whether the new episode opens at `learn` or
`assess`. Everything is checked first and every problem is reported at once,
naming the entry and the element; then all is written in one transaction or
nothing is.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from endospine.access import Action, sites_for
from endospine.accounts.models import Site
from endospine.audit.models import AuditAction
from endospine.audit.services import record
from endospine.core.errors import DomainError
from endospine.fhir import codes, mapping
from endospine.fhir.auth import Caller
from endospine.fhir.models import ClientIdentifier, Referral
from endospine.fhir.outcome import FhirError, Issue
from endospine.journey.models import Episode, Patient, Stage
from endospine.journey.registration import NewPatient, patient_register
from endospine.journey.services import change_stage, record_event
from endospine.operate import validation as vocab

TYPES = ("Patient", "Condition", "ServiceRequest")


@dataclass
class Plan:
    """What a valid Bundle asks for, gathered while checking it."""

    issues: list[Issue] = field(default_factory=list)
    entries: dict[str, tuple[int, dict[str, Any], str]] = field(default_factory=dict)
    site: Site | None = None
    mrn: str = ""
    stage: str = Stage.LEARN
    coding: list[dict[str, str]] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    service: tuple[str, str] | None = None

    def fail(self, index: int | None, path: str, message: str, code: str = "invalid") -> None:
        where = "Bundle" if index is None else f"Bundle.entry[{index}].resource"
        self.issues.append(Issue(code, message, f"{where}.{path}" if path else where))


def _entries(bundle: dict[str, Any], plan: Plan) -> None:
    if bundle.get("resourceType") != "Bundle" or bundle.get("type") != "transaction":
        plan.fail(None, "type", gettext("send a Bundle of type 'transaction'"))
        return
    for i, entry in enumerate(bundle.get("entry") or []):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if not isinstance(resource, dict) or kind not in TYPES:
            plan.fail(
                i,
                "resourceType",
                gettext("a referral holds only %(types)s") % {"types": ", ".join(TYPES)},
                "not-supported",
            )
        elif kind in plan.entries:
            plan.fail(
                i,
                "resourceType",
                gettext("send one %(type)s only") % {"type": kind},
                "business-rule",
            )
        elif (entry.get("request") or {}).get("method") != "POST":
            plan.fail(i, "", gettext("each entry needs request.method POST"))
            plan.issues[-1] = Issue(
                "invalid", plan.issues[-1].diagnostics, f"Bundle.entry[{i}].request.method"
            )
        else:
            plan.entries[kind] = (i, resource, str(entry.get("fullUrl") or ""))
    for kind in TYPES:
        if kind not in plan.entries:
            plan.fail(
                None, "entry", gettext("the referral needs a %(type)s") % {"type": kind}, "required"
            )


def _site(caller: Caller, plan: Plan) -> None:
    index, service, _ = plan.entries["ServiceRequest"]
    sites = list(sites_for(caller.user, Action.REGISTER_PATIENT))
    wanted = [p.get("reference", "").rpartition("/")[2] for p in service.get("performer") or []]
    if wanted:
        sites = [s for s in sites if str(s.pk) in wanted]
    if len(sites) == 1:
        plan.site = sites[0]
    else:
        message = gettext("name the site (an Organization you belong to) in performer")
        plan.fail(
            index, "performer", message, "business-rule" if not sites or wanted else "required"
        )


def _patient(plan: Plan) -> None:
    index, patient, _ = plan.entries["Patient"]
    system = mapping.mrn_system(plan.site) if plan.site else None
    mrns = [i.get("value") for i in patient.get("identifier") or [] if i.get("system") == system]
    if not mrns or not isinstance(mrns[0], str) or not mrns[0].strip():
        plan.fail(
            index,
            "identifier",
            gettext("give the record number with system '%(system)s'") % {"system": system},
            "required",
        )
        return
    plan.mrn = mrns[0].strip()
    if plan.site and Patient.objects.filter(site=plan.site, mrn=plan.mrn).exists():
        return  # matched: the existing record is kept as it is
    name = (patient.get("name") or [{}])[0]
    if not name.get("family") or not (name.get("given") or [None])[0]:
        plan.fail(
            index, "name", gettext("a new patient needs a family and a given name"), "required"
        )
    try:
        date.fromisoformat(str(patient.get("birthDate")))
    except ValueError:
        plan.fail(
            index, "birthDate", gettext("a new patient needs a birth date (YYYY-MM-DD)"), "required"
        )


def _subject(plan: Plan, kind: str) -> None:
    index, resource, _ = plan.entries[kind]
    patient_url = plan.entries["Patient"][2]
    if (resource.get("subject") or {}).get("reference") != patient_url or not patient_url:
        plan.fail(index, "subject", gettext("refer to the Bundle's Patient entry by its fullUrl"))


def _condition(plan: Plan) -> None:
    index, condition, _ = plan.entries["Condition"]
    coding = [
        c
        for c in (condition.get("code") or {}).get("coding") or []
        if c.get("system") and c.get("code")
    ]
    if not coding:
        plan.fail(
            index, "code", gettext("code the diagnosis (a Coding with system and code)"), "required"
        )
    plan.coding = [
        {k: str(c[k]) for k in ("system", "code", "display") if c.get(k)} for c in coding
    ]
    for j, site in enumerate(condition.get("bodySite") or []):
        for c in site.get("coding") or []:
            if c.get("system") == codes.local_system("spinal-level"):
                if c.get("code") not in vocab.LEVELS:
                    plan.fail(
                        index,
                        f"bodySite[{j}]",
                        gettext("'%(code)s' is not a spinal level") % {"code": c.get("code")},
                    )
                else:
                    plan.levels.append(str(c["code"]))
    _subject(plan, "Condition")


def _service(plan: Plan) -> None:
    index, service, _ = plan.entries["ServiceRequest"]
    stage = None
    for c in (service.get("code") or {}).get("coding") or []:
        stage = stage or codes.referral_stage(str(c.get("system")), str(c.get("code")))
    if stage is None:
        known = ", ".join(codes.load()["referral_codes"]["codes"])
        plan.fail(
            index,
            "code",
            gettext("code the request with %(system)s: %(codes)s")
            % {"system": codes.local_system("referral"), "codes": known},
        )
    plan.stage = stage or Stage.LEARN
    if service.get("intent") not in ("proposal", "plan", "order"):
        plan.fail(index, "intent", gettext("intent must be proposal, plan or order"), "required")
    identifier = (service.get("identifier") or [{}])[0]
    if identifier.get("value"):
        plan.service = (str(identifier.get("system", "")), str(identifier["value"]))
    _subject(plan, "ServiceRequest")


def check(caller: Caller, bundle: dict[str, Any]) -> Plan:
    plan = Plan()
    _entries(bundle, plan)
    if set(plan.entries) == set(TYPES):
        _site(caller, plan)
        _patient(plan)
        _condition(plan)
        _service(plan)
    return plan


def _title(plan: Plan) -> str:
    first = plan.coding[0] if plan.coding else {}
    levels = " ".join(plan.levels)
    return f"{first.get('display') or first.get('code', '')} {levels}".strip()[:200]


def _new_episode(patient: Patient, plan: Plan, caller: Caller, request: HttpRequest) -> Episode:
    episode = Episode.objects.create(patient=patient, site=patient.site, title=_title(plan))
    record_event(
        episode=episode, kind="episode_opened", summary="Episode opened", actor=caller.user
    )
    record(request=request, action=AuditAction.CREATE, obj=episode, patient_id=patient.pk,
           actor=caller.user, detail="fhir referral")  # fmt: skip
    return episode


def _register(plan: Plan, caller: Caller, request: HttpRequest) -> tuple[Patient, Episode]:
    import uuid

    assert plan.site is not None
    index, resource, _ = plan.entries["Patient"]
    name = resource["name"][0]
    telecom = {t.get("system"): str(t.get("value", "")) for t in resource.get("telecom") or []}
    data = NewPatient(
        site=plan.site, mrn=plan.mrn, date_of_birth=date.fromisoformat(resource["birthDate"]),
        given_name=str(name["given"][0])[:100], family_name=str(name["family"])[:100],
        username=f"fhir-{uuid.uuid4().hex[:12]}", title=_title(plan),
        phone=telecom.get("phone", "")[:40], email=telecom.get("email", ""),
    )  # fmt: skip
    try:
        done = patient_register(data=data, actor=caller.user, request=request)
    except DomainError as exc:
        raise FhirError(
            [
                Issue("business-rule", m, f"Bundle.entry[{index}].resource.{f}")
                for f, m in exc.errors
            ],
            422,
        ) from exc
    return done.patient, done.episode


def _response(plan: Plan, patient: Patient, created: bool, episode: Episode) -> dict[str, Any]:
    locations = {
        "Patient": (f"Patient/{patient.pk}", "201 Created" if created else "200 OK"),
        "Condition": (f"Condition/{episode.pk}", "201 Created"),
        "ServiceRequest": (f"EpisodeOfCare/{episode.pk}", "201 Created"),
    }
    ordered = sorted(plan.entries, key=lambda kind: plan.entries[kind][0])
    return {
        "resourceType": "Bundle",
        "type": "transaction-response",
        "entry": [
            {"response": {"status": locations[k][1], "location": locations[k][0]}} for k in ordered
        ],
    }


def _earlier(plan: Plan) -> Episode | None:
    if plan.service is None:
        return None
    system, value = plan.service
    seen = ClientIdentifier.objects.filter(
        resource_type="ServiceRequest", system=system, value=value
    )
    pk = seen.values_list("target", flat=True).first()
    return (
        Episode.objects.select_related("patient").filter(pk=pk, site=plan.site).first()
        if pk
        else None
    )


def referral_receive(
    *, caller: Caller, bundle: dict[str, Any], request: HttpRequest
) -> dict[str, Any]:
    """Check the whole Bundle, then open the episode (and register the patient) atomically."""
    for kind in TYPES:
        caller.require(kind, "c")
    plan = check(caller, bundle)
    if plan.issues:
        structural = any(i.expression == "Bundle.type" for i in plan.issues)
        raise FhirError(plan.issues, 400 if structural else 422)
    earlier = _earlier(plan)
    if earlier is not None:  # the same referral again: answer as the first time, store nothing
        return _response(plan, earlier.patient, False, earlier)
    with transaction.atomic():
        patient = Patient.objects.filter(site=plan.site, mrn=plan.mrn).first()
        created = patient is None
        if patient is None:
            patient, episode = _register(plan, caller, request)
        else:
            episode = _new_episode(patient, plan, caller, request)
        if plan.stage == Stage.ASSESS:
            try:
                episode = change_stage(
                    episode=episode, to_stage=Stage.ASSESS, actor=caller.user, request=request
                )
            except DomainError as exc:
                index = plan.entries["ServiceRequest"][0]
                raise FhirError.one(
                    "business-rule", exc.errors[0][1], f"Bundle.entry[{index}].resource.code"
                ) from exc
        index, service, _ = plan.entries["ServiceRequest"]
        codes_sent = [str(c.get("code")) for c in (service.get("code") or {}).get("coding") or []]
        Referral.objects.create(
            episode=episode, condition_coding=plan.coding, levels=plan.levels,
            service_code=codes_sent[0] if codes_sent else "", created_by=caller.user,
        )  # fmt: skip
        if plan.service is not None:
            ClientIdentifier.objects.create(
                resource_type="ServiceRequest",
                system=plan.service[0],
                value=plan.service[1],
                target=episode.pk,
            )
    return _response(plan, patient, created, episode)
