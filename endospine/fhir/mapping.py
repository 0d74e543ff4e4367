"""EndoSpine records as FHIR R4 resources (plain dicts, built fast; tests validate them).

Each function takes a row (with the relations its source selects) and the
request's base URL, and returns one resource. Ids are the record's UUID; a
check-in yields up to three Observations, whose ids are `<check-in id>.<slug>`.
The mapping table with every code is in docs/fhir.md.
"""

import uuid
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from endospine.accounts.models import Site, User
from endospine.fhir import codes
from endospine.fhir.models import Referral
from endospine.journey.models import Episode, Patient, Stage
from endospine.operate import validation as vocab
from endospine.operate.models import Discharge, OperativeRecord
from endospine.prepare.models import Checklist, ItemState
from endospine.proms.models import Instrument, Response
from endospine.recover.models import Alert, Checkin

Resource = dict[str, Any]
UCUM = "http://unitsofmeasure.org"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
EXT = codes.LOCAL + "/StructureDefinition/"

# EndoSpine stage -> EpisodeOfCare.status (the stage itself goes in an extension).
EPISODE_STATUS = {
    Stage.LEARN: "planned",
    Stage.ASSESS: "planned",
    Stage.PREPARE: "waitlist",
    Stage.OPERATE: "active",
    Stage.RECOVER: "active",
    Stage.COMPLETE: "finished",
    Stage.CANCELLED: "cancelled",
}
ITEM_STATUS = {
    ItemState.OPEN: "not-started",
    ItemState.DONE: "completed",
    ItemState.VERIFIED: "completed",
    ItemState.NOT_APPLICABLE: "cancelled",
}


