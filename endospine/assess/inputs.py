"""What the assessment engine reads: one patient's intake plus the imaging findings.

Pure pydantic (no Django), shared by the engine, the public API and the
services, so every entry point rejects the same bad input with the field named.
`extra="forbid"` makes a client's typo ("cauda_equina_sign") an error rather
than a silently missing safety answer.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MotorDeficit = Literal["none", "mild", "severe", "progressive"]
# The last five follow NICE NG59 / AHCPR (issue 16 item 3); new codes are additions.
RedFlag = Literal[
    "fever", "unexplained_weight_loss", "cancer_history", "major_trauma", "immunosuppression",
    "iv_drug_use", "long_term_corticosteroids", "osteoporosis_or_minor_trauma_older",
    "night_pain_non_mechanical", "inflammatory_disease",
]  # fmt: skip
Modality = Literal["mri", "ct", "none"]
Level = Literal["T12-L1", "L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"]
Pathology = Literal[
    "disc_herniation", "central_stenosis", "lateral_recess_stenosis", "foraminal_stenosis"
]
Zone = Literal["central", "paracentral", "foraminal", "extraforaminal"]
Migration = Literal["none", "low_grade", "high_grade"]

MOTOR_DEFICITS: tuple[str, ...] = MotorDeficit.__args__  # type: ignore[attr-defined]
RED_FLAGS: tuple[str, ...] = RedFlag.__args__  # type: ignore[attr-defined]
MODALITIES: tuple[str, ...] = Modality.__args__  # type: ignore[attr-defined]
LEVELS: tuple[str, ...] = Level.__args__  # type: ignore[attr-defined]
PATHOLOGIES: tuple[str, ...] = Pathology.__args__  # type: ignore[attr-defined]
ZONES: tuple[str, ...] = Zone.__args__  # type: ignore[attr-defined]
MIGRATIONS: tuple[str, ...] = Migration.__args__  # type: ignore[attr-defined]


class Finding(BaseModel):
    """One abnormality on the scan, at one level."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    level: Level
    pathology: Pathology
    zone: Zone | None = None
    migration: Migration | None = None
    calcified: bool = False


class Imaging(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    modality: Modality
    # Unknown concordance counts as "not shown to match": the safe side is to
    # ask for imaging review rather than to operate on a mismatched scan.
    concordant: bool = False
    findings: list[Finding] = Field(default_factory=list, max_length=12)

    @model_validator(mode="after")
    def _findings_need_a_scan(self) -> "Imaging":
        if self.modality == "none" and self.findings:
            raise ValueError("findings need an MRI or CT scan; set modality to mri or ct")
        return self


NO_IMAGING = Imaging(modality="none")


class AssessmentInput(BaseModel):
    """The intake the rules read. Every safety answer is required; only imaging may
    be left out (it then means "no scan yet")."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    age: int = Field(ge=0, le=120)
    leg_pain: int = Field(ge=0, le=10)
    back_pain: int = Field(ge=0, le=10)
    symptom_weeks: int = Field(ge=0, le=5200)
    conservative_care_weeks: int = Field(ge=0, le=5200)
    motor_deficit: MotorDeficit
    cauda_equina_signs: bool
    red_flags: list[RedFlag] = Field(max_length=len(RED_FLAGS))
    imaging: Imaging = NO_IMAGING
    spondylolisthesis_grade: int = Field(ge=0, le=4)
    dynamic_instability: bool
    scoliosis_cobb: int = Field(ge=0, le=180)
    prior_surgery_same_level: bool
    high_iliac_crest: bool

    @model_validator(mode="before")
    @classmethod
    def _null_imaging_is_none(cls, data: object) -> object:
        # `"imaging": null` means the same as leaving it out.
        if isinstance(data, dict) and "imaging" in data and data["imaging"] is None:
            data = {k: v for k, v in data.items() if k != "imaging"}
        return data
