"""On a phone, a patient reports numbness in the saddle area and is told at once to call."""

from datetime import timedelta

import pytest

from endospine.core import clock
from endospine.journey.models import Episode, Stage
from endospine.recover.models import Alert
from endospine.recover.services import start_recovery

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.browser
def test_emergency_answer_on_a_phone_shows_the_call_screen(
    live_server, cast, phone_page, login, assert_accessible
):
    Episode.objects.filter(pk=cast.episode.pk).update(stage=Stage.RECOVER)
    episode = Episode.objects.get(pk=cast.episode.pk)
    start_recovery(episode=episode, discharged_at=clock.now() - timedelta(days=1), actor=cast.nurse)
    page = phone_page
    login(page, live_server, "pat")
    page.goto(f"{live_server.url}/recover/episodes/{episode.pk}/checkin/")
    page.get_by_role("heading", name="How are you today?").wait_for()
    assert_accessible(page)

    page.get_by_label("Numb between your legs, around your bottom or genitals").check()
    page.get_by_role("group", name="Leg pain now").get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Send to my care team").click()

    page.get_by_role("heading", name="Call 911 now").wait_for()
    call = page.get_by_role("link", name="Call 911")
    assert call.get_attribute("href") == "tel:911"
    box = call.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844  # visible without scrolling
    screen = page.locator(".emergency-screen").bounding_box()
    assert screen is not None and screen["width"] >= 389 and screen["height"] >= 843
    assert_accessible(page)
    assert Alert.objects.get(episode=episode).severity == "emergency"


@pytest.mark.browser
def test_every_answer_on_the_check_in_is_a_44px_target_on_a_phone(
    live_server, cast, phone_page, login
):
    Episode.objects.filter(pk=cast.episode.pk).update(stage=Stage.RECOVER)
    episode = Episode.objects.get(pk=cast.episode.pk)
    start_recovery(episode=episode, discharged_at=clock.now() - timedelta(days=1), actor=cast.nurse)
    page = phone_page
    login(page, live_server, "pat")
    page.goto(f"{live_server.url}/recover/episodes/{episode.pk}/checkin/")
    page.get_by_role("heading", name="How are you today?").wait_for()
    small = page.evaluate(
        """() => [...document.querySelectorAll(
                'form input:not([type=hidden]), form select, form textarea, form button'
            )].map(el => {
            const choice = el.type === 'checkbox' || el.type === 'radio';
            const target = choice ? el.closest('label') : el;
            const box = target ? target.getBoundingClientRect() : {width: 0, height: 0};
            return {name: el.name + '=' + el.value, w: box.width, h: box.height};
        }).filter(t => t.w < 44 || t.h < 44)"""
    )
    assert small == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