def instant(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def meta(updated: datetime | None) -> dict[str, str]:
    return {"lastUpdated": updated.isoformat()} if updated is not None else {}


def local(system: str, code: str, display: str = "") -> dict[str, str]:
    coding = {"system": codes.local_system(system), "code": code}
    if display:
        coding["display"] = display
    return coding


def ref(kind: str, pk: Any) -> dict[str, str]:
    return {"reference": f"{kind}/{pk}"}


def mrn_system(site: Site) -> str:
    """The identifier system of a site's record numbers (a site may set the hospital's own)."""
    configured = (site.settings or {}).get("fhir_mrn_system")
    return str(configured) if configured else f"{codes.LOCAL}/sid/mrn/{site.slug}"


def _clean(resource: Resource) -> Resource:
    """Drop empty values: FHIR forbids empty strings, lists and objects."""
    return {k: v for k, v in resource.items() if v not in (None, "", [], {})}


def patient(row: Patient, base: str) -> Resource:
    telecom = [{"system": "phone", "value": row.phone}] if row.phone else []
    if row.email:
        telecom.append({"system": "email", "value": row.email})
    return _clean(
        {
            "resourceType": "Patient",
            "id": str(row.pk),
            "meta": meta(row.created_at),
            "identifier": [{"system": mrn_system(row.site), "value": row.mrn}],
            "active": True,
            "name": [{"family": row.family_name, "given": [row.given_name]}],
            "telecom": telecom,
            "birthDate": day(row.date_of_birth),
            "managingOrganization": ref("Organization", row.site_id),
        }
    )


def practitioner(row: User, base: str) -> Resource:
    name = {"family": row.last_name, "given": [row.first_name] if row.first_name else []}
    return _clean(
        {
            "resourceType": "Practitioner",
            "id": str(row.pk),
            "meta": meta(row.date_joined),
            "active": row.is_active,
            "name": [_clean(name)] if row.last_name else [{"text": row.username}],
            "qualification": [{"code": {"coding": [local("staff-role", row.role)]}}],
        }
    )


def organization(row: Site, base: str) -> Resource:
    telecom = [{"system": "phone", "value": row.care_team_phone}] if row.care_team_phone else []
    return _clean(
        {
            "resourceType": "Organization",
            "id": str(row.pk),
            "identifier": [{"system": codes.local_system("site"), "value": row.slug}],
            "active": True,
            "name": row.name,
            "telecom": telecom,
        }
    )


def episode_of_care(row: Episode, base: str) -> Resource:
    period = _clean({"start": day(row.opened_on), "end": day(row.closed_on)})
    return _clean(
        {
            "resourceType": "EpisodeOfCare",
            "id": str(row.pk),
            "meta": meta(row.updated_at),
            "extension": [{"url": EXT + "stage", "valueCode": row.stage}],
            "status": EPISODE_STATUS[Stage(row.stage)],
            "type": [{"coding": [local("episode-type", "endoscopic-spine")]}],
            "diagnosis": [{"condition": ref("Condition", row.pk)}],
            "patient": ref("Patient", row.patient_id),
            "managingOrganization": ref("Organization", row.site_id),
            "period": period,
            "careManager": ref("Practitioner", row.surgeon_id) if row.surgeon_id else None,
        }
    )


def _operative(row: Episode) -> OperativeRecord | None:
    try:
        return row.operative_record
    except OperativeRecord.DoesNotExist:
        return None


def _levels(levels: list[str], side: str) -> list[Resource]:
    side_ext = [{"url": EXT + "side", "valueCode": side}] if side else []
    return [
        _clean({"extension": side_ext, "coding": [local("spinal-level", level, level)]})
        for level in levels
    ]


def _referral(row: Episode) -> "Referral | None":
    try:
        return row.fhir_referral
    except Referral.DoesNotExist:
        return None


def condition(row: Episode, base: str) -> Resource:
    """The spine problem the episode is about; level and side from the operation when known."""
    record = _operative(row)
    referral = _referral(row)
    coded = list(referral.condition_coding) if referral is not None else []
    levels, side = (record.levels, record.side) if record else ([], "")
    if not levels and referral is not None:
        levels, side = list(referral.levels), referral.side
    finished = row.stage in (Stage.COMPLETE, Stage.CANCELLED)
    confirmed = row.stage not in (Stage.LEARN, Stage.ASSESS)
    clinical = "http://terminology.hl7.org/CodeSystem/condition-clinical"
    verification = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
    return _clean(
        {
            "resourceType": "Condition",
            "id": str(row.pk),
            "meta": meta(row.updated_at),
            "clinicalStatus": {
                "coding": [{"system": clinical, "code": "resolved" if finished else "active"}]
            },
            "verificationStatus": {
                "coding": [
                    {
                        "system": verification,
                        "code": "confirmed" if confirmed else "provisional",
                    }
                ]
            },
            "code": _clean({"coding": coded, "text": row.title}),
            "bodySite": _levels(levels, side),
            "subject": ref("Patient", row.patient_id),
            "recordedDate": day(row.opened_on),
        }
    )


def _duration(minutes: int) -> Resource:
    return {"value": minutes, "unit": "min", "system": UCUM, "code": "min"}


def procedure(row: OperativeRecord, base: str) -> Resource:
    episode = row.episode
    performer = row.signed_by_id or row.created_by_id
    complications = [
        {"coding": [local("operative-event", e, vocab.EVENTS.get(e, e))]}
        for e in row.events
        if e != "none"
    ]
    return _clean(
        {
            "resourceType": "Procedure",
            "id": str(row.pk),
            "meta": meta(row.updated_at),
            "extension": [
                {"url": EXT + "side", "valueCode": row.side},
                {"url": EXT + "technique", "valueCode": row.technique},
                {"url": EXT + "duration", "valueDuration": _duration(row.skin_to_skin_minutes)},
                {
                    "url": EXT + "converted-to-open",
                    "valueBoolean": "conversion_to_open" in row.events,
                },
            ],
            "status": "completed" if row.signed_at else "in-progress",
            "code": {
                "coding": [local("approach", row.approach, vocab.APPROACH.get(row.approach, ""))],
                "text": vocab.TECHNIQUE.get(row.technique, row.technique),
            },
            "subject": ref("Patient", episode.patient_id),
            "performedDateTime": day(row.operation_date),
            "performer": [{"actor": ref("Practitioner", performer)}] if performer else [],
            "bodySite": _levels(list(row.levels), row.side),
            "reasonReference": [ref("Condition", episode.pk)],
            "complication": complications,
        }
    )


def _quantity(value: float, unit: dict[str, str]) -> Resource:
    return {"value": value, "unit": unit["display"], "system": UCUM, "code": unit["code"]}


def checkin_observation(row: Checkin, key: str, base: str) -> Resource:
    spec = codes.checkin_observations()[key]
    site = spec.get("body_site")
    return _clean(
        {
            "resourceType": "Observation",
            "id": f"{row.pk}.{spec['slug']}",
            "meta": meta(row.submitted_at),
            "status": "final",
            "category": [{"coding": [{"system": OBS_CATEGORY, "code": spec["category"]}]}],
            "code": {"coding": [codes.coding(spec["code"])]},
            "subject": ref("Patient", row.episode.patient_id),
            "effectiveDateTime": instant(row.submitted_at),
            "valueQuantity": _quantity(row.answers[key], spec["unit"]),
            "bodySite": {"coding": [codes.coding(site)]} if site else None,
        }
    )


def prom_observation(row: Response, base: str) -> Resource:
    """A PROM total score, per the PCO profile: derived from the QuestionnaireResponse."""
    spec = codes.prom_scores()[row.instrument]
    author = row.author
    performer = None
    if author is not None:
        performer = [ref("Patient", row.episode.patient_id)] if author.is_patient else None
        performer = performer or [ref("Practitioner", author.pk)]
    return _clean(
        {
            "resourceType": "Observation",
            "id": str(row.pk),
            "meta": meta(row.authored_at),
            "status": "final",
            "category": [{"coding": [{"system": OBS_CATEGORY, "code": "survey"}]}],
            "code": {"coding": [codes.coding(spec["code"])]},
            "subject": ref("Patient", row.episode.patient_id),
            "effectiveDateTime": instant(row.authored_at),
            "performer": performer,
            "valueQuantity": _quantity(row.score or 0, spec["unit"]),
            "derivedFrom": [ref("QuestionnaireResponse", row.pk)],
        }
    )


def questionnaire_id(url: str) -> str:
    """A stable UUID for an instrument (FHIR ids may not hold '_', as in nrs_leg)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, url))


def questionnaire(row: Instrument, base: str) -> Resource:
    resource = dict(row.questionnaire)
    resource["id"] = questionnaire_id(resource["url"])
    resource["meta"] = meta(row.loaded_at)
    resource["code"] = [local("instrument", row.code, row.title)]
    return resource


def questionnaire_response(row: Response, base: str) -> Resource:
    resource = dict(row.resource)
    resource["id"] = str(row.pk)
    resource["meta"] = meta(row.authored_at)
    resource["authored"] = instant(row.authored_at)
    return resource


def checklist_care_plan(row: Checklist, base: str) -> Resource:
    items = list(row.items.all())
    required_done = all(i.state != ItemState.OPEN for i in items if i.required)
    activity = [
        {
            "detail": {
                "code": {"coding": [local("checklist-item", item.code)], "text": item.title},
                "status": ITEM_STATUS[ItemState(item.state)],
            }
        }
        for item in items
    ]
    return _clean(
        {
            "resourceType": "CarePlan",
            "id": str(row.pk),
            "meta": meta(row.created_at),
            "status": "completed" if items and required_done else "active",
            "intent": "plan",
            "category": [{"coding": [local("care-plan", "pre-operative-checklist")]}],
            "title": _("Pre-operative checklist"),
            "subject": ref("Patient", row.episode.patient_id),
            "created": instant(row.created_at),
            "activity": activity,
        }
    )


def follow_up_care_plan(row: Episode, base: str) -> Resource:
    """The follow-up schedule: PROM timepoints and recovery check-ins."""
    activity = [
        {
            "detail": {
                "code": {"coding": [local("prom-timepoint", t.code)]},
                "status": "completed" if t.completed_at else "scheduled",
                "scheduledPeriod": {"start": day(t.opens_on), "end": day(t.due_on)},
            }
        }
        for t in row.prom_timepoints.all()
    ]
    activity += [
        {
            "detail": {
                "code": {"coding": [local("checkin-day", str(c.day))]},
                "status": "completed" if c.completed_at else "scheduled",
                "scheduledPeriod": {"start": instant(c.due_at)},
            }
        }
        for c in row.scheduled_checkins.all()
    ]
    return _clean(
        {
            "resourceType": "CarePlan",
            "id": str(row.pk),
            "meta": meta(row.updated_at),
            "status": "completed" if row.stage == Stage.COMPLETE else "active",
            "intent": "plan",
            "category": [{"coding": [local("care-plan", "follow-up")]}],
            "title": _("Follow-up schedule"),
            "subject": ref("Patient", row.patient_id),
            "activity": activity,
        }
    )


def flag(row: Alert, base: str) -> Resource:
    changed = max(t for t in (row.created_at, row.acknowledged_at, row.resolved_at) if t)
    return _clean(
        {
            "resourceType": "Flag",
            "id": str(row.pk),
            "meta": meta(changed),
            "status": "inactive" if row.resolved_at else "active",
            "category": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/flag-category",
                            "code": "clinical",
                        }
                    ]
                }
            ],
            "code": {"coding": [local("alert-severity", row.severity)]},
            "subject": ref("Patient", row.episode.patient_id),
            "period": _clean({"start": instant(row.created_at), "end": instant(row.resolved_at)}),
            "author": ref("Organization", row.site_id),
        }
    )


def _document(
    pk: str, kind: str, patient_id: Any, at: datetime, url: str, content_type: str, **extra: Any
) -> Resource:
    return _clean(
        {
            "resourceType": "DocumentReference",
            "id": pk,
            "meta": meta(at),
            "status": "current",
            "type": {"coding": [local("document-type", kind)]},
            "subject": ref("Patient", patient_id),
            "date": instant(at),
            "content": [{"attachment": {"contentType": content_type, "url": url}}],
            **extra,
        }
    )


def discharge_document(row: Discharge, base: str) -> Resource:
    url = f"{base.rsplit('/fhir/', 1)[0]}/operate/{row.episode_id}/instructions.pdf"
    return _document(
        str(row.pk), "discharge-instructions", row.episode.patient_id, row.recorded_at, url,
        "application/pdf", docStatus="final",
    )  # fmt: skip


def operative_note_document(row: OperativeRecord, base: str) -> Resource:
    url = f"{base.rsplit('/fhir/', 1)[0]}/operate/{row.episode_id}/record/note/"
    author = row.signed_by_id or row.created_by_id
    return _document(
        str(row.pk), "operative-note", row.episode.patient_id, row.updated_at, url, "text/html",
        docStatus="final" if row.signed_at else "preliminary",
        author=[ref("Practitioner", author)] if author else [],
    )  # fmt: skip
