"""The assess pages, per role, through the Django test client."""

from typing import Any

import pytest

from endospine.assess.models import Assessment, Decision, Findings, Intake
from endospine.assess.services import assessment_record, findings_record, intake_submit
from endospine.assess.tests.test_services import FINDINGS, INTAKE
from endospine.audit.models import AuditEvent
from endospine.journey import panels
from endospine.journey.models import Stage

pytestmark = pytest.mark.django_db


def form_answers(**changes: str) -> dict[str, str]:
    def text(value: Any) -> str:
        return ("yes" if value else "no") if isinstance(value, bool) else str(value)

    answers = {k: text(v) for k, v in INTAKE.items()}
    return answers | changes


def ready(cast: Any) -> Assessment:
    intake_submit(episode=cast.episode, actor=cast.pat.user, answers=INTAKE)
    findings_record(episode=cast.episode, actor=cast.surgeon, data=FINDINGS)
    return assessment_record(episode=cast.episode, actor=cast.nurse)


def url(name: str, cast: Any) -> str:
    return f"/assess/{cast.episode.pk}/{name}"


def test_patient_answers_the_intake(cast: Any) -> None:
    client = cast.client_for(cast.pat.user)
    page = client.get(url("intake/", cast))
    assert page.status_code == 200
    assert b"Call 911 now" in page.content  # present for the no-JavaScript instant notice
    response = client.post(url("intake/", cast), form_answers())
    assert response.status_code == 302 and response["Location"] == url("", cast)
    assert Intake.objects.get().submitted_by == cast.pat.user
    result = client.get(url("", cast))
    assert b"your answers have arrived" in result.content
    assert b"emergency-instruction" not in result.content


@pytest.mark.parametrize("question", ["saddle_numbness", "bladder_change", "bowel_change"])
def test_cauda_equina_yes_shows_the_emergency_instruction(cast: Any, question: str) -> None:
    client = cast.client_for(cast.pat.user)
    result = client.post(url("intake/", cast), form_answers(**{question: "yes"}), follow=True)
    assert b'id="emergency-instruction"' in result.content
    assert b'href="tel:911"' in result.content


def test_worsening_weakness_shows_the_emergency_instruction(cast: Any) -> None:
    client = cast.client_for(cast.pat.user)
    result = client.post(url("intake/", cast), form_answers(weakness="progressive"), follow=True)
    assert b'id="emergency-instruction"' in result.content


def test_unanswered_safety_question_is_refused_by_name(cast: Any) -> None:
    answers = form_answers()
    del answers["bladder_change"]
    response = cast.client_for(cast.pat.user).post(url("intake/", cast), answers)
    assert response.status_code == 422
    assert "bladder_change" in response.context["form"].errors
    assert not Intake.objects.exists()


@pytest.mark.parametrize("who", ["quinn", "nurse_south", "lead", "admin"])
def test_others_cannot_open_pats_intake(cast: Any, who: str) -> None:
    user = cast.quinn.user if who == "quinn" else getattr(cast, who)
    client = cast.client_for(user)
    assert client.get(url("intake/", cast)).status_code == 404
    assert client.get(url("", cast)).status_code == 404
    assert client.get(url("staff/", cast)).status_code == 404


def test_patient_cannot_open_staff_pages(cast: Any) -> None:
    client = cast.client_for(cast.pat.user)
    assert client.get(url("staff/", cast)).status_code == 403
    assert client.get(url("findings/", cast)).status_code == 403
    assert client.post(url("assessments/", cast)).status_code == 403
    assert client.get("/assess/rules/").status_code == 403


def test_anonymous_is_sent_to_sign_in(cast: Any) -> None:
    from django.test import Client

    assert Client().get(url("intake/", cast)).status_code == 302


def test_nurse_records_findings_and_an_assessment(cast: Any) -> None:
    intake_submit(episode=cast.episode, actor=cast.pat.user, answers=INTAKE)
    client = cast.client_for(cast.nurse)
    data = {
        "modality": "mri",
        "imaging_date": "2026-10-01",
        "concordant": "on",
        "spondylolisthesis_grade": "0",
        "scoliosis_cobb": "0",
        "motor_deficit": "",
        "level-TOTAL_FORMS": "3",
        "level-INITIAL_FORMS": "0",
        "level-0-level": "L4-L5",
        "level-0-pathology": "disc_herniation",
        "level-0-zone": "foraminal",
        "level-0-migration": "none",
    }
    assert client.get(url("findings/", cast)).status_code == 200
    assert client.post(url("findings/", cast), data).status_code == 302
    assert Findings.objects.get().levels[0]["zone"] == "foraminal"
    assert client.post(url("assessments/", cast)).status_code == 302
    page = client.get(url("staff/", cast))
    assert b"foraminal_disease" in page.content and b"rule set 1.1.0" in page.content
    assert AuditEvent.objects.filter(detail="GET /assess/<uuid:episode_id>/staff/").exists()


def test_finding_without_pathology_is_refused_naming_it(cast: Any) -> None:
    client = cast.client_for(cast.nurse)
    data = {
        "modality": "mri",
        "spondylolisthesis_grade": "0",
        "scoliosis_cobb": "0",
        "level-TOTAL_FORMS": "3",
        "level-INITIAL_FORMS": "0",
        "level-0-level": "L4-L5",
    }
    response = client.post(url("findings/", cast), data)
    assert response.status_code == 422
    assert "pathology" in response.content.decode()
    assert not Findings.objects.exists()


