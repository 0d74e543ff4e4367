"""JSON endpoints of the operate step, under /api/v1/episodes/{episode_id}/...

Ranges and cross-field rules are checked by endospine.operate.validation (the
same messages as the page); the schemas here fix types, choices and unknown
keys, so that both kinds of error name the field.
"""

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from endospine.access import Action, current_user, episode_for
from endospine.accounts.models import Role
from endospine.audit.models import AuditAction
from endospine.audit.services import record as audit
from endospine.journey.models import Episode
from endospine.operate import selectors, services
from endospine.operate.models import Discharge, OperativeRecord

router = Router(tags=["operate"])

Anaesthesia = Literal["general", "local_sedation", "epidural_spinal"]
Technique = Literal["uniportal_full_endoscopic", "biportal_ube", "microendoscopic", "open"]
Approach = Literal["transforaminal", "interlaminar", "other"]
Side = Literal["left", "right", "bilateral", "central"]
Fluid = Literal["normal_saline", "ringer_lactate", "other", "none"]
Mode = Literal["pump", "gravity", "none"]
Event = Literal[
    "none", "dural_tear", "nerve_root_injury", "bleeding_intervention", "conversion_to_open",
    "wrong_level",
]  # fmt: skip
Specimen = Literal["none", "histology", "culture", "histology_and_culture"]
Closure = Literal["suture", "staples", "adhesive_strips", "skin_glue", "none"]
Destination = Literal["home", "home_with_support", "relative_or_carer", "rehabilitation",
                      "other_hospital"]  # fmt: skip


class OperativeRecordIn(Schema):
    """Ranges (documented in docs/operate.md) are enforced with messages naming the field."""

    model_config = {"extra": "forbid"}
    operation_date: date
    surgeons: list[str] = Field(..., description="Operating surgeons' names, 1 to 5.")
    anaesthesia: Anaesthesia
    technique: Technique
    approach: Approach
    approach_detail: str = Field("", description="Required when approach is 'other'.")
    levels: list[str] = Field(..., description="Motion segments such as 'L4-L5', 1 to 4.")
    side: Side
    foraminoplasty: bool = False
    endoscope_outer_diameter_mm: float | None = Field(None, description="2-25 mm; endoscopic only")
    endoscope_working_channel_mm: float | None = Field(None, description="1-10 mm, < outer")
    endoscope_viewing_angle_deg: float | None = Field(None, description="0-90 degrees")
    irrigation_fluid: Fluid
    irrigation_mode: Mode
    pump_pressure_mmhg: float | None = Field(None, description="10-100 mmHg, pump only")
    incision_length_mm: float = Field(..., description="3-60 mm")
    skin_to_skin_minutes: float = Field(..., description="5-600 minutes")
    fluoroscopy_seconds: float | None = Field(None, description="0-3600 s; time or dose needed")
    fluoroscopy_dose_mgy: float | None = Field(None, description="0-2000 mGy")
    estimated_blood_loss_ml: float = Field(..., description="0-5000 ml")
    events: list[Event] = Field(..., description="Intra-operative events, or ['none'].")
    specimen: Specimen
    closure: Closure
    notes: str = ""


class AddendumIn(Schema):
    model_config = {"extra": "forbid"}
    text: str = Field(..., description="The correction or addition, up to 4000 characters.")


class AddendumOut(Schema):
    id: UUID
    text: str
    author: str
    created_at: datetime


class OperativeRecordOut(Schema):
    id: UUID
    episode: UUID
    operation_date: date
    surgeons: list[str]
    anaesthesia: str
    technique: str
    approach: str
    approach_detail: str
    levels: list[str]
    side: str
    foraminoplasty: bool
    endoscope_outer_diameter_mm: float | None
    endoscope_working_channel_mm: float | None
    endoscope_viewing_angle_deg: int | None
    irrigation_fluid: str
    irrigation_mode: str
    pump_pressure_mmhg: int | None
    incision_length_mm: int
    skin_to_skin_minutes: int
    fluoroscopy_seconds: int | None
    fluoroscopy_dose_mgy: float | None
    estimated_blood_loss_ml: int
    events: list[str]
    specimen: str
    closure: str
    notes: str
    signed: bool
    signed_by: str | None
    signed_at: datetime | None
    addenda: list[AddendumOut]


