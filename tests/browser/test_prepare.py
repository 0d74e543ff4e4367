"""A patient ticks a preparation item on their phone, in a real browser."""

from datetime import date, timedelta

import pytest

from endospine.journey.models import Stage
from endospine.journey.services import change_stage
from endospine.prepare.models import ChecklistItem, ItemState

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.browser
def test_a_patient_ticks_an_item_on_their_phone(
    live_server, cast, phone_page, login, assert_accessible
):
    episode = cast.episode
    episode.surgery_date = date.today() + timedelta(days=20)
    episode.save()
    change_stage(episode=episode, to_stage=Stage.PREPARE, actor=cast.surgeon)

    login(phone_page, live_server, "pat")
    phone_page.goto(f"{live_server.url}/prepare/{episode.pk}/")
    phone_page.get_by_role("heading", name="Getting ready for your operation").wait_for()
    assert_accessible(phone_page)

    phone_page.get_by_role("button", name="Mark “An adult to take you home” as done").click()
    card = phone_page.locator(".prep-item", has_text="An adult to take you home")
    card.get_by_text("Undo: I have not done this yet").wait_for()
    assert "Done" in card.inner_text()
    assert "1 of 16" in phone_page.locator("#prep-progress").inner_text()

    escort = ChecklistItem.objects.get(checklist__episode=episode, code="escort_home")
    assert escort.state == ItemState.DONE
    assert escort.done_by == cast.pat.user
    # Staff items have no button for the patient.
    assert phone_page.get_by_role("button", name="Mark “Consent signed” as done").count() == 0
