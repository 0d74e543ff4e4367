"""Assess in a real browser: a patient answers the intake on a phone (and is told to
call the emergency number the moment a cauda equina answer is yes); a surgeon
confirms the suggested assessment and the episode moves on to prepare."""

import re

import pytest

from endospine.assess.services import assessment_record, findings_record, intake_submit
from endospine.assess.tests.test_services import FINDINGS, INTAKE
from endospine.journey.models import Episode, Stage

pytestmark = pytest.mark.django_db(transaction=True)


def _answer(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


@pytest.mark.browser
def test_patient_answers_the_intake_on_a_phone(
    live_server, cast, phone_page, login, assert_accessible
):
    page = phone_page
    login(page, live_server, "pat")
    page.goto(f"{live_server.url}/assess/{cast.episode.pk}/intake/")
    page.get_by_role("heading", name="Questions about your pain").wait_for()
    assert_accessible(page)
    emergency = page.locator(".emergency-now")
    assert not emergency.is_visible()

    # A yes to a cauda equina question shows the instruction at once, before sending.
    _answer(page, "Have you had new trouble passing urine", "Yes")
    assert emergency.is_visible()
    assert "Call 911 now" in emergency.inner_text()
    _answer(page, "Have you had new trouble passing urine", "No")
    assert not emergency.is_visible()

    _answer(page, "Is there numbness between your legs", "No")
    _answer(page, "Have you had new trouble controlling your bowels", "No")
    _answer(page, "Have you had a new change in sexual feeling", "No")
    _answer(page, "Do you now have pain, numbness or weakness in both legs", "No")
    _answer(page, "Is your leg or foot weaker than usual?", "A little weaker")
    _answer(page, "How bad is the pain in your leg", "8")
    _answer(page, "How bad is the pain in your back", "3")
    page.get_by_label("About how many weeks ago did the pain start?").fill("10")
    _answer(page, "Do you have numbness or pins and needles", "Yes")
    page.get_by_label("How many weeks of physiotherapy").fill("8")
    page.get_by_label("How many weeks have you taken pain medicine").fill("6")
    page.get_by_label("How many weeks since your first injection").fill("0")
    page.get_by_role("button", name="Send my answers").click()

    page.get_by_role("heading", name="Thank you: your answers have arrived").wait_for()
    assert cast.episode.intakes.get().leg_pain == 8
    assert_accessible(page)


@pytest.mark.browser
def test_patient_reporting_bladder_trouble_is_told_to_call_now(
    live_server, cast, phone_page, login
):
    page = phone_page
    login(page, live_server, "pat")
    page.goto(f"{live_server.url}/assess/{cast.episode.pk}/intake/")
    _answer(page, "Have you had new trouble passing urine", "Yes")
    _answer(page, "Is there numbness between your legs", "No")
    _answer(page, "Have you had new trouble controlling your bowels", "No")
    _answer(page, "Have you had a new change in sexual feeling", "No")
    _answer(page, "Do you now have pain, numbness or weakness in both legs", "No")
    _answer(page, "Is your leg or foot weaker than usual?", "No weakness")
    _answer(page, "How bad is the pain in your leg", "6")
    _answer(page, "How bad is the pain in your back", "6")
    page.get_by_label("About how many weeks ago did the pain start?").fill("2")
    _answer(page, "Do you have numbness or pins and needles", "No")
    for label in ("physiotherapy", "pain medicine", "first injection"):
        page.get_by_label(label).fill("0")
    page.get_by_role("button", name="Send my answers").click()

    alert = page.locator("#emergency-instruction")
    alert.wait_for()
    assert "Call 911 now" in alert.inner_text()
    assert alert.get_by_role("link", name="911").first.get_attribute("href") == "tel:911"


@pytest.mark.browser
def test_surgeon_confirms_and_the_episode_moves_to_prepare(
    live_server, cast, page, login, assert_accessible
):
    intake_submit(episode=cast.episode, actor=cast.pat.user, answers=INTAKE)
    findings_record(episode=cast.episode, actor=cast.surgeon, data=FINDINGS)
    assessment_record(episode=cast.episode, actor=cast.nurse)

    login(page, live_server, "sam_surgeon")
    page.goto(f"{live_server.url}/assess/{cast.episode.pk}/staff/")
    page.get_by_role(
        "heading", name=re.compile(r"^Suggested: Endoscopic \(keyhole\) surgery")
    ).wait_for()
    assert_accessible(page)
    assert page.get_by_role("cell", name="candidate", exact=True).is_visible()

    page.get_by_role("group", name="Decision").get_by_label("Confirmed").check()
    page.get_by_role("button", name="Save decision").click()

    page.get_by_text("Confirmed by").wait_for()
    assert Episode.objects.get(pk=cast.episode.pk).stage == Stage.PREPARE
