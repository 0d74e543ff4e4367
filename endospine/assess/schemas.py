"""Validated shapes of what staff and patients record (pure pydantic, no Django).

Services validate through these so that a page, a command or a future API all
refuse the same bad input, naming the field.
"""

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from endospine.assess.inputs import Finding, Modality, MotorDeficit, RedFlag
from endospine.core.errors import DomainError

Weeks = Field(ge=0, le=5200)


class IntakeAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    leg_pain: int = Field(ge=0, le=10)
    back_pain: int = Field(ge=0, le=10)
    symptom_weeks: int = Weeks
    physio_weeks: int = Weeks
    medication_weeks: int = Weeks
    injection_weeks: int = Weeks
    weakness: MotorDeficit
    numbness: bool
    saddle_numbness: bool
    bladder_change: bool
    bowel_change: bool
    # Optional for callers stored before issue 16; the intake page always asks them.
    sexual_dysfunction: bool | None = None
    both_legs: bool | None = None


class FindingsData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    modality: Modality
    imaging_date: dt.date | None = None
    concordant: bool = False
    levels: list[Finding] = Field(default_factory=list, max_length=12)
    spondylolisthesis_grade: int = Field(default=0, ge=0, le=4)
    dynamic_instability: bool = False
    scoliosis_cobb: int = Field(default=0, ge=0, le=180)
    prior_surgery_same_level: bool = False
    high_iliac_crest: bool = False
    red_flags: list[RedFlag] = Field(default_factory=list)
    red_flags_asked: bool = False
    motor_deficit: MotorDeficit | Literal[""] = ""
    # The side of the symptoms and the compression: the operative record is checked against it.
    side: Literal["left", "right", "bilateral", "central", ""] = ""


def validated(model: type[BaseModel], data: dict[str, Any]) -> Any:
    """Validate or raise DomainError naming every bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DomainError.many(
            (".".join(str(p) for p in e["loc"]) or "", e["msg"].removeprefix("Value error, "))
            for e in exc.errors()
        ) from None
