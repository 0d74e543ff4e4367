"""Clinical vignettes for the default rule set, shared by the engine and API tests.

Each vignette starts from BASE (a textbook elective candidate: 8/10 leg pain from a
paracentral L4-L5 herniation after 8 weeks of physiotherapy) and changes only what
the case is about, so each one reads as "the same patient, except ...".
"""

from dataclasses import dataclass, field
from typing import Any

BASE: dict[str, Any] = {
    "age": 42,
    "leg_pain": 8,
    "back_pain": 3,
    "symptom_weeks": 10,
    "conservative_care_weeks": 8,
    "motor_deficit": "mild",
    "cauda_equina_signs": False,
    "red_flags": [],
    "imaging": {
        "modality": "mri",
        "concordant": True,
        "findings": [
            {
                "level": "L4-L5",
                "pathology": "disc_herniation",
                "zone": "paracentral",
                "migration": "none",
                "calcified": False,
            },
        ],
    },
    "spondylolisthesis_grade": 0,
    "dynamic_instability": False,
    "scoliosis_cobb": 0,
    "prior_surgery_same_level": False,
    "high_iliac_crest": False,
}


def finding(
    level: str = "L4-L5", pathology: str = "disc_herniation", **extra: Any
) -> dict[str, Any]:
    return {"level": level, "pathology": pathology, **extra}


def mri(*findings: dict[str, Any], concordant: bool = True) -> dict[str, Any]:
    return {"modality": "mri", "concordant": concordant, "findings": list(findings)}


@dataclass(frozen=True)
class Vignette:
    name: str
    changes: dict[str, Any]
    recommendation: str
    urgency: str
    approach: str | None = None
    deciding: str = ""  # the id of the rule that decides the recommendation
    also: tuple[str, ...] = ()  # other rule ids that must be reported as fired
    approach_rule: str = ""
    drop: tuple[str, ...] = field(default=())  # keys removed from BASE

    def data(self) -> dict[str, Any]:
        data = {k: v for k, v in BASE.items() if k not in self.drop}
        data.update(self.changes)
        return data


def v(name: str, changes: dict[str, Any], rec: str, urg: str, **kw: Any) -> Vignette:
    return Vignette(name, changes, rec, urg, **kw)


CAND, EL, URG = "endoscopic_candidate", "elective", "urgent"
TF, IL = "transforaminal", "interlaminar"

