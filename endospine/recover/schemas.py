"""The check-in contract (issue 5), shared by the API and the check-in page.

Every field is optional: absent (or null) means "not reported", which never
triggers a rule. A misspelt field is refused (extra="forbid") so that a
client typo cannot silently drop a red flag.
"""

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class CheckinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days_since_surgery: int | None = Field(default=None, ge=0, le=3650)
    temperature_c: float | None = Field(default=None, ge=30, le=45)
    pain_back: int | None = Field(default=None, ge=0, le=10)
    pain_leg: int | None = Field(default=None, ge=0, le=10)
    pain_trend: Literal["better", "same", "worse"] | None = None
    pain_controlled: bool | None = None
    wound_redness: Literal["none", "mild", "spreading"] | None = None
    # "soaked" and "bleeding_not_stopping" are additions of issue 16 item 7.
    wound_drainage: (
        Literal["none", "clear", "bloody", "cloudy", "pus", "soaked", "bleeding_not_stopping"]
        | None
    ) = None
    wound_open: bool | None = None
    new_weakness: bool | None = None
    new_numbness: bool | None = None
    saddle_numbness: bool | None = None
    bladder: Literal["normal", "retention", "incontinence"] | None = None
    bowel_incontinence: bool | None = None
    headache_upright: bool | None = None
    clear_fluid_leak: bool | None = None
    calf_pain_swelling: bool | None = None
    chest_pain: bool | None = None
    short_of_breath: bool | None = None
    confusion: bool | None = None
    # Issue 16 items 7, 8 and 10 (optional additions to the contract).
    collapse: bool | None = None
    very_drowsy: bool | None = None
    face_swelling: bool | None = None
    arm_weakness: bool | None = None
    stiff_neck: bool | None = None
    vomiting_no_fluids: bool | None = None
    leg_pain_worse_than_before: bool | None = None
    chills: bool | None = None
    free_text: str | None = Field(default=None, max_length=2000)


class ReasonOut(BaseModel):
    code: str
    message: str


class TriageOut(BaseModel):
    level: Literal["emergency", "urgent", "review", "routine"]
    reasons: list[ReasonOut]
    advice: str
    ruleset_version: str


class CheckinOut(TriageOut):
    id: UUID
    episode_id: UUID
    submitted_at: str
    alert_id: UUID | None
    scheduled_day: int | None