class DischargeIn(Schema):
    model_config = {"extra": "forbid"}
    discharged_at: datetime = Field(..., description="With its time zone; not in the future.")
    first_walk_hours: float = Field(..., description="0-72 hours after surgery")
    pain_at_discharge: int = Field(..., description="0-10 numeric rating scale")
    destination: Destination
    follow_up_on: date | None = Field(None, description="First clinic visit; default from template")


class InstructionItemOut(Schema):
    text: str
    source: str


class InstructionSectionOut(Schema):
    key: str
    heading: str
    intro: str
    items: list[InstructionItemOut]


class DischargeOut(Schema):
    id: UUID
    episode: UUID
    discharged_at: datetime
    same_day: bool
    first_walk_hours: float
    pain_at_discharge: int
    destination: str
    follow_up_on: date
    emergency_number: str
    care_team_phone: str
    checkin_dates: list[date]
    instructions: list[InstructionSectionOut]
    pdf_url: str


def _record_out(record: OperativeRecord) -> dict[str, Any]:
    fields = {f: getattr(record, f) for f in OperativeRecordOut.model_fields if hasattr(record, f)}
    return {
        **fields,
        "episode": record.episode_id,
        "signed": record.is_signed,
        "signed_by": record.signed_by.display_name if record.signed_by else None,
        "addenda": [
            {
                "id": a.pk,
                "text": a.text,
                "author": a.author.display_name,
                "created_at": a.created_at,
            }
            for a in record.addenda.all()
        ],
    }


def _visible_record(request: HttpRequest, episode: Episode) -> OperativeRecord:
    """The record, hiding drafts from patients: a draft is the surgeon's work in progress."""
    record = selectors.operative_record(episode)
    if record is None or (current_user(request).role == Role.PATIENT and not record.is_signed):
        raise Http404("no operative record")
    return record


@router.post("/{episode_id}/operative-record", response={201: OperativeRecordOut},
             summary="File a draft operative record (surgeons)")  # fmt: skip
def create_record(request: HttpRequest, episode_id: UUID, payload: OperativeRecordIn) -> Any:
    episode = episode_for(current_user(request), episode_id, Action.WRITE_OPERATIVE_RECORD)
    created = services.operative_record_create(
        episode=episode, data=payload.model_dump(), actor=current_user(request), request=request
    )
    return 201, _record_out(selectors.operative_record(episode) or created)


@router.put("/{episode_id}/operative-record", response=OperativeRecordOut,
            summary="Edit a draft operative record; a signed one is refused (409)")  # fmt: skip
def update_record(request: HttpRequest, episode_id: UUID, payload: OperativeRecordIn) -> Any:
    episode = episode_for(current_user(request), episode_id, Action.WRITE_OPERATIVE_RECORD)
    record = _visible_record(request, episode)
    services.operative_record_update(
        record=record, data=payload.model_dump(), actor=current_user(request), request=request
    )
    return _record_out(selectors.operative_record(episode) or record)


@router.get("/{episode_id}/operative-record", response=OperativeRecordOut,
            summary="Read the operative record with its addenda")  # fmt: skip
def read_record(request: HttpRequest, episode_id: UUID) -> Any:
    episode = episode_for(current_user(request), episode_id, Action.VIEW_EPISODE)
    record = _visible_record(request, episode)
    return _record_out(record)


@router.post("/{episode_id}/operative-record/sign", response=OperativeRecordOut,
             summary="Sign and lock the operative record (surgeons)")  # fmt: skip