def test_assessment_without_intake_shows_the_error(cast: Any) -> None:
    response = cast.client_for(cast.nurse).post(url("assessments/", cast))
    assert response.status_code == 422
    assert b"intake answers are needed first" in response.content


def test_nurse_cannot_decide(cast: Any) -> None:
    assessment = ready(cast)
    response = cast.client_for(cast.nurse).post(
        f"/assess/assessments/{assessment.pk}/decide/", {"kind": "confirm"}
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_surgeon_confirms_and_the_episode_moves_to_prepare(cast: Any) -> None:
    assessment = ready(cast)
    client = cast.client_for(cast.surgeon)
    assert b"Save decision" in client.get(url("staff/", cast)).content
    response = client.post(f"/assess/assessments/{assessment.pk}/decide/", {"kind": "confirm"})
    assert response.status_code == 302
    cast.episode.refresh_from_db()
    assert cast.episode.stage == Stage.PREPARE
    patient_page = cast.client_for(cast.pat.user).get(url("", cast))
    assert b"Endoscopic (keyhole) surgery is an option" in patient_page.content
    assert b"Other options" in patient_page.content
    assert b"does not replace advice from your care team" in patient_page.content


def test_override_needs_a_reason_and_then_shows_both(cast: Any) -> None:
    assessment = ready(cast)
    client = cast.client_for(cast.surgeon)
    decide = f"/assess/assessments/{assessment.pk}/decide/"
    refused = client.post(decide, {"kind": "override", "recommendation": "conservative_care"})
    assert refused.status_code == 422 and b"say why you override" in refused.content
    client.post(
        decide,
        {
            "kind": "override",
            "recommendation": "conservative_care",
            "reason": "Wants to try injections first",
        },
    )
    page = client.get(url("staff/", cast)).content.decode()
    # Staff read the rule file's label, never the raw code (issue 11 item 15).
    assert (
        "Overridden" in page and "Suggested was Endoscopic (keyhole) surgery is an option" in page
    )
    assert "endoscopic_candidate" not in page.split("<main")[1].split("rule-")[0]
    assert "Wants to try injections first" in page


def test_surgeon_of_another_site_cannot_decide(cast: Any) -> None:
    from endospine.accounts.models import Role
    from endospine.testing import make_staff

    other = make_staff("olga_surgeon", Role.SURGEON, cast.south)
    assessment = ready(cast)
    response = cast.client_for(other).post(
        f"/assess/assessments/{assessment.pk}/decide/", {"kind": "confirm"}
    )
    assert response.status_code == 404


def test_rule_table_shows_every_rule_with_its_source(cast: Any) -> None:
    page = cast.client_for(cast.nurse).get("/assess/rules/").content.decode()
    assert "version 1.1.0" in page
    for rule_id in [
        "cauda_equina_or_progressive_deficit",
        "axial_back_pain",
        "l5s1_high_iliac_crest",
        "transforaminal_default",
    ]:
        assert f'id="rule-{rule_id}"' in page
    assert "NICE NG59" in page


def test_links_are_registered_for_patient_and_staff() -> None:
    assert "assess:patient" in [p.url_name for p in panels.for_episode("assess", "patient")]
    for stage in ("assess", "prepare"):
        assert "assess:staff" in [p.url_name for p in panels.for_episode(stage, "staff")]


def test_nurse_may_enter_the_intake_for_the_patient(cast: Any) -> None:
    response = cast.client_for(cast.nurse).post(url("intake/", cast), form_answers())
    assert response.status_code == 302
    assert Intake.objects.get().submitted_by == cast.nurse


def test_patient_home_links_to_the_assessment(cast: Any) -> None:
    home = cast.client_for(cast.pat.user).get("/episodes/home/")
    assert f"/assess/{cast.episode.pk}/".encode() in home.content


def test_change_my_answers_opens_with_the_earlier_answers(cast: Any) -> None:
    intake_submit(episode=cast.episode, actor=cast.pat.user, answers=INTAKE)
    form = cast.client_for(cast.pat.user).get(url("intake/", cast)).context["form"]
    assert form["leg_pain"].value() == str(INTAKE["leg_pain"])
    assert form["symptom_weeks"].value() == str(INTAKE["symptom_weeks"])
    assert form["numbness"].value() == ("yes" if INTAKE["numbness"] else "no")
    # The safety questions are about today: asked again, never pre-answered.
    for question in ("saddle_numbness", "bladder_change", "bowel_change", "weakness"):
        assert form[question].value() is None


def test_an_untouched_findings_form_is_refused(cast: Any) -> None:
    client = cast.client_for(cast.nurse)
    page = client.get(url("findings/", cast)).content.decode()
    assert '<option value="mri" selected>' not in page  # nothing pre-chosen
    empty = {"level-TOTAL_FORMS": "3", "level-INITIAL_FORMS": "0", "spondylolisthesis_grade": "0",
             "scoliosis_cobb": "0"}  # fmt: skip
    assert client.post(url("findings/", cast), empty).status_code == 422
    assert client.post(url("findings/", cast), {**empty, "modality": "mri"}).status_code == 422
    assert not Findings.objects.exists()


def test_the_decision_form_has_no_preselected_outcome(cast: Any) -> None:
    """Issue 11 item 6: the surgeon picks confirm or override on purpose."""
    ready(cast)
    body = cast.client_for(cast.surgeon).get(url("staff/", cast)).content.decode()
    radios = [tag for tag in body.split("<input")[1:] if 'name="kind"' in tag.split(">")[0]]
    assert len(radios) == 2
    assert not any("checked" in tag.split(">")[0] for tag in radios)
