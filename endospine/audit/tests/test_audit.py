import pytest
from django.db import DatabaseError, connection, transaction

from endospine.audit.models import AppendOnlyError, AuditEvent
from endospine.journey.models import Stage
from endospine.journey.services import change_stage


def test_reading_an_episode_page_writes_who_what_when_where(cast):
    cast.client_for(cast.nurse).get(f"/episodes/{cast.episode.pk}/", REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(record_id=str(cast.episode.pk))
    assert event.actor == cast.nurse
    assert event.action == "read"
    assert event.record_type == "journey.episode"
    assert event.patient_id == cast.pat.pk
    assert event.address == "10.1.2.3"
    assert event.at is not None


def test_the_worklist_audits_every_row_it_shows(cast):
    cast.client_for(cast.nurse).get("/episodes/")
    audited = set(
        AuditEvent.objects.filter(actor=cast.nurse, action="read").values_list(
            "record_id", flat=True
        )
    )
    assert audited == {str(cast.episode.pk), str(cast.quinn_episode.pk)}


def test_a_stage_change_is_audited_as_a_write(cast):
    change_stage(
        episode=cast.episode,
        to_stage=Stage.PREPARE,
        actor=cast.surgeon,
        override_reason="audit test",
    )
    event = AuditEvent.objects.get(action="update", record_id=str(cast.episode.pk))
    assert event.actor == cast.surgeon
    assert event.detail == "stage assess->prepare"


def test_a_refused_read_writes_a_refusal_and_no_read(cast):
    """ASVS 16.3.2: the refusal is on the trail; no read, and no patient named."""
    response = cast.client_for(cast.nurse_south).get(f"/episodes/{cast.episode.pk}/")
    assert response.status_code == 404
    rows = AuditEvent.objects.filter(record_id=str(cast.episode.pk))
    assert [(r.action, r.actor, r.patient_id) for r in rows] == [("denied", cast.nurse_south, None)]
    assert rows[0].detail == "404 view_episode GET /episodes/<uuid:episode_id>/"


def test_sign_in_is_audited(cast, password):
    from django.test import Client

    Client().post("/accounts/login/", {"username": "pat", "password": password})
    assert AuditEvent.objects.filter(action="login", actor=cast.pat.user).exists()


def test_audit_rows_cannot_be_changed_or_deleted_through_the_app(cast):
    cast.client_for(cast.nurse).get(f"/episodes/{cast.episode.pk}/")
    event = AuditEvent.objects.get(record_id=str(cast.episode.pk))
    event.detail = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(detail="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_itself_refuses_changes(cast):
    cast.client_for(cast.nurse).get(f"/episodes/{cast.episode.pk}/")
    table = AuditEvent._meta.db_table
    for sql in (f"UPDATE {table} SET detail = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.filter(record_id=str(cast.episode.pk)).count() == 1


def test_admin_searches_by_patient_user_and_date(cast):
    cast.client_for(cast.nurse).get(f"/episodes/{cast.episode.pk}/")
    cast.client_for(cast.surgeon).get(f"/episodes/{cast.quinn_episode.pk}/")
    admin = cast.client_for(cast.admin)
    by_patient = admin.get("/audit/", {"patient": str(cast.pat.pk)})
    assert by_patient.status_code == 200
    assert by_patient.context["page"].paginator.count == 1
    by_user = admin.get("/audit/", {"user": "sam_surgeon"})
    assert {e.actor for e in by_user.context["page"]} == {cast.surgeon}
    by_date = admin.get("/audit/", {"start": "2000-01-01", "end": "2000-01-02"})
    assert by_date.context["page"].paginator.count == 0
    unknown = admin.get("/audit/", {"patient": "not-a-uuid"})
    assert unknown.status_code == 200
    assert unknown.context["page"].paginator.count == 0


def test_admin_finds_a_patient_by_mrn_or_name_and_staff_by_name(cast):
    cast.client_for(cast.nurse).get(f"/episodes/{cast.episode.pk}/")
    cast.client_for(cast.surgeon).get(f"/episodes/{cast.quinn_episode.pk}/")
    admin = cast.client_for(cast.admin)
    # Posted, so that the MRN or name never lands in a URL or an access log.
    by_mrn = admin.post("/audit/", {"patient": cast.pat.mrn.lower()})
    assert {e.patient_id for e in by_mrn.context["page"]} == {cast.pat.pk}
    by_name = admin.post("/audit/", {"patient": "pat doe"})
    assert {e.patient_id for e in by_name.context["page"]} == {cast.pat.pk}
    by_staff_name = admin.post("/audit/", {"user": "Sam Surgeon"})
    assert {e.actor for e in by_staff_name.context["page"]} == {cast.surgeon}
    assert cast.client_for(cast.nurse).post("/audit/", {"patient": "pat"}).status_code == 403
