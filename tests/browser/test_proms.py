"""A patient answers their 6-week questionnaires on a phone and sees their progress."""

from datetime import timedelta

import pytest

from endospine.core import clock
from endospine.journey.models import Episode, Stage
from endospine.proms import services
from endospine.proms.models import Response


def _six_weeks_after_surgery(episode: Episode) -> None:
    surgery = clock.now().date() - timedelta(days=42)
    Episode.objects.filter(pk=episode.pk).update(stage=Stage.RECOVER, surgery_date=surgery)
    episode.refresh_from_db()
    services.schedule_followup(episode=episode, surgery_date=surgery)


@pytest.mark.browser
def test_patient_answers_questionnaires_on_a_phone(
    transactional_db, live_server, cast, phone_page, login, assert_accessible
):
    page = phone_page
    _six_weeks_after_surgery(cast.episode)
    login(page, live_server, "pat")
    page.goto(f"{live_server.url}/proms/episodes/{cast.episode.pk}/")
    page.get_by_role("link", name="Answer now").click()
    page.get_by_role("heading", name="Questionnaires: 6 weeks").wait_for()
    assert_accessible(page)

    # Send with the leg pain left out: the page says what is missing and keeps the rest.
    page.get_by_role("group", name="how strong has the pain in your lower back").get_by_label(
        "3", exact=True
    ).check()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("answer the pain score").first.wait_for()
    assert Response.objects.count() == 0

    page.get_by_role("group", name="pain going down your leg").get_by_label("2", exact=True).check()
    for section in (
        "Pain intensity",
        "Personal care",
        "Lifting",
        "Walking",
        "Sitting",
        "Standing",
        "Sleeping",
        "Social life",
        "Travelling",
    ):
        page.get_by_role("group", name=section).get_by_label("1", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()

    page.get_by_role("heading", name="My progress").wait_for()
    assert Response.objects.filter(episode=cast.episode).count() == 3
    assert page.locator("svg.prom-chart").count() == 3
    page.get_by_text("Daily life (own questions) 6 weeks: 20 out of 100", exact=True).wait_for()
    assert page.get_by_role("img", name="Leg pain, out of 10, lower is better").is_visible()
    assert_accessible(page)
