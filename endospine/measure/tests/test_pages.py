"""The registry's pages: dashboard, my outcomes and verification, follow-up worklist,
adverse events (also from an alert in one step, and from the operative record)."""

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from conftest import Cast
from endospine.audit.models import AuditEvent
from endospine.core import clock
from endospine.journey.models import Episode, Stage
from endospine.measure.models import AdverseEvent, ContactAttempt, OutcomeFact, QuarterVerification
from endospine.operate.models import OperativeRecord
from endospine.proms.services import schedule_followup
from endospine.recover.models import Alert
from endospine.recover.services import checkin_submit, start_recovery


def _operated(cast: Cast, events: list[str], days_ago: int = 2) -> Episode:
    """Pat's episode, operated `days_ago` with a signed record, now recovering."""
    episode = cast.episode
    day = date.today() - timedelta(days=days_ago)
    Episode.objects.filter(pk=episode.pk).update(stage=Stage.RECOVER, surgery_date=day,
                                                 discharged_on=day)  # fmt: skip
    episode.refresh_from_db()
    OperativeRecord.objects.create(
        episode=episode, operation_date=day, surgeons=["Sam Surgeon"], anaesthesia="general",
        technique="uniportal_full_endoscopic", approach="transforaminal", levels=["L4-L5"],
        side="left", irrigation_fluid="normal_saline", irrigation_mode="pump",
        incision_length_mm=8, skin_to_skin_minutes=60, estimated_blood_loss_ml=10, events=events,
        specimen="none", closure="suture", created_by=cast.surgeon, signed_by=cast.surgeon,
        signed_at=clock.now(),
    )  # fmt: skip
    return episode


def test_lead_sees_dashboard_with_funnel_plot(cast: Cast, registry: list[UUID]) -> None:
    response = cast.client_for(cast.lead).get("/measure/", {"measure": "odi", "timepoint": "12m"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and "99.8%" in html
    assert "indirect standardisation" in html and "ostelo_2008" in html
    assert "Sam Surgeon" in html and "Dr Chen" in html


def test_a_surgeon_sees_colleagues_anonymised_on_the_dashboard(
    cast: Cast, registry: list[UUID]
) -> None:
    html = cast.client_for(cast.surgeon).get("/measure/").content.decode()
    assert "Sam Surgeon" in html and "Dr Chen" not in html


def test_nurses_and_patients_may_not_open_the_dashboard(cast: Cast) -> None:
    assert cast.client_for(cast.nurse).get("/measure/").status_code == 403
    assert cast.pat.user is not None
    assert cast.client_for(cast.pat.user).get("/measure/").status_code == 403


def test_a_surgeon_verifies_a_quarter(cast: Cast, registry: list[UUID]) -> None:
    client = cast.client_for(cast.surgeon)
    page = client.get("/measure/mine/")
    assert page.status_code == 200
    quarter = page.context["quarters"][0]["quarter"]
    response = client.post("/measure/mine/verify/", {"quarter": quarter})
    assert response.status_code == 302
    verification = QuarterVerification.objects.get(surgeon=cast.surgeon, quarter=quarter)
    assert verification.cases == page.context["quarters"][0]["cases"]
    assert client.post("/measure/mine/verify/", {"quarter": quarter}).status_code == 409
    assert client.post("/measure/mine/verify/", {"quarter": "2999Q1"}).status_code == 422
    assert cast.client_for(cast.lead).post("/measure/mine/verify/", {}).status_code == 403


def test_intraoperative_events_flow_in_from_the_signed_record(cast: Cast) -> None:
    episode = _operated(cast, ["dural_tear"])
    event = AdverseEvent.objects.get(episode=episode)
    assert (event.code, event.source) == ("dural_tear", "operative_record")
    assert OutcomeFact.objects.filter(episode=episode, measure="adverse_events").get().followup == 1


def test_staff_register_an_adverse_event(cast: Cast) -> None:
    episode = _operated(cast, ["none"])
    client = cast.client_for(cast.nurse)
    url = f"/measure/episodes/{episode.pk}/"
    bad = client.post(url, {"code": "haematoma", "clavien_dindo": "VI", "occurred_on": "x"})
    assert bad.status_code == 422 and not AdverseEvent.objects.exists()
    day = date.today().isoformat()
    ok = client.post(url, {"code": "haematoma", "clavien_dindo": "II", "occurred_on": day})
    assert ok.status_code == 302
    assert AdverseEvent.objects.get(episode=episode).reported_by == cast.nurse
    assert cast.client_for(cast.nurse_south).get(url).status_code == 404


def test_resolving_an_alert_registers_the_adverse_event_in_one_step(cast: Cast) -> None:
    episode = _operated(cast, ["none"])
    start_recovery(episode=episode, discharged_at=clock.now() - timedelta(days=1), actor=cast.nurse)
    checkin, _ = checkin_submit(episode=episode, answers={"wound_open": True}, actor=cast.pat.user)
    alert = Alert.objects.get(checkin=checkin)
    client = cast.client_for(cast.nurse)
    assert "Resolve and register" in client.get(f"/recover/alerts/{alert.pk}/").content.decode()
    data = {"note": "wound reviewed", "code": "superficial_infection", "clavien_dindo": "I",
            "occurred_on": date.today().isoformat()}  # fmt: skip
    bad = client.post(f"/measure/alerts/{alert.pk}/resolve/", {**data, "code": "nonsense"})
    assert bad.status_code == 422
    alert.refresh_from_db()
    assert alert.resolved_at is None  # neither half was stored
    assert client.post(f"/measure/alerts/{alert.pk}/resolve/", data).status_code == 302
    alert.refresh_from_db()
    event = AdverseEvent.objects.get(alert=alert)
    assert alert.resolved_at is not None and event.source == "alert"
    assert AuditEvent.objects.filter(record_id=str(event.pk)).exists()


def test_coordinator_worklist_lists_due_questionnaires(cast: Cast) -> None:
    episode = _operated(cast, ["none"], days_ago=40)
    assert episode.surgery_date is not None
    schedule_followup(episode=episode, surgery_date=episode.surgery_date)
    client = cast.client_for(cast.coordinator)
    page = client.get("/measure/followup/")
    assert page.status_code == 200
    rows: list[Any] = page.context["rows"]
    assert [r.timepoint.code for r in rows] == ["week6"]
    client.post(f"/measure/followup/{episode.pk}/contact/",
                {"timepoint": "week6", "outcome": "no_answer"})  # fmt: skip
    assert ContactAttempt.objects.get(episode=episode).outcome == "no_answer"
    assert "No answer" in client.get("/measure/followup/").content.decode()
    assert cast.client_for(cast.lead).get("/measure/followup/").status_code == 403
