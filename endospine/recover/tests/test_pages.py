"""The pages: check-in form, results, alert worklist and handling, response times."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from endospine.journey.models import Episode
from endospine.recover.models import Alert, Checkin


def form(**extra: Any) -> dict[str, Any]:
    data = {
        "idempotency_key": "form-1",
        "pain_leg": "3",
        "pain_back": "2",
        "pain_trend": "better",
        "pain_controlled": "yes",
        "bladder": "normal",
    }
    data.update(extra)
    return data


def checkin_url(episode: Episode) -> str:
    return reverse("recover:checkin", kwargs={"episode_id": episode.pk})


def test_patient_sees_schedule_and_form(cast: Any, recovering: Episode) -> None:
    client = cast.client_for(cast.pat.user)
    page = client.get(reverse("recover:episode", kwargs={"episode_id": recovering.pk}))
    assert page.status_code == 200 and b"Day 42" in page.content
    assert b"911" in page.content  # care-team notice with the emergency number
    page = client.get(checkin_url(recovering))
    assert page.status_code == 200
    # Each answer's label wraps its input: the whole line is the touch target.
    assert b'<label class="option"><input type="checkbox" name="flags" value="saddle_numbness"' in (
        page.content
    )


def test_emergency_answer_shows_the_call_screen(cast: Any, recovering: Episode) -> None:
    client = cast.client_for(cast.pat.user)
    response = client.post(checkin_url(recovering), form(flags=["saddle_numbness"]), follow=True)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="emergency-screen"' in content
    assert 'href="tel:911"' in content and "Call 911 now" in content
    assert Alert.objects.get().severity == "emergency"


def test_urgent_answer_shows_care_team_phone(cast: Any, recovering: Episode) -> None:
    client = cast.client_for(cast.pat.user)
    response = client.post(
        checkin_url(recovering), form(temperature="101.3", temperature_unit="F"), follow=True
    )
    assert b"Contact your care team today" in response.content
    assert b"+1 555 0100" in response.content
    assert Checkin.objects.get().answers["temperature_c"] == 38.5


def test_routine_answer_thanks_the_patient(cast: Any, recovering: Episode) -> None:
    response = cast.client_for(cast.pat.user).post(checkin_url(recovering), form(), follow=True)
    assert b"Thank you" in response.content and Alert.objects.count() == 0


def test_double_submit_stores_one_checkin(cast: Any, recovering: Episode) -> None:
    client = cast.client_for(cast.pat.user)
    first = client.post(checkin_url(recovering), form(flags=["chest_pain"]))
    second = client.post(checkin_url(recovering), form(flags=["chest_pain"]))
    assert first["Location"] == second["Location"]
    assert Checkin.objects.count() == 1 and Alert.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("temperature", "hot"),
        ("temperature", "50"),
        ("pain_leg", "12"),
        ("bladder", "blocked"),
        ("free_text", "x" * 2001),
    ],
)
def test_bad_answer_is_shown_beside_its_field(
    cast: Any, recovering: Episode, field: str, value: str
) -> None:
    response = cast.client_for(cast.pat.user).post(checkin_url(recovering), form(**{field: value}))
    assert response.status_code == 422
    assert f'href="#q-{field}"'.encode() in response.content
    assert Checkin.objects.count() == 0


def test_other_patient_cannot_open_the_form(cast: Any, recovering: Episode) -> None:
    assert cast.client_for(cast.quinn.user).get(checkin_url(recovering)).status_code == 404


def test_other_patient_cannot_read_a_result(cast: Any, recovering: Episode) -> None:
    cast.client_for(cast.pat.user).post(checkin_url(recovering), form())
    url = reverse("recover:result", kwargs={"checkin_id": Checkin.objects.get().pk})
    assert cast.client_for(cast.quinn.user).get(url).status_code == 404
    assert cast.client_for(cast.nurse_south).get(url).status_code == 404
    assert cast.client_for(cast.nurse).get(url).status_code == 200


def test_anonymous_is_sent_to_sign_in(recovering: Episode) -> None:
    response = Client().get(checkin_url(recovering))
    assert response.status_code == 302 and "login" in response["Location"]


def _emergency(cast: Any, episode: Episode) -> Alert:
    cast.client_for(cast.pat.user).post(checkin_url(episode), form(flags=["chest_pain"]))
    return Alert.objects.get()


def test_nurse_worklist_and_acknowledge_and_resolve(cast: Any, recovering: Episode) -> None:
    alert = _emergency(cast, recovering)
    nurse = cast.client_for(cast.nurse)
    page = nurse.get(reverse("recover:alerts"))
    assert page.status_code == 200 and b"Pat Doe" in page.content
    url = reverse("recover:acknowledge", kwargs={"alert_id": alert.pk})
    assert nurse.post(url, {"note": "calling"}).status_code == 302
    url = reverse("recover:resolve", kwargs={"alert_id": alert.pk})
    assert nurse.post(url, {"note": ""}).status_code == 422
    assert nurse.post(url, {"note": "ambulance sent"}).status_code == 302
    alert.refresh_from_db()
    assert alert.status == "resolved" and alert.resolved_by == cast.nurse
    assert b"Pat Doe" not in nurse.get(reverse("recover:alerts")).content


def test_alerts_are_not_visible_to_other_sites_or_patients(cast: Any, recovering: Episode) -> None:
    alert = _emergency(cast, recovering)
    url = reverse("recover:alert", kwargs={"alert_id": alert.pk})
    assert cast.client_for(cast.nurse_south).get(url).status_code == 404
    assert cast.client_for(cast.pat.user).get(url).status_code == 404
    assert cast.client_for(cast.pat.user).get(reverse("recover:alerts")).status_code == 403
    ack = reverse("recover:acknowledge", kwargs={"alert_id": alert.pk})
    assert cast.client_for(cast.nurse_south).post(ack, {}).status_code == 404
    assert Alert.objects.get().acknowledged_at is None


def test_lead_sees_response_times_without_names(cast: Any, recovering: Episode) -> None:
    _emergency(cast, recovering)
    page = cast.client_for(cast.lead).get(reverse("recover:response_times"))
    assert page.status_code == 200 and b"Emergency" in page.content
    assert b"Pat" not in page.content
    assert cast.client_for(cast.nurse).get(reverse("recover:response_times")).status_code == 403


def test_empty_form_is_refused_with_a_clear_message(cast: Any, recovering: Episode) -> None:
    client = cast.client_for(cast.pat.user)
    response = client.post(checkin_url(recovering), {"idempotency_key": "form-empty"})
    assert response.status_code == 422
    assert "Answer at least one question" in response.content.decode()
    assert 'href="#q-flags"' in response.content.decode()
    assert Checkin.objects.count() == 0


def test_back_then_send_again_is_the_same_check_in(cast: Any, recovering: Episode) -> None:
    """After "back" the page is fetched anew with a new key; the same answers are one check-in."""
    client = cast.client_for(cast.pat.user)
    first = client.post(
        checkin_url(recovering), form(idempotency_key="k-first", flags=["wound_open"])
    )
    again = client.post(
        checkin_url(recovering), form(idempotency_key="k-again", flags=["wound_open"])
    )
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Checkin.objects.count() == 1 and Alert.objects.count() == 1


def test_changed_answers_after_back_are_a_new_check_in(cast: Any, recovering: Episode) -> None:
    client = cast.client_for(cast.pat.user)
    client.post(checkin_url(recovering), form(idempotency_key="k-1"))
    client.post(checkin_url(recovering), form(idempotency_key="k-2", flags=["chest_pain"]))
    assert Checkin.objects.count() == 2


def test_choices_are_large_label_wrapped_targets(cast: Any, recovering: Episode) -> None:
    page = cast.client_for(cast.pat.user).get(checkin_url(recovering)).content.decode()
    for name in ("bladder", "pain_leg", "pain_back", "pain_trend", "wound_drainage"):
        assert re.search(f'<label class="option[^"]*"><input type="radio" name="{name}"', page)
    assert '<select name="pain_leg"' not in page  # pain is 0-10 buttons, not a tiny select
