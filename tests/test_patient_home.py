"""The patient's home: what is due now, one tap to each, day N since surgery, and Ask."""

from datetime import date, timedelta

from django.urls import reverse

from conftest import Cast
from endospine.core import clock
from endospine.journey.models import Episode, Stage
from endospine.journey.services import change_stage
from endospine.recover.services import start_recovery


def _home(cast: Cast) -> str:
    response = cast.client_for(cast.pat.user).get(reverse("journey:patient_home"))
    assert response.status_code == 200
    return response.content.decode()


def _recovering(cast: Cast) -> Episode:
    episode = cast.episode
    Episode.objects.filter(pk=episode.pk).update(
        stage=Stage.RECOVER,
        surgery_date=date.today() - timedelta(days=2),
        discharged_on=date.today() - timedelta(days=1),
    )
    episode.refresh_from_db()
    start_recovery(episode=episode, discharged_at=clock.now() - timedelta(days=1), actor=cast.nurse)
    return episode


def test_recovering_patient_sees_the_check_in_due_with_one_tap(cast: Cast) -> None:
    episode = _recovering(cast)
    page = _home(cast)
    checkin_url = reverse("recover:checkin", kwargs={"episode_id": episode.pk})
    assert f'href="{checkin_url}"' in page
    assert "Today&#x27;s recovery check-in" in page
    assert "Day 2 since your operation" in page


def test_a_done_check_in_is_no_longer_due(cast: Cast) -> None:
    episode = _recovering(cast)
    client = cast.client_for(cast.pat.user)
    client.post(
        reverse("recover:checkin", kwargs={"episode_id": episode.pk}),
        {"idempotency_key": "k1", "pain_leg": "2", "bladder": "normal"},
    )
    page = _home(cast)
    assert "Today&#x27;s recovery check-in" not in page


def test_preparing_patient_sees_open_checklist_items(cast: Cast) -> None:
    episode = cast.episode
    episode.surgery_date = date.today() + timedelta(days=20)
    episode.save()
    change_stage(episode=episode, to_stage=Stage.PREPARE, actor=cast.surgeon)
    page = _home(cast)
    assert reverse("prepare:checklist", kwargs={"episode_id": episode.pk}) in page
    assert 'class="due-item' in page
    assert "since your operation" not in page  # no day count before the operation


def test_nothing_due_says_so_and_offers_ask(cast: Cast) -> None:
    page = _home(cast)  # Pat's episode is at assess: nothing to tick or answer yet
    assert "Nothing to do right now." in page
    assert f'action="{reverse("learn:ask")}"' in page and 'name="q"' in page
