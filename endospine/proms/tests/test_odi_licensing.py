"""Issue 16 item 15: without the licensed wording the ODI's structure is not called
the ODI, and its scores are kept apart from ODI scores."""

import json

from django.test import override_settings

from endospine.proms import services
from endospine.proms.models import Response
from endospine.proms.scoring import ODI_SECTIONS, mic_reached
from endospine.proms.tests.helpers import all_three


def _wording(tmp_path):  # type: ignore[no-untyped-def]
    wording = {
        "instrument": "odi",
        "sections": {
            c: {"title": f"T {c}", "options": [f"{c} {i}" for i in range(6)]} for c in ODI_SECTIONS
        },
    }
    path = tmp_path / "odi.json"
    path.write_text(json.dumps(wording))
    return path


def test_unlicensed_odi_is_not_called_the_odi(cast) -> None:
    services.instruments_load(wording_file="")
    title = services.questionnaire_for("odi")["title"]
    assert "ODI" not in title and "Oswestry" not in title
    page = cast.client_for(cast.pat.user)
    services.schedule_baseline(episode=cast.episode)
    response = page.get(f"/proms/episodes/{cast.episode.pk}/answer/baseline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Oswestry" not in html and "(ODI)" not in html


def test_unlicensed_odi_answers_are_kept_apart(cast) -> None:
    services.instruments_load(wording_file="")
    services.schedule_baseline(episode=cast.episode)
    services.responses_submit(
        episode=cast.episode, answers_by_instrument=all_three(), actor=cast.pat.user
    )
    assert Response.objects.get(instrument="odi").licensed_wording is False
    assert Response.objects.get(instrument="nrs_leg").licensed_wording is True


def test_licensed_odi_answers_are_odi_scores(cast, tmp_path) -> None:
    with override_settings(ODI_WORDING_FILE=str(_wording(tmp_path))):
        services.instruments_load()
    assert "Oswestry" in services.questionnaire_for("odi")["title"]
    services.schedule_baseline(episode=cast.episode)
    services.responses_submit(
        episode=cast.episode, answers_by_instrument=all_three(), actor=cast.pat.user
    )
    assert Response.objects.get(instrument="odi").licensed_wording is True


def test_mic_needs_the_minimal_detectable_change() -> None:
    assert not mic_reached(3, 2, points=2, percent=30, mdc=2)  # 33% but 1 point
    assert mic_reached(4, 2, points=2, percent=30, mdc=2)
    assert not mic_reached(40, 31, points=10, percent=20, mdc=10)  # 22% but 9 points
    assert mic_reached(40, 30, points=10, percent=30, mdc=10)
