"""Finding 7 (half): refused access is on the audit trail, without PHI (ASVS 16.3.2)."""

from endospine.audit.models import AuditEvent


def test_a_refused_page_names_the_action_not_a_record(cast):
    response = cast.client_for(cast.pat.user).get("/episodes/")
    assert response.status_code == 403
    row = AuditEvent.objects.get(action="denied")
    assert (row.record_type, row.record_id, row.patient_id) == (
        "access.action",
        "view_worklist",
        None,
    )
    assert row.actor == cast.pat.user and row.detail == "403 view_worklist GET /episodes/"


def test_a_refused_api_read_of_another_sites_episode_is_audited(cast):
    from django.test import Client

    from endospine.accounts.models import ApiToken

    _, raw = ApiToken.issue(cast.nurse_south)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(f"/api/v1/episodes/{cast.episode.pk}").status_code == 404
    row = AuditEvent.objects.get(action="denied")
    assert (row.record_id, row.patient_id, row.actor) == (
        str(cast.episode.pk),
        None,
        cast.nurse_south,
    )
    assert cast.pat.family_name not in row.detail


def test_a_role_without_the_action_gets_403_and_a_row_naming_the_episode(cast):
    client = cast.client_for(cast.pat.user)
    response = client.post(f"/episodes/{cast.episode.pk}/stage/", {"stage": "prepare"})
    assert response.status_code == 403
    row = AuditEvent.objects.get(action="denied")
    assert row.record_id == str(cast.episode.pk) and row.detail.startswith("403 change_stage")