def sign_record(request: HttpRequest, episode_id: UUID) -> Any:
    episode = episode_for(current_user(request), episode_id, Action.WRITE_OPERATIVE_RECORD)
    record = _visible_record(request, episode)
    services.operative_record_sign(record=record, actor=current_user(request), request=request)
    return _record_out(selectors.operative_record(episode) or record)


@router.post("/{episode_id}/operative-record/addenda", response={201: OperativeRecordOut},
             summary="Add an addendum to a signed operative record (surgeons)")  # fmt: skip
def add_addendum(request: HttpRequest, episode_id: UUID, payload: AddendumIn) -> Any:
    episode = episode_for(current_user(request), episode_id, Action.WRITE_OPERATIVE_RECORD)
    record = _visible_record(request, episode)
    services.operative_addendum_add(
        record=record, text=payload.text, actor=current_user(request), request=request
    )
    return 201, _record_out(selectors.operative_record(episode) or record)


def _discharge_out(request: HttpRequest, episode: Episode, done: Discharge) -> dict[str, Any]:
    record = selectors.operative_record(episode)
    assert record is not None  # a discharge requires a signed record
    built = selectors.discharge_instructions(episode, record, done)
    sections = [
        {"key": s.key, "heading": s.heading, "intro": s.intro,
         "items": [{"text": i.text, "source": i.source} for i in s.items]}
        for s in built.sections
    ]  # fmt: skip
    return {
        "id": done.pk, "episode": episode.pk, "discharged_at": done.discharged_at,
        "same_day": done.same_day, "first_walk_hours": done.first_walk_hours,
        "pain_at_discharge": done.pain_at_discharge, "destination": done.destination,
        "follow_up_on": done.follow_up_on, "emergency_number": built.emergency_number,
        "care_team_phone": built.care_team_phone, "checkin_dates": list(built.checkin_dates),
        "instructions": sections,
        "pdf_url": request.build_absolute_uri(f"/api/v1/episodes/{episode.pk}/discharge.pdf"),
    }  # fmt: skip


@router.post("/{episode_id}/discharge", response={201: DischargeOut},
             summary="Record the discharge; moves the episode to recover")  # fmt: skip
def create_discharge(request: HttpRequest, episode_id: UUID, payload: DischargeIn) -> Any:
    episode = episode_for(current_user(request), episode_id, Action.RECORD_DISCHARGE)
    done = services.discharge_record(
        episode=episode, data=payload.model_dump(), actor=current_user(request), request=request
    )
    return 201, _discharge_out(request, episode, done)


def _discharge_or_404(episode: Episode) -> Discharge:
    done = selectors.discharge(episode)
    if done is None:
        raise Http404("not discharged")
    return done


@router.get("/{episode_id}/discharge", response=DischargeOut,
            summary="Read the discharge and the patient's personalised instructions")  # fmt: skip
def read_discharge(request: HttpRequest, episode_id: UUID) -> Any:
    episode = episode_for(current_user(request), episode_id, Action.VIEW_EPISODE)
    done = _discharge_or_404(episode)
    return _discharge_out(request, episode, done)


@router.get("/{episode_id}/discharge.pdf", response={200: bytes},
            summary="The discharge instructions as a PDF")  # fmt: skip
def discharge_pdf(request: HttpRequest, episode_id: UUID) -> HttpResponse:
    episode = episode_for(current_user(request), episode_id, Action.VIEW_EPISODE)
    done = _discharge_or_404(episode)
    record = selectors.operative_record(episode)
    assert record is not None
    body = selectors.discharge_pdf(episode, selectors.discharge_instructions(episode, record, done))
    audit(request=request, action=AuditAction.EXPORT, obj=done, patient_id=episode.patient_id,
          detail="api discharge pdf")  # fmt: skip
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="discharge-instructions.pdf"'
    response["Cache-Control"] = "no-store"
    return response