VIGNETTES: list[Vignette] = [
    # --- the recommendation rules, one by one, in precedence order
    v(
        "textbook candidate",
        {},
        CAND,
        EL,
        approach=TF,
        deciding="candidate",
        approach_rule="transforaminal_default",
    ),
    v(
        "cauda equina signs",
        {"cauda_equina_signs": True},
        "emergency_referral",
        "emergency",
        deciding="cauda_equina_or_progressive_deficit",
    ),
    v(
        "progressive weakness",
        {"motor_deficit": "progressive"},
        "emergency_referral",
        "emergency",
        deciding="cauda_equina_or_progressive_deficit",
    ),
    v(
        "fever, no weakness",
        {"red_flags": ["fever"], "motor_deficit": "none"},
        "further_workup",
        URG,
        deciding="red_flags_need_workup",
    ),
    v(
        "cancer history and weight loss, no weakness",
        {"red_flags": ["cancer_history", "unexplained_weight_loss"], "motor_deficit": "none"},
        "further_workup",
        URG,
        deciding="red_flags_need_workup",
    ),
    v(
        "no imaging at all",
        {},
        "obtain_imaging",
        EL,
        deciding="imaging_missing_or_discordant",
        drop=("imaging",),
    ),
    v(
        "imaging modality none",
        {"imaging": {"modality": "none"}},
        "obtain_imaging",
        EL,
        deciding="imaging_missing_or_discordant",
    ),
    v(
        "MRI without findings",
        {"imaging": mri()},
        "obtain_imaging",
        EL,
        deciding="imaging_missing_or_discordant",
    ),
    v(
        "MRI not matching symptoms",
        {"imaging": mri(finding(), concordant=False)},
        "obtain_imaging",
        EL,
        deciding="imaging_missing_or_discordant",
    ),
    v(
        "concordant CT is enough",
        {"imaging": {"modality": "ct", "concordant": True, "findings": [finding()]}},
        CAND,
        EL,
        approach=TF,
        deciding="candidate",
    ),
    v(
        "spondylolisthesis grade 2",
        {"spondylolisthesis_grade": 2},
        "other_surgery",
        EL,
        deciding="instability_deformity_or_multilevel",
    ),
    v(
        "spondylolisthesis grade 1 is not a bar",
        {"spondylolisthesis_grade": 1},
        CAND,
        EL,
        approach=TF,
        deciding="candidate",
    ),
    v(
        "dynamic instability",
        {"dynamic_instability": True},
        "other_surgery",
        EL,
        deciding="instability_deformity_or_multilevel",
    ),
    v(
        "scoliosis 20 degrees",
        {"scoliosis_cobb": 20},
        "other_surgery",
        EL,
        deciding="instability_deformity_or_multilevel",
    ),
    v(
        "scoliosis 19 degrees is not a bar",
        {"scoliosis_cobb": 19},
        CAND,
        EL,
        approach=TF,
        deciding="candidate",
    ),
    v(
        "three levels",
        {"imaging": mri(finding("L3-L4"), finding("L4-L5"), finding("L5-S1"))},
        "other_surgery",
        EL,
        deciding="instability_deformity_or_multilevel",
    ),
    v(
        "two levels is not a bar",
        {"imaging": mri(finding("L4-L5"), finding("L5-S1"))},
        CAND,
        EL,
        approach=TF,
        deciding="candidate",
    ),
    v(
        "three findings on two levels count as two",
        {
            "imaging": mri(
                finding("L4-L5"), finding("L4-L5", "lateral_recess_stenosis"), finding("L5-S1")
            )
        },
        CAND,
        EL,
        approach=TF,
        deciding="candidate",
    ),
    v(
        "axial back pain: leg 3, back 6",
        {"leg_pain": 3, "back_pain": 6},
        "conservative_care",
        EL,
        deciding="axial_back_pain",
    ),
    v(
        "leg pain 4 is not axial",
        {"leg_pain": 4, "back_pain": 6},
        CAND,
        EL,
        approach=TF,
        deciding="candidate",
    ),
    v(
        "leg 3 equal to back 3 is not axial",
        {"leg_pain": 3, "back_pain": 3},
        CAND,
        EL,
        approach=TF,
        deciding="candidate",
    ),
    v(
        "5 weeks of care, mild weakness",
        {"conservative_care_weeks": 5},
        "conservative_care",
        EL,
        deciding="conservative_care_too_short",
    ),
    v(
        "5 weeks of care, no weakness",
        {"conservative_care_weeks": 5, "motor_deficit": "none"},
        "conservative_care",
        EL,
        deciding="conservative_care_too_short",
    ),
    v(
        "6 weeks of care is enough",
        {"conservative_care_weeks": 6},
        CAND,
        EL,
        approach=TF,
        deciding="candidate",
    ),
    v(
        "severe weakness makes a candidate urgent",
        {"motor_deficit": "severe"},
        CAND,
        URG,
        approach=TF,
        deciding="candidate_with_severe_deficit",
    ),
    # --- precedence clashes: the higher rule decides, the lower is still reported
    v(
        "cauda equina beats red flag and missing scan",
        {"cauda_equina_signs": True, "red_flags": ["fever"]},
        "emergency_referral",
        "emergency",
        deciding="cauda_equina_or_progressive_deficit",
        also=("red_flags_need_workup", "imaging_missing_or_discordant"),
        drop=("imaging",),
    ),
    v(
        "progressive weakness beats a slip",
        {"motor_deficit": "progressive", "spondylolisthesis_grade": 3},
        "emergency_referral",
        "emergency",
        deciding="cauda_equina_or_progressive_deficit",
        also=("instability_deformity_or_multilevel",),
    ),
    v(
        "red flag beats missing scan",
        {"red_flags": ["major_trauma"], "motor_deficit": "none"},
        "further_workup",
        URG,
        deciding="red_flags_need_workup",
        also=("imaging_missing_or_discordant",),
        drop=("imaging",),
    ),
    v(
        "red flag beats instability",
        {"red_flags": ["immunosuppression"], "dynamic_instability": True, "motor_deficit": "none"},
        "further_workup",
        URG,
        deciding="red_flags_need_workup",
        also=("instability_deformity_or_multilevel",),
    ),
    v(
        "discordant scan beats a grade 2 slip",
        {"imaging": mri(finding(), concordant=False), "spondylolisthesis_grade": 2},
        "obtain_imaging",
        EL,
        deciding="imaging_missing_or_discordant",
        also=("instability_deformity_or_multilevel",),
    ),
    v(
        "deformity beats axial back pain",
        {"scoliosis_cobb": 35, "leg_pain": 2, "back_pain": 7},
        "other_surgery",
        EL,
        deciding="instability_deformity_or_multilevel",
        also=("axial_back_pain",),
    ),
    v(
        "axial pain and short care: axial decides",
        {"leg_pain": 2, "back_pain": 5, "conservative_care_weeks": 2},
        "conservative_care",
        EL,
        deciding="axial_back_pain",
        also=("conservative_care_too_short",),
    ),
    v(
        "severe weakness skips the 6-week wait",
        {"motor_deficit": "severe", "conservative_care_weeks": 1},
        CAND,
        URG,
        approach=TF,
        deciding="candidate_with_severe_deficit",
    ),
    # --- issue 16 items 1-3: severe weakness is never elective; red flag + weakness
    v(
        "axial pattern does not apply to severe weakness",
        {"motor_deficit": "severe", "leg_pain": 3, "back_pain": 7},
        CAND,
        URG,
        approach=TF,
        deciding="candidate_with_severe_deficit",
    ),
    v(
        "axial pattern with mild weakness stays conservative and elective",
        {"motor_deficit": "mild", "leg_pain": 3, "back_pain": 7},
        "conservative_care",
        EL,
        deciding="axial_back_pain",
    ),
    v(
        "severe weakness without a scan: imaging, urgent",
        {"motor_deficit": "severe"},
        "obtain_imaging",
        URG,
        deciding="imaging_missing_or_discordant",
        also=("severe_weakness_is_never_elective",),
        drop=("imaging",),
    ),
    v(
        "mild weakness without a scan: imaging, elective",
        {"motor_deficit": "mild"},
        "obtain_imaging",
        EL,
        deciding="imaging_missing_or_discordant",
        drop=("imaging",),
    ),
    v(
        "severe weakness with a grade 2 slip: other surgery, urgent",
        {"motor_deficit": "severe", "spondylolisthesis_grade": 2},
        "other_surgery",
        URG,
        deciding="instability_deformity_or_multilevel",
        also=("severe_weakness_is_never_elective",),
    ),
    v(
        "red flag with mild weakness is an emergency",
        {"red_flags": ["fever"], "motor_deficit": "mild"},
        "emergency_referral",
        "emergency",
        deciding="red_flag_with_weakness",
        also=("red_flags_need_workup",),
    ),
    v(
        "red flag with severe weakness is an emergency",
        {"red_flags": ["iv_drug_use"], "motor_deficit": "severe"},
        "emergency_referral",
        "emergency",
        deciding="red_flag_with_weakness",
    ),
    v(
        "red flag without weakness is an urgent work-up",
        {"red_flags": ["iv_drug_use"], "motor_deficit": "none"},
        "further_workup",
        URG,
        deciding="red_flags_need_workup",
    ),
    *[
        v(
            f"NICE NG59 red flag {flag}",
            {"red_flags": [flag], "motor_deficit": "none"},
            "further_workup",
            URG,
            deciding="red_flags_need_workup",
        )
        for flag in (
            "long_term_corticosteroids",
            "osteoporosis_or_minor_trauma_older",
            "night_pain_non_mechanical",
            "inflammatory_disease",
        )
    ],
    # --- the approach rules, one by one and in clashes
    v(
        "L5-S1 with a high iliac crest",
        {"imaging": mri(finding("L5-S1", zone="paracentral")), "high_iliac_crest": True},
        CAND,
        EL,
        approach=IL,
        deciding="candidate",
        approach_rule="l5s1_high_iliac_crest",
        also=("l5s1_default_interlaminar",),
    ),
    v(
        "foraminal herniation behind a high crest at L5-S1: the surgeon chooses",
        {"imaging": mri(finding("L5-S1", zone="foraminal")), "high_iliac_crest": True},
        CAND,
        EL,
        approach="surgeon_choice",
        approach_rule="lateral_disease_behind_high_iliac_crest",
        also=("foraminal_disease",),
    ),
    v(
        "extraforaminal herniation behind a high crest is never interlaminar",
        {"imaging": mri(finding("L5-S1", zone="extraforaminal")), "high_iliac_crest": True},
        CAND,
        EL,
        approach="surgeon_choice",
        approach_rule="lateral_disease_behind_high_iliac_crest",
    ),
    v(
        "foraminal stenosis behind a high crest: the surgeon chooses",
        {"imaging": mri(finding("L5-S1", "foraminal_stenosis")), "high_iliac_crest": True},
        CAND,
        EL,
        approach="surgeon_choice",
        approach_rule="lateral_disease_behind_high_iliac_crest",
    ),
    v(
        "extraforaminal with high-grade migration is never interlaminar",
        {"imaging": mri(finding("L4-L5", zone="extraforaminal", migration="high_grade"))},
        CAND,
        EL,
        approach=TF,
        approach_rule="foraminal_disease",
    ),
    v(
        "high crest matters only at L5-S1",
        {"high_iliac_crest": True},
        CAND,
        EL,
        approach=TF,
        approach_rule="transforaminal_default",
    ),
    v(
        "foraminal stenosis",
        {"imaging": mri(finding("L4-L5", "foraminal_stenosis"))},
        CAND,
        EL,
        approach=TF,
        approach_rule="foraminal_disease",
    ),
    v(
        "foraminal herniation",
        {"imaging": mri(finding(zone="foraminal"))},
        CAND,
        EL,
        approach=TF,
        approach_rule="foraminal_disease",
    ),
    v(
        "extraforaminal herniation at L5-S1 without a high crest",
        {"imaging": mri(finding("L5-S1", zone="extraforaminal"))},
        CAND,
        EL,
        approach=TF,
        approach_rule="foraminal_disease",
        also=("l5s1_default_interlaminar",),
    ),
    v(
        "foraminal herniation beats high-grade migration",
        {"imaging": mri(finding(zone="foraminal", migration="high_grade"))},
        CAND,
        EL,
        approach=TF,
        approach_rule="foraminal_disease",
        also=("high_grade_migration",),
    ),
    v(
        "high-grade migration",
        {"imaging": mri(finding(zone="paracentral", migration="high_grade"))},
        CAND,
        EL,
        approach=IL,
        approach_rule="high_grade_migration",
    ),
    v(
        "low-grade migration stays transforaminal",
        {"imaging": mri(finding(zone="paracentral", migration="low_grade"))},
        CAND,
        EL,
        approach=TF,
        approach_rule="transforaminal_default",
    ),
    v(
        "high-grade migration beats recurrence",
        {"imaging": mri(finding(migration="high_grade")), "prior_surgery_same_level": True},
        CAND,
        EL,
        approach=IL,
        approach_rule="high_grade_migration",
        also=("recurrent_herniation",),
    ),
    v(
        "central stenosis",
        {"imaging": mri(finding("L3-L4", "central_stenosis"))},
        CAND,
        EL,
        approach=IL,
        approach_rule="canal_or_recess_stenosis",
    ),
    v(
        "lateral recess stenosis",
        {"imaging": mri(finding("L4-L5", "lateral_recess_stenosis"))},
        CAND,
        EL,
        approach=IL,
        approach_rule="canal_or_recess_stenosis",
    ),
    v(
        "recurrent herniation",
        {"prior_surgery_same_level": True},
        CAND,
        EL,
        approach=TF,
        approach_rule="recurrent_herniation",
    ),
    v(
        "recurrence beats the L5-S1 default",
        {"imaging": mri(finding("L5-S1", zone="paracentral")), "prior_surgery_same_level": True},
        CAND,
        EL,
        approach=TF,
        approach_rule="recurrent_herniation",
        also=("l5s1_default_interlaminar",),
    ),
    v(
        "L5-S1 central herniation",
        {"imaging": mri(finding("L5-S1", zone="central"))},
        CAND,
        EL,
        approach=IL,
        approach_rule="l5s1_default_interlaminar",
    ),
    v(
        "calcified L5-S1 herniation",
        {"imaging": mri(finding("L5-S1", calcified=True))},
        CAND,
        EL,
        approach=IL,
        approach_rule="l5s1_default_interlaminar",
    ),
    v(
        "T12-L1 herniation",
        {"imaging": mri(finding("T12-L1"))},
        CAND,
        EL,
        approach=TF,
        approach_rule="transforaminal_default",
    ),
    v(
        "approach reads the first finding only",
        {
            "imaging": mri(
                finding("L4-L5", zone="paracentral"), finding("L5-S1", "central_stenosis")
            )
        },
        CAND,
        EL,
        approach=TF,
        approach_rule="transforaminal_default",
    ),
    v(
        "no approach unless a candidate",
        {"imaging": mri(finding("L5-S1")), "conservative_care_weeks": 0},
        "conservative_care",
        EL,
        deciding="conservative_care_too_short",
    ),
]
