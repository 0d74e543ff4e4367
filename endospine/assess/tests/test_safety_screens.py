"""Issue 16 items 3-4: the red-flag and cauda equina screens are recorded as asked,
and a candidate decision waits until both were asked."""

from typing import Any

import pytest

from endospine.assess.models import Decision
from endospine.assess.services import (
    assessment_record,
    decision_record,
    findings_record,
    intake_submit,
)
from endospine.assess.tests.test_pages import form_answers
from endospine.assess.tests.test_services import FINDINGS, INTAKE
from endospine.core.errors import DomainError
from endospine.journey.models import Stage


def assess(cast: Any, intake: dict[str, Any], findings: dict[str, Any]) -> Any:
    intake_submit(episode=cast.episode, actor=cast.pat.user, answers=intake)
    findings_record(episode=cast.episode, actor=cast.surgeon, data=findings)
    return assessment_record(episode=cast.episode, actor=cast.nurse)


def test_candidate_cannot_be_confirmed_while_red_flags_were_never_asked(cast: Any) -> None:
    assessment = assess(cast, INTAKE, FINDINGS | {"red_flags_asked": False})
    assert assessment.recommendation == "endoscopic_candidate"
    with pytest.raises(DomainError) as caught:
        decision_record(assessment=assessment, actor=cast.surgeon, kind="confirm")
    assert caught.value.errors[0][0] == "red_flags"
    assert not Decision.objects.exists()
    cast.episode.refresh_from_db()
    assert cast.episode.stage != Stage.PREPARE


def test_candidate_cannot_be_confirmed_while_cauda_equina_screen_was_incomplete(
    cast: Any,
) -> None:
    old_intake = {k: v for k, v in INTAKE.items() if k not in ("sexual_dysfunction", "both_legs")}
    assessment = assess(cast, old_intake, FINDINGS)
    with pytest.raises(DomainError) as caught:
        decision_record(
            assessment=assessment,
            actor=cast.surgeon,
            kind="override",
            recommendation="endoscopic_candidate",
            reason="clinic",
        )
    assert caught.value.errors[0][0] == "cauda_equina"


def test_non_candidate_decision_needs_no_screen(cast: Any) -> None:
    assessment = assess(cast, INTAKE | {"leg_pain": 2, "back_pain": 7}, {"modality": "none"})
    decision_record(assessment=assessment, actor=cast.surgeon, kind="confirm")
    assert Decision.objects.count() == 1


def test_asked_screens_allow_the_candidate_decision(cast: Any) -> None:
    assessment = assess(cast, INTAKE, FINDINGS)
    decision_record(assessment=assessment, actor=cast.surgeon, kind="confirm")
    cast.episode.refresh_from_db()
    assert cast.episode.stage == Stage.PREPARE


def test_staff_page_says_when_red_flags_were_not_asked(cast: Any) -> None:
    assess(cast, INTAKE, FINDINGS | {"red_flags_asked": False})
    page = cast.client_for(cast.nurse).get(f"/assess/{cast.episode.pk}/staff/")
    assert b"NOT ASKED" in page.content


@pytest.mark.parametrize("question", ["sexual_dysfunction", "both_legs"])
def test_new_cauda_equina_questions_give_the_emergency_instruction(
    cast: Any, question: str
) -> None:
    client = cast.client_for(cast.pat.user)
    url = f"/assess/{cast.episode.pk}/intake/"
    result = client.post(url, form_answers(**{question: "yes"}), follow=True)
    assert b'id="emergency-instruction"' in result.content
    intake = cast.episode.intakes.get()
    assert intake.cauda_equina_signs and intake.needs_emergency_care


@pytest.mark.parametrize("question", ["sexual_dysfunction", "both_legs"])
def test_new_cauda_equina_questions_make_the_assessment_an_emergency(
    cast: Any, question: str
) -> None:
    assessment = assess(cast, INTAKE | {question: True}, FINDINGS)
    assert (assessment.recommendation, assessment.urgency) == ("emergency_referral", "emergency")
