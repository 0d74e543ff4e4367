"""The patient's checklist page, the care team's page and the move to operate."""

import pytest
from django.urls import reverse

from endospine.journey.models import Stage, TimelineEvent
from endospine.prepare.models import ItemState
from endospine.prepare.services import item_tick, item_verify
from endospine.prepare.tests.conftest import item

pytestmark = pytest.mark.django_db


def _page(episode):
    return reverse("prepare:checklist", kwargs={"episode_id": episode.pk})


def _tick(episode, code):
    return reverse(
        "prepare:tick", kwargs={"episode_id": episode.pk, "item_id": item(episode, code).pk}
    )


def _operate(episode):
    return reverse("prepare:move_to_operate", kwargs={"episode_id": episode.pk})


def test_the_patient_page_shows_their_steps_and_the_care_team_notice(cast, preparing):
    response = cast.client_for(cast.pat.user).get(_page(preparing))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Getting ready for your operation" in html
    assert "An adult to take you home" in html
    assert "does not replace advice from your care team" in html
    assert "tel:911" in html
    assert "Mark “An adult to take you home” as done" in html
    assert "Mark “Consent signed” as done" not in html  # a staff item: no tick button


def test_the_patient_ticks_with_a_plain_form_post(cast, preparing):
    client = cast.client_for(cast.pat.user)
    response = client.post(_tick(preparing, "escort_home"), {"done": "1"})
    assert response.status_code == 302 and response["Location"] == _page(preparing)
    assert item(preparing, "escort_home").state == ItemState.DONE
    assert "Undo: I have not done this yet" in client.get(_page(preparing)).content.decode()


def test_htmx_gets_just_the_item_card(cast, preparing):
    response = cast.client_for(cast.pat.user).post(
        _tick(preparing, "escort_home"), {"done": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith("<li") and "<html" not in html
    assert "Done" in html
    assert 'id="prep-progress" hx-swap-oob="true"' in html and "1 of 16" in html


def test_the_patient_may_not_tick_a_staff_item_or_another_patients(cast, preparing):
    assert cast.client_for(cast.pat.user).post(_tick(preparing, "consent")).status_code == 403
    assert cast.client_for(cast.quinn.user).post(_tick(preparing, "escort_home")).status_code == 404
    assert cast.client_for(cast.quinn.user).get(_page(preparing)).status_code == 404
    assert item(preparing, "consent").state == ItemState.OPEN


def test_the_stop_date_shows_on_the_patient_page(cast, preparing):
    from datetime import timedelta

    stop = preparing.surgery_date - timedelta(days=5)
    item_verify(item=item(preparing, "medication_review"), actor=cast.nurse, stop_date=stop)
    html = cast.client_for(cast.pat.user).get(_page(preparing)).content.decode()
    assert "Date to stop, as your prescriber told you" in html


def test_the_staff_page_lists_items_the_gate_and_verifies(cast, preparing):
    client = cast.client_for(cast.nurse)
    html = client.get(_page(preparing)).content.decode()
    assert "Preparation checklist" in html and "Blocked until these are closed" in html
    assert "Override reason" not in html  # nurses may not override
    url = reverse(
        "prepare:verify",
        kwargs={"episode_id": preparing.pk, "item_id": item(preparing, "consent").pk},
    )
    assert client.post(url, {"state": "verified", "note": ""}).status_code == 302
    assert item(preparing, "consent").state == ItemState.VERIFIED
    refused = client.post(url, {"state": "not_applicable", "note": ""})
    assert refused.status_code == 422
    assert "say why this item does not apply" in refused.content.decode()


def test_a_nurse_cannot_move_past_the_gate_even_with_a_reason(cast, preparing):
    response = cast.client_for(cast.nurse).post(_operate(preparing), {"override_reason": "Hurry"})
    assert response.status_code == 403
    assert "only a surgeon may override" in response.content.decode()
    preparing.refresh_from_db()
    assert preparing.stage == Stage.PREPARE


def test_without_an_override_the_move_is_blocked_with_its_reasons(cast, preparing):
    response = cast.client_for(cast.surgeon).post(_operate(preparing), {"reason": ""})
    assert response.status_code == 422
    assert "Consent signed" in response.content.decode()


def test_a_surgeon_overrides_with_a_reason_shown_on_the_page(cast, preparing):
    client = cast.client_for(cast.surgeon)
    assert "Override reason" in client.get(_page(preparing)).content.decode()
    response = client.post(_operate(preparing), {"override_reason": "Consent on paper in theatre"})
    assert response.status_code == 302
    preparing.refresh_from_db()
    assert preparing.stage == Stage.OPERATE
    html = client.get(_page(preparing)).content.decode()
    assert "Consent on paper in theatre" in html
    assert TimelineEvent.objects.filter(episode=preparing, data__to="operate").exists()


def test_when_everything_is_closed_the_nurse_moves_to_operate(cast, preparing):
    for it in preparing.checklist.items.all():
        if it.owner == "patient":
            item_tick(item=it, actor=cast.pat.user)
        else:
            item_verify(item=it, actor=cast.nurse)
    html = cast.client_for(cast.nurse).get(_page(preparing)).content.decode()
    assert "All required items are closed" in html
    assert cast.client_for(cast.nurse).post(_operate(preparing), {}).status_code == 302
    preparing.refresh_from_db()
    assert preparing.stage == Stage.OPERATE


def test_staff_create_a_missing_checklist_from_the_page(cast):
    client = cast.client_for(cast.nurse)
    assert "Create the checklist" in client.get(_page(cast.episode)).content.decode()
    url = reverse("prepare:generate", kwargs={"episode_id": cast.episode.pk})
    assert client.post(url).status_code == 302
    assert "Medication review" in client.get(_page(cast.episode)).content.decode()
    assert cast.client_for(cast.nurse_south).post(url).status_code == 404


def test_the_patient_home_links_to_the_checklist(cast, preparing):
    html = cast.client_for(cast.pat.user).get(reverse("journey:patient_home")).content.decode()
    assert _page(preparing) in html


def test_a_refused_tick_shows_its_message_in_the_card_or_on_the_page(cast, preparing):
    item_verify(item=item(preparing, "escort_home"), actor=cast.nurse)
    client = cast.client_for(cast.pat.user)
    url = _tick(preparing, "escort_home")
    card = client.post(url, {"done": "0"}, HTTP_HX_REQUEST="true").content.decode()
    assert "your care team has already closed this item" in card
    page = client.post(url, {"done": "0"}, follow=True).content.decode()
    assert "your care team has already closed this item" in page
    assert item(preparing, "escort_home").state == ItemState.VERIFIED
