"""Issue 11 item 6: no irreversible move happens in one click or by default."""

from typing import Any

from endospine.journey.models import Episode, Stage
from endospine.journey.services import change_stage


def _recovering(cast: Any) -> Episode:
    Episode.objects.filter(pk=cast.episode.pk).update(stage=Stage.RECOVER)
    return Episode.objects.get(pk=cast.episode.pk)


def test_the_stage_form_does_not_default_to_the_next_stage(cast: Any) -> None:
    episode = _recovering(cast)
    body = cast.client_for(cast.nurse).get(f"/episodes/{episode.pk}/").content.decode()
    assert '<option value="" selected>Choose a stage</option>' in body
    refused = cast.client_for(cast.nurse).post(f"/episodes/{episode.pk}/stage/", {"stage": ""})
    assert refused.status_code == 422
    assert Episode.objects.get(pk=episode.pk).stage == Stage.RECOVER


def test_closing_needs_a_reason_then_a_confirmation(cast: Any) -> None:
    episode = _recovering(cast)
    client = cast.client_for(cast.nurse)
    url = f"/episodes/{episode.pk}/stage/"
    no_reason = client.post(url, {"stage": "complete", "reason": ""})
    assert (
        no_reason.status_code == 422
        and "say why the episode is closed" in no_reason.content.decode()
    )
    asked = client.post(url, {"stage": "complete", "reason": "six-week review done"})
    assert asked.status_code == 200 and "Move this episode to Complete?" in asked.content.decode()
    assert Episode.objects.get(pk=episode.pk).stage == Stage.RECOVER
    done = client.post(
        url, {"stage": "complete", "reason": "six-week review done", "confirm": "yes"}
    )
    assert done.status_code == 302
    assert Episode.objects.get(pk=episode.pk).stage == Stage.COMPLETE


def test_the_service_refuses_to_close_without_a_reason(cast: Any) -> None:
    import pytest

    from endospine.core.errors import DomainError

    with pytest.raises(DomainError, match="say why"):
        change_stage(episode=_recovering(cast), to_stage=Stage.COMPLETE, actor=cast.nurse)


def test_a_move_that_does_not_close_needs_no_confirmation(cast: Any) -> None:
    response = cast.client_for(cast.nurse).post(
        f"/episodes/{cast.episode.pk}/stage/", {"stage": "prepare", "reason": ""}
    )
    assert response.status_code in (302, 422)  # moved, or refused by a gate: never a question
    assert "Move this episode" not in response.content.decode()
