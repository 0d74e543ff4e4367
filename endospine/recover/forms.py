"""The check-in page's form: turns the posted fields into the API contract (CheckinIn).

The page and the API validate with the same pydantic model, so they cannot
disagree on what a valid check-in is.
"""

from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

from endospine.recover.schemas import CheckinIn

# Questions asked as "tick any that are true today" (unticked = no).
RED_FLAGS: list[tuple[str, Any]] = [
    ("chest_pain", _("Chest pain")),
    ("short_of_breath", _("Short of breath, or breathing is hard")),
    ("confusion", _("Feeling confused, or others say you are not making sense")),
    ("collapse", _("You fainted, passed out or collapsed")),
    ("very_drowsy", _("Very sleepy and hard to wake, or breathing slowly")),
    ("face_swelling", _("Swollen lips, face or tongue, or hard to breathe after a new medicine")),
    ("arm_weakness", _("New weakness or numbness in an arm")),
    ("stiff_neck", _("A stiff neck with a fever or a bad headache")),
    ("new_weakness", _("A leg or foot is weaker than before, or you cannot lift it")),
    ("saddle_numbness", _("Numb between your legs, around your bottom or genitals")),
    ("bowel_incontinence", _("You cannot control your bowel (new)")),
    ("new_numbness", _("New numbness or pins and needles in a leg or foot")),
    ("calf_pain_swelling", _("Pain, warmth or swelling in a calf")),
    ("headache_upright", _("Headache that is worse sitting or standing and eases lying down")),
    ("clear_fluid_leak", _("Clear, watery fluid coming from the wound")),
    ("wound_open", _("The wound edges have come apart")),
    ("chills", _("Chills or shivering, even if your temperature is normal")),
    ("vomiting_no_fluids", _("Being sick and you cannot keep drinks down")),
    ("leg_pain_worse_than_before", _("Leg pain worse than before the operation")),
]
CHOICES: dict[str, list[tuple[str, Any]]] = {
    "pain_trend": [("better", _("Better")), ("same", _("About the same")), ("worse", _("Worse"))],
    "pain_controlled": [("yes", _("Yes")), ("no", _("No"))],
    "wound_redness": [("none", _("No redness")), ("mild", _("A little pink at the edges")),
                      ("spreading", _("Red and spreading"))],
    "wound_drainage": [("none", _("Dry")), ("bloody", _("A little blood")),
                       ("clear", _("Clear fluid")),
                       ("cloudy", _("Cloudy fluid")), ("pus", _("Pus (thick, yellow or green)")),
                       ("soaked", _("Blood has soaked the dressing")),
                       ("bleeding_not_stopping", _("Bleeding that will not stop"))],
    "bladder": [("normal", _("Normal")), ("retention", _("I cannot pass urine, or only a little")),
                ("incontinence", _("I leak urine and cannot control it (new)"))],
}  # fmt: skip
EMPTY_MESSAGE = _(
    "Answer at least one question before sending. If nothing is wrong, tell us your pain"
    ' scores or choose "Normal" for passing urine.'
)
_NOT_FLAGS = (
    "pain_back", "pain_leg", "pain_trend", "wound_redness", "wound_drainage", "bladder",
    "pain_controlled", "temperature_c", "free_text",
)  # fmt: skip
TEMPERATURE_MESSAGE = _("Enter a temperature from 30 to 45 C (86 to 113 F), or leave it empty.")
PAIN_SCALE = [str(n) for n in range(11)]
PAIN_QUESTIONS = [
    ("pain_leg", _("Leg pain now")),
    ("pain_back", _("Back pain now")),
]


def _temperature(post: QueryDict) -> float | str | None:
    raw = post.get("temperature", "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        return raw  # let the schema name the field
    if post.get("temperature_unit") == "F":
        value = (value - 32) * 5 / 9
    return round(value, 1)


def parse(post: QueryDict) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """(answers, {}) when valid; (None, {field: message}) otherwise."""
    raw: dict[str, Any] = {name: name in post.getlist("flags") for name, _ in RED_FLAGS}
    for name in ("pain_back", "pain_leg"):
        raw[name] = post.get(name) or None
    for name in ("pain_trend", "wound_redness", "wound_drainage", "bladder"):
        raw[name] = post.get(name) or None
    controlled = post.get("pain_controlled")
    raw["pain_controlled"] = {"yes": True, "no": False}.get(controlled or "")
    raw["temperature_c"] = _temperature(post)
    raw["free_text"] = post.get("free_text", "").strip() or None
    ticked = any(raw[name] for name, _ in RED_FLAGS)
    if not ticked and all(raw[name] is None for name in _NOT_FLAGS):
        # Nothing ticked and nothing answered: not a check-in that says "all is well".
        return None, {"answers": str(EMPTY_MESSAGE)}
    try:
        answers = CheckinIn.model_validate(raw)
    except ValidationError as exc:
        errors = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else ""
            errors[field] = str(error["msg"]).removeprefix("Value error, ")
        if "temperature_c" in errors:
            errors["temperature"] = str(TEMPERATURE_MESSAGE)
            del errors["temperature_c"]
        return None, errors
    return answers.model_dump(exclude_none=True), {}
