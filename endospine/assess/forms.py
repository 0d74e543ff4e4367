"""Page forms of the assess step. They parse what the browser sends; the services
validate again (schemas.py) so every entry point refuses the same bad input."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from endospine.assess.inputs import LEVELS, MIGRATIONS, PATHOLOGIES, RED_FLAGS, ZONES
from endospine.assess.models import DecisionKind, Weakness
from endospine.assess.rules import APPROACHES, RECOMMENDATIONS

YES_NO = [("yes", "Yes"), ("no", "No")]
PAIN = [(str(i), str(i)) for i in range(11)]


def _yes_no(
    label: "StrOrPromise", help_text: str = "", emergency: bool = False
) -> forms.TypedChoiceField:
    attrs = {"data-emergency": "1"} if emergency else {}
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        help_text=help_text,
        widget=forms.RadioSelect(attrs=attrs),
    )


def _weeks(label: str, help_text: str = "Write 0 if you have not tried it.") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=5200,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def _pain(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=PAIN,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="0 means no pain, 10 the worst pain you can imagine.",
    )


class IntakeForm(forms.Form):
    leg_pain = _pain("How bad is the pain in your leg, on average this week?")
    back_pain = _pain("How bad is the pain in your back, on average this week?")
    symptom_weeks = _weeks("About how many weeks ago did the pain start?", "")
    physio_weeks = _weeks("How many weeks of physiotherapy or exercises have you done?")
    medication_weeks = _weeks("How many weeks have you taken pain medicine for it?")
    injection_weeks = _weeks("How many weeks since your first injection for it?")
    weakness = forms.ChoiceField(
        label="Is your leg or foot weaker than usual?",
        choices=Weakness.choices,
        widget=forms.RadioSelect(attrs={"data-weakness": "1"}),
    )
    numbness = _yes_no("Do you have numbness or pins and needles in your leg or foot?")
    saddle_numbness = _yes_no(
        "Is there numbness between your legs, around your bottom or genitals, or on the "
        "inner thighs (for example when you wipe)?",
        emergency=True,
    )
    bladder_change = _yes_no(
        "Have you had new trouble passing urine, or leaking urine you cannot control?",
        emergency=True,
    )
    bowel_change = _yes_no(
        "Have you had new trouble controlling your bowels, or not felt them empty?",
        emergency=True,
    )
    sexual_dysfunction = _yes_no(
        _("Have you had a new change in sexual feeling or function, such as numb genitals?"),
        emergency=True,
    )
    both_legs = _yes_no(
        _("Do you now have pain, numbness or weakness in both legs?"),
        emergency=True,
    )


def _choices(values: tuple[str, ...], blank: str = "") -> list[tuple[str, str]]:
    return [("", blank)] * bool(blank) + [(v, v.replace("_", " ")) for v in values]


class FindingForm(forms.Form):
    level = forms.ChoiceField(choices=_choices(LEVELS, "(no finding)"), required=False)
    pathology = forms.ChoiceField(choices=_choices(PATHOLOGIES, "—"), required=False)
    zone = forms.ChoiceField(choices=_choices(ZONES, "not applicable"), required=False)
    migration = forms.ChoiceField(choices=_choices(MIGRATIONS, "not applicable"), required=False)
    calcified = forms.BooleanField(required=False)

    def as_finding(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("level"):
            return None
        return {
            "level": data["level"],
            "pathology": data.get("pathology") or "",
            "zone": data.get("zone") or None,
            "migration": data.get("migration") or None,
            "calcified": bool(data.get("calcified")),
        }


FindingFormSet = forms.formset_factory(FindingForm, extra=3, max_num=3)


class FindingsForm(forms.Form):
    # No default: a form sent untouched must not read as "MRI done, nothing found".
    modality = forms.ChoiceField(
        label="Imaging", choices=_choices(("mri", "ct", "none"), "Choose the imaging")
    )
    imaging_date = forms.DateField(
        label="Date of the scan", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    concordant = forms.BooleanField(
        label="The scan matches the symptoms (level and side)", required=False
    )
    spondylolisthesis_grade = forms.IntegerField(
        label="Spondylolisthesis grade (0-4)", min_value=0, max_value=4, initial=0
    )
    dynamic_instability = forms.BooleanField(
        label="Dynamic instability on flexion/extension", required=False
    )
    scoliosis_cobb = forms.IntegerField(
        label="Scoliosis Cobb angle (degrees)", min_value=0, max_value=180, initial=0
    )
    prior_surgery_same_level = forms.BooleanField(
        label="Operated before at this level", required=False
    )
    side = forms.ChoiceField(
        label="Side of the symptoms and compression",
        choices=[("", "not given"), ("left", "Left"), ("right", "Right"),
                 ("bilateral", "Bilateral"), ("central", "Central / midline")],
        required=False,
    )  # fmt: skip
    high_iliac_crest = forms.BooleanField(label="High iliac crest", required=False)
    red_flags_asked = forms.BooleanField(
        label=_("I asked about every red flag below (none ticked means none present)"),
        required=False,
    )
    red_flags = forms.MultipleChoiceField(
        choices=_choices(RED_FLAGS), required=False, widget=forms.CheckboxSelectMultiple
    )
    motor_deficit = forms.ChoiceField(
        label="Motor deficit on examination",
        choices=[("", "not examined: use the patient's answer"), *Weakness.choices],
        required=False,
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=DecisionKind.choices,
        widget=forms.RadioSelect,
        label="Decision",
        # No default: the surgeon picks confirm or override on purpose.
        error_messages={"required": "Choose whether you confirm or override the suggestion"},
    )
    recommendation = forms.ChoiceField(
        choices=_choices(RECOMMENDATIONS, "(keep the suggestion)"),
        required=False,
        label="Decided recommendation (when overriding)",
    )
    approach = forms.ChoiceField(
        choices=_choices(APPROACHES, "(none / keep)"),
        required=False,
        label="Approach (when overriding)",
    )
    reason = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason (required when overriding)",
    )
