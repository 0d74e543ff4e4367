"""Issue 10: free text the detector cannot read is never silently routine. It raises a review
item (an Alert of level review), read within the site's review window and escalated after it."""

from datetime import timedelta
from typing import Any

from endospine.audit.models import AuditEvent
from endospine.core import clock
from endospine.journey.models import Episode, Stage
from endospine.recover import selectors
from endospine.recover.models import Alert
from endospine.recover.services import checkin_submit, start_recovery
from endospine.recover.sweep import escalate_due_alerts

UNREAD = "there is a strange purple lump near my hip that throbs"


def _submit(cast: Any, episode: Episode, text: str) -> Any:
    checkin, _ = checkin_submit(
        episode=episode, answers={"free_text": text, "pain_leg": 2}, actor=cast.pat.user
    )
    return checkin


def test_unrecognised_body_report_raises_a_review_alert(cast: Any, recovering: Episode) -> None:
    checkin = _submit(cast, recovering, UNREAD)
    assert checkin.level == "review"
    assert [r["code"] for r in checkin.reasons] == ["free_text_review"]
    alert = Alert.objects.get(checkin=checkin)
    assert alert.severity == "review"
    assert alert.next_escalation_at == checkin.submitted_at + timedelta(hours=4)
    assert AuditEvent.objects.filter(record_id=str(alert.pk), detail="alert review").exists()
    assert "4 hours" in checkin.advice


def test_site_sets_its_review_window(cast: Any, recovering: Episode) -> None:
    site = recovering.site
    site.settings = {**(site.settings or {}), "review_window_hours": 2}
    site.save()
    checkin = _submit(cast, recovering, UNREAD)
    alert = Alert.objects.get(checkin=checkin)
    assert alert.next_escalation_at == checkin.submitted_at + timedelta(hours=2)


def test_unread_review_item_is_escalated_after_the_window(cast: Any, recovering: Episode) -> None:
    alert = Alert.objects.get(checkin=_submit(cast, recovering, UNREAD))
    clock.advance(timedelta(hours=3))
    assert escalate_due_alerts() == 0
    clock.advance(timedelta(hours=2))
    assert escalate_due_alerts() == 1
    alert.refresh_from_db()
    assert alert.escalation_count == 1


def test_reassured_free_text_stays_routine(cast: Any, recovering: Episode) -> None:
    checkin = _submit(cast, recovering, "leg pain much better, walking further every day")
    assert checkin.level == "routine"
    assert not Alert.objects.exists()


def test_constipation_on_opioids_is_a_review_item(cast: Any, recovering: Episode) -> None:
    checkin = _submit(cast, recovering, "no bowel movement for 5 days on the oxycodone")
    assert checkin.level == "review"
    assert [r["code"] for r in checkin.reasons] == ["constipation"]


def test_a_detected_red_flag_is_never_lowered_to_review(cast: Any, recovering: Episode) -> None:
    checkin = _submit(cast, recovering, "I passed out in the kitchen")
    assert checkin.level == "emergency"


def test_review_items_come_after_urgent_and_show_on_the_alert_list(
    cast: Any, recovering: Episode
) -> None:
    review = Alert.objects.get(checkin=_submit(cast, recovering, UNREAD))
    clock.advance(timedelta(minutes=1))
    other = cast.quinn_episode
    Episode.objects.filter(pk=other.pk).update(stage=Stage.RECOVER)
    other.refresh_from_db()
    start_recovery(episode=other, discharged_at=clock.now() - timedelta(days=1), actor=cast.nurse)
    checkin, _ = checkin_submit(
        episode=other, answers={"free_text": "I have a fever of 38.9"}, actor=cast.quinn.user
    )
    urgent = Alert.objects.get(checkin=checkin)
    assert list(selectors.alert_worklist(cast.nurse)) == [urgent, review]
    page = cast.client_for(cast.nurse).get("/recover/alerts/").content.decode()
    assert 'class="badge badge-review">Review<' in page


def test_the_patient_reads_when_a_clinician_will_answer(cast: Any, recovering: Episode) -> None:
    client = cast.client_for(cast.pat.user)
    url = f"/recover/episodes/{recovering.pk}/checkin/"
    data = {
        "idempotency_key": "form-review",
        "pain_leg": "2",
        "pain_back": "2",
        "pain_trend": "better",
        "pain_controlled": "yes",
        "bladder": "normal",
        "free_text": UNREAD,
    }
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert "a clinician will read what you wrote" in page
    assert "within 4 hours" in page


def test_public_evaluation_of_a_review_text_tells_the_patient_to_call(db: None) -> None:
    from django.test import Client

    body = (
        Client()
        .post("/api/v1/triage/evaluate", {"free_text": UNREAD}, content_type="application/json")
        .json()
    )
    assert body["level"] == "review"
    assert "Contact your care team today" in body["advice"]
