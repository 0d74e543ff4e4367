"""The questionnaire pages and the progress page, per role."""

from endospine.journey import panels
from endospine.proms import services
from endospine.proms.models import Response
from endospine.proms.tests.helpers import ODI_32, all_three, in_recovery


def form_data(leg: int = 6, back: int = 4, odi: dict | None = None) -> dict[str, str]:
    data = {"nrs_leg-pain": str(leg), "nrs_back-pain": str(back)}
    data.update({f"odi-{k}": str(v) for k, v in (odi or ODI_32).items()})
    return data


def test_patient_sees_timepoints_and_answers_the_form(cast) -> None:
    in_recovery(cast.episode, days_ago=42)
    client = cast.client_for(cast.pat.user)
    page = client.get(f"/proms/episodes/{cast.episode.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "6 weeks" in html and "Answer now" in html and "emergency" in html.lower()
    form = client.get(f"/proms/episodes/{cast.episode.pk}/answer/week6/")
    assert form.status_code == 200
    html = form.content.decode()
    assert '<legend>Walking <span class="muted">(optional)</span></legend>' in html
    assert 'name="nrs_leg-pain" value="10"' in html
    assert "0 means no pain at all" in html
    done = client.post(f"/proms/episodes/{cast.episode.pk}/answer/week6/", form_data())
    assert done.status_code == 302 and done["Location"].endswith("/progress/")
    assert sorted(Response.objects.values_list("instrument", flat=True)) == [
        "nrs_back",
        "nrs_leg",
        "odi",
    ]
    assert client.get(f"/proms/episodes/{cast.episode.pk}/answer/week6/").status_code == 404


def test_form_errors_are_shown_and_nothing_is_stored(cast) -> None:
    in_recovery(cast.episode, days_ago=42)
    client = cast.client_for(cast.pat.user)
    data = form_data()
    del data["nrs_leg-pain"]
    for key in ("odi-walking", "odi-sitting", "odi-standing"):
        del data[key]
    page = client.post(f"/proms/episodes/{cast.episode.pk}/answer/week6/", data)
    assert page.status_code == 422
    html = page.content.decode()
    assert "answer the pain score" in html and "at least 8 of the 10 sections" in html
    assert 'value="4" checked' in html  # what was answered is kept
    assert Response.objects.count() == 0


def test_only_own_episode_and_open_timepoints(cast) -> None:
    in_recovery(cast.episode, days_ago=42)
    quinn = cast.client_for(cast.quinn.user)
    assert quinn.get(f"/proms/episodes/{cast.episode.pk}/").status_code == 404
    assert quinn.get(f"/proms/episodes/{cast.episode.pk}/progress/").status_code == 404
    assert (
        quinn.post(f"/proms/episodes/{cast.episode.pk}/answer/week6/", form_data()).status_code
        == 404
    )
    pat = cast.client_for(cast.pat.user)
    assert pat.get(f"/proms/episodes/{cast.episode.pk}/answer/month3/").status_code == 404
    assert (
        cast.client_for(cast.nurse_south).get(f"/proms/episodes/{cast.episode.pk}/").status_code
        == 404
    )
    assert (
        cast.client_for(cast.lead).get(f"/proms/episodes/{cast.episode.pk}/progress/").status_code
        == 404
    )


def test_progress_for_patient_and_staff(cast) -> None:
    services.schedule_baseline(episode=cast.episode)
    services.responses_submit(
        episode=cast.episode, answers_by_instrument=all_three(leg=8), actor=cast.pat.user
    )
    in_recovery(cast.episode, days_ago=42)
    services.responses_submit(
        episode=cast.episode,
        actor=cast.pat.user,
        answers_by_instrument=all_three(leg=2, back=2, odi=dict.fromkeys(ODI_32, 1)),
    )
    patient = cast.client_for(cast.pat.user).get(f"/proms/episodes/{cast.episode.pk}/progress/")
    html = patient.content.decode()
    assert patient.status_code == 200 and html.count("<svg") == 3
    assert "Leg pain 6 weeks: 2 out of 10 (within the expected range)" in html
    assert "Minimal important change" not in html
    assert "Norwegian spine registry" in html and "emergency" in html.lower()
    staff = cast.client_for(cast.surgeon).get(f"/proms/episodes/{cast.episode.pk}/progress/")
    html = staff.content.decode()
    # leg 8->2 and back 5->2; the ODI structure without licensed wording gets no verdict
    assert html.count("badge prom-mic-yes") == 2
    assert "Daily life (own questions)" in html and "Disability (ODI)" not in html


def test_panels_are_registered() -> None:
    assert "proms:progress" in [p.url_name for p in panels.for_episode("recover", "patient")]
    assert "proms:episode" in [p.url_name for p in panels.for_episode("prepare", "staff")]


def test_opening_the_page_in_prepare_schedules_the_baseline(cast) -> None:
    from endospine.journey.models import Episode, Stage

    Episode.objects.filter(pk=cast.episode.pk).update(stage=Stage.PREPARE)
    page = cast.client_for(cast.pat.user).get(f"/proms/episodes/{cast.episode.pk}/")
    assert "Before surgery" in page.content.decode() and "Answer now" in page.content.decode()


def test_check_command_reports_a_bad_site_setting(cast) -> None:
    import pytest
    from django.core.management import CommandError, call_command

    cast.south.settings = {"prom_timepoints": [{"code": "x"}]}
    cast.south.save()
    with pytest.raises(CommandError, match="site south"):
        call_command("proms", "check")
