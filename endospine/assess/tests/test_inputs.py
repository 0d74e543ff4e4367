"""Bad input on every field is refused with the field named (pure: no database)."""

from typing import Any

import pytest
from pydantic import ValidationError

from endospine.assess.inputs import AssessmentInput
from endospine.assess.tests.vignettes import BASE


def error_fields(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        AssessmentInput.model_validate(data)
    return [".".join(str(p) for p in e["loc"]) for e in caught.value.errors()]


def with_finding(**changes: Any) -> dict[str, Any]:
    finding = {**BASE["imaging"]["findings"][0], **changes}
    return {**BASE, "imaging": {**BASE["imaging"], "findings": [finding]}}


BAD_TOP_LEVEL = [
    ("age", -1),
    ("age", 121),
    ("age", "forty"),
    ("age", 40.5),
    ("age", None),
    ("leg_pain", -1),
    ("leg_pain", 11),
    ("leg_pain", "7"),
    ("back_pain", -1),
    ("back_pain", 11),
    ("back_pain", True),
    ("symptom_weeks", -1),
    ("symptom_weeks", "6"),
    ("conservative_care_weeks", -1),
    ("conservative_care_weeks", 2.5),
    ("motor_deficit", "moderate"),
    ("motor_deficit", ""),
    ("motor_deficit", None),
    ("cauda_equina_signs", "no"),
    ("cauda_equina_signs", 0),
    ("cauda_equina_signs", None),
    ("red_flags", ["night_pain"]),
    ("red_flags", "fever"),
    ("red_flags", None),
    ("imaging", "mri"),
    ("imaging", []),
    ("spondylolisthesis_grade", -1),
    ("spondylolisthesis_grade", 5),
    ("dynamic_instability", "yes"),
    ("scoliosis_cobb", -5),
    ("scoliosis_cobb", 181),
    ("scoliosis_cobb", 12.5),
    ("prior_surgery_same_level", 1),
    ("high_iliac_crest", "false"),
]


@pytest.mark.parametrize(("field", "value"), BAD_TOP_LEVEL)
def test_bad_value_names_the_field(field: str, value: Any) -> None:
    fields = error_fields({**BASE, field: value})
    assert fields and all(f.split(".")[0] == field for f in fields)


@pytest.mark.parametrize("field", [k for k in BASE if k != "imaging"])
def test_every_field_but_imaging_is_required(field: str) -> None:
    data = {k: v for k, v in BASE.items() if k != field}
    assert error_fields(data) == [field]


def test_missing_or_null_imaging_means_no_scan() -> None:
    without = {k: v for k, v in BASE.items() if k != "imaging"}
    assert AssessmentInput.model_validate(without).imaging.modality == "none"
    assert AssessmentInput.model_validate({**without, "imaging": None}).imaging.modality == "none"


def test_unknown_field_is_refused_by_name() -> None:
    assert error_fields({**BASE, "cauda_equina_sign": True}) == ["cauda_equina_sign"]


@pytest.mark.parametrize(
    ("imaging", "field"),
    [
        ({"modality": "xray", "concordant": True, "findings": []}, "imaging.modality"),
        ({"concordant": True, "findings": []}, "imaging.modality"),
        ({"modality": "mri", "concordant": "yes", "findings": []}, "imaging.concordant"),
        ({"modality": "mri", "concordant": True, "findings": {}}, "imaging.findings"),
        ({"modality": "mri", "concordant": True, "findings": [], "date": "x"}, "imaging.date"),
    ],
)
def test_bad_imaging_names_the_nested_field(imaging: dict[str, Any], field: str) -> None:
    assert field in error_fields({**BASE, "imaging": imaging})


def test_findings_without_a_scan_are_refused() -> None:
    imaging = {"modality": "none", "findings": BASE["imaging"]["findings"]}
    assert error_fields({**BASE, "imaging": imaging}) == ["imaging"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"level": "L6-S1"}, "level"),
        ({"level": "l4-l5"}, "level"),
        ({"pathology": "tumour"}, "pathology"),
        ({"zone": "lateral"}, "zone"),
        ({"migration": "far"}, "migration"),
        ({"calcified": "no"}, "calcified"),
        ({"side": "left"}, "side"),
    ],
)
def test_bad_finding_names_the_nested_field(changes: dict[str, Any], field: str) -> None:
    assert error_fields(with_finding(**changes)) == [f"imaging.findings.0.{field}"]


def test_finding_needs_level_and_pathology() -> None:
    imaging = {"modality": "mri", "concordant": True, "findings": [{"zone": "central"}]}
    fields = error_fields({**BASE, "imaging": imaging})
    assert set(fields) == {"imaging.findings.0.level", "imaging.findings.0.pathology"}


def test_zone_and_migration_may_be_null() -> None:
    intake = AssessmentInput.model_validate(with_finding(zone=None, migration=None))
    assert intake.imaging.findings[0].zone is None


def test_duplicate_red_flags_count_once() -> None:
    from endospine.assess.engine import facts_from

    intake = AssessmentInput.model_validate({**BASE, "red_flags": ["fever", "fever"]})
    assert facts_from(intake)["red_flag_count"] == 1
