"""Scheduling timepoints and storing responses (real database)."""

from datetime import timedelta

import pytest
from django.test import override_settings

from endospine.audit.models import AuditEvent
from endospine.core.errors import DomainError
from endospine.journey.models import TimelineEvent
from endospine.proms import selectors, services
from endospine.proms.models import Response, Timepoint
from endospine.proms.tests.helpers import ODI_32, all_three, in_recovery, today


def test_baseline_is_idempotent_and_closes_on_surgery(cast) -> None:
    first = services.schedule_baseline(episode=cast.episode)
    again = services.schedule_baseline(episode=cast.episode)
    assert first.pk == again.pk and first.closes_on is None
    assert first.due_on == today() + timedelta(days=14)
    surgery = today() + timedelta(days=5)
    services.schedule_followup(episode=cast.episode, surgery_date=surgery)
    first.refresh_from_db()
    assert first.closes_on == surgery


def test_followup_defaults_idempotent_and_moved(cast) -> None:
    surgery = today()
    created = services.schedule_followup(episode=cast.episode, surgery_date=surgery)
    assert [(t.code, t.due_on - surgery) for t in created] == [
        ("week6", timedelta(42)),
        ("month3", timedelta(91)),
        ("month12", timedelta(365)),
        ("month24", timedelta(730)),
    ]
    services.schedule_followup(episode=cast.episode, surgery_date=surgery + timedelta(days=3))
    assert Timepoint.objects.filter(episode=cast.episode).count() == 4
    moved = Timepoint.objects.get(episode=cast.episode, code="week6")
    assert moved.due_on == surgery + timedelta(days=45)


def test_site_settings_choose_timepoints(cast) -> None:
    cast.north.settings = {"prom_timepoints": [{"code": "day90", "days": 90}]}
    cast.north.save()
    cast.episode.site.refresh_from_db()
    created = services.schedule_followup(episode=cast.episode, surgery_date=today())
    assert [t.code for t in created] == ["day90"]
    cast.north.settings = {"prom_timepoints": "often"}
    cast.north.save()
    cast.episode.site.refresh_from_db()
    # A bad setting never blocks a discharge: the defaults are used.
    fallback = services.schedule_followup(episode=cast.episode, surgery_date=today())
    assert [t.code for t in fallback] == ["week6", "month3", "month12", "month24"]


def test_submit_stores_fhir_response_and_completes_timepoint(cast) -> None:
    services.schedule_baseline(episode=cast.episode)
    assert not selectors.has_baseline(cast.episode)
    stored = services.responses_submit(
        episode=cast.episode, answers_by_instrument=all_three(), actor=cast.pat.user
    )
    odi = next(r for r in stored if r.instrument == "odi")
    assert (odi.score, odi.band, odi.answered, odi.timepoint.code) == (
        32.0,
        "moderate",
        10,
        "baseline",
    )
    resource = odi.resource
    assert resource["resourceType"] == "QuestionnaireResponse"
    assert resource["questionnaire"].endswith("/odi|2.1a")
    assert resource["subject"] == {"reference": f"Patient/{cast.pat.pk}"}
    assert resource["author"] == {"reference": f"Patient/{cast.pat.pk}"}
    assert {"linkId": "walking", "answer": [{"valueInteger": 2}]} in resource["item"]
    assert selectors.has_baseline(cast.episode)
    assert TimelineEvent.objects.filter(episode=cast.episode, kind="proms_completed").exists()
    assert AuditEvent.objects.filter(record_type="proms.response", action="create").count() == 3


def test_one_bad_answer_stores_nothing(cast) -> None:
    services.schedule_baseline(episode=cast.episode)
    bad = all_three() | {"odi": ODI_32 | {"walking": 9}}
    with pytest.raises(DomainError) as caught:
        services.responses_submit(
            episode=cast.episode, answers_by_instrument=bad, actor=cast.nurse, field_prefix=True
        )
    assert caught.value.errors == [("odi.answers.walking", "must be from 0 to 5")]
    assert Response.objects.count() == 0


def test_too_few_odi_sections_and_duplicates_are_refused(cast) -> None:
    services.schedule_baseline(episode=cast.episode)
    seven = dict(list(ODI_32.items())[:7])
    with pytest.raises(DomainError, match="at least 8"):
        services.response_submit(
            episode=cast.episode, instrument="odi", answers=seven, actor=cast.nurse
        )
    services.response_submit(
        episode=cast.episode, instrument="nrs_leg", answers={"pain": 3}, actor=cast.nurse
    )
    with pytest.raises(DomainError) as caught:
        services.response_submit(
            episode=cast.episode, instrument="nrs_leg", answers={"pain": 4}, actor=cast.nurse
        )
    assert caught.value.status == 409
    assert Response.objects.count() == 1


def test_timepoint_must_be_open(cast) -> None:
    in_recovery(cast.episode, days_ago=10)  # 6 weeks opens at day 35
    with pytest.raises(DomainError, match="not open"):
        services.response_submit(
            episode=cast.episode,
            instrument="nrs_leg",
            answers={"pain": 3},
            actor=cast.nurse,
            timepoint_code="week6",
        )
    with pytest.raises(DomainError, match="no timepoint"):
        services.response_submit(
            episode=cast.episode,
            instrument="nrs_leg",
            answers={"pain": 3},
            actor=cast.nurse,
            timepoint_code="month99",
        )
    unscheduled = services.response_submit(
        episode=cast.episode, instrument="nrs_leg", answers={"pain": 3}, actor=cast.nurse
    )
    assert unscheduled.timepoint is None
    assert unscheduled.resource["author"]["reference"] == f"Practitioner/{cast.nurse.pk}"


def test_statuses_follow_the_clock(cast) -> None:
    in_recovery(cast.episode, days_ago=42)
    statuses = {v.timepoint.code: v.status for v in selectors.timepoints(cast.episode)}
    assert statuses == {
        "week6": "due",
        "month3": "upcoming",
        "month12": "upcoming",
        "month24": "upcoming",
    }
    in_recovery(cast.episode, days_ago=60)
    statuses = {v.timepoint.code: v.status for v in selectors.timepoints(cast.episode)}
    assert statuses["week6"] == "missed"
    in_recovery(cast.episode, days_ago=100)
    assert selectors.timepoint_by_code(cast.episode, "month3").status == "overdue"


def test_licensed_wording_is_loaded_from_settings(cast, tmp_path) -> None:
    import json

    from endospine.proms.scoring import ODI_SECTIONS

    wording = {
        "instrument": "odi",
        "sections": {
            c: {"title": f"T {c}", "options": [f"{c} {i}" for i in range(6)]} for c in ODI_SECTIONS
        },
    }
    path = tmp_path / "odi.json"
    path.write_text(json.dumps(wording))
    with override_settings(ODI_WORDING_FILE=str(path)):
        loaded = {i.code: i for i in services.instruments_load()}
    assert loaded["odi"].licensed_wording
    assert services.questionnaire_for("odi")["item"][0]["text"] == "T pain_intensity"
    services.instruments_load(wording_file="")
    assert services.questionnaire_for("odi")["item"][0]["text"] == "Pain intensity"


def test_load_command(cast, capsys) -> None:
    from django.core.management import call_command

    call_command("proms", "load")
    assert "loaded odi v2.1a" in capsys.readouterr().out
    call_command("proms", "check")
    assert "3 instruments valid" in capsys.readouterr().out
