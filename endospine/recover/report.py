"""A check-in as a clinician reads it: each answer with its value and its change.

Reads only. "Change" compares with the episode's previous check-in (whatever
its level): a number says up/down from the earlier value, a coded answer says
what it was. The reasons come with the rule's rationale and source from
content/rules/triage.yaml, and what the patient was told.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from endospine.recover.models import Checkin
from endospine.recover.staff_words import StaffWords, staff_words
from endospine.recover.triage import ruleset

NUMERIC = ("temperature_c", "pain_leg", "pain_back")
# Rules that a non-yes/no answer fires (a yes/no red flag fires the rule of its own name).
FIELD_RULES = {
    "temperature_c": ("fever",),
    "pain_controlled": ("pain_uncontrolled",),
    "pain_leg": ("pain_severe",),
    "pain_back": ("pain_severe",),
    "wound_redness": ("wound_redness_spreading",),
    "wound_drainage": ("wound_pus", "clear_fluid_leak"),
    "bladder": ("bladder_retention", "bladder_incontinence"),
}


@dataclass(frozen=True)
class AnswerRow:
    field: str
    label: str
    value: str
    change: str
    flagged: bool  # a red-flag "yes", or a value that fired a rule


@dataclass(frozen=True)
class ReasonRow:
    code: str
    label: str
    level: str
    rationale: str
    source: str
    told: str  # what the patient read


@dataclass
class CheckinReport:
    checkin: Checkin
    previous: Checkin | None
    day: int | None
    answers: list[AnswerRow] = field(default_factory=list)
    reasons: list[ReasonRow] = field(default_factory=list)
    not_reported: list[str] = field(default_factory=list)


def _show(words: StaffWords, name: str, value: Any) -> str:
    unit = words.answers[name][1]
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "temperature_c":
        return f"{float(value):.1f} {unit}"
    if name in NUMERIC:
        return f"{value}{unit}"
    return words.value(name, value)


def _change(words: StaffWords, name: str, now: Any, before: Any, has_previous: bool) -> str:
    if not has_previous:
        return _("first check-in")
    if before is None:
        return _("not reported last time")
    if now == before:
        return _("unchanged")
    shown = _show(words, name, before)
    if name in NUMERIC:
        if now > before:
            return _("up from %(before)s") % {"before": shown}
        return _("down from %(before)s") % {"before": shown}
    return _("was %(before)s") % {"before": shown}


def _reasons(checkin: Checkin, words: StaffWords) -> list[ReasonRow]:
    rules = ruleset()
    rows = []
    for reason in checkin.reasons:
        rule = rules.rule(reason["code"])
        rows.append(
            ReasonRow(
                code=reason["code"],
                label=words.reason(reason["code"]),
                level=rule.level if rule else "urgent",
                rationale=rule.rationale if rule else _("Read in the patient's own words."),
                source=rule.source if rule else _("free-text symptom detector"),
                told=reason["message"],
            )
        )
    return rows


def previous_checkin(checkin: Checkin) -> Checkin | None:
    return (
        Checkin.objects.filter(episode_id=checkin.episode_id, submitted_at__lt=checkin.submitted_at)
        .order_by("-submitted_at")
        .first()
    )


def checkin_report(checkin: Checkin) -> CheckinReport:
    """Every answer with its change since the previous check-in, and the rules that fired."""
    words = staff_words()
    previous = previous_checkin(checkin)
    before = previous.answers if previous else {}
    fired = {r["code"] for r in checkin.reasons}
    report = CheckinReport(checkin, previous, checkin.answers.get("days_since_surgery"))
    for name, (label, _unit) in words.answers.items():
        now = checkin.answers.get(name)
        if now is None or (now is False and not before.get(name)):
            if now is None:
                report.not_reported.append(label)
            continue
        report.answers.append(
            AnswerRow(
                field=name,
                label=label,
                value=_show(words, name, now),
                change=_change(words, name, now, before.get(name), previous is not None),
                flagged=bool(fired & {name, *FIELD_RULES.get(name, ())}),
            )
        )
    report.reasons = _reasons(checkin, words)
    return report
