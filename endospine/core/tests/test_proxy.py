"""Behind a trusted load balancer the audit trail records the client, not the balancer."""

from typing import Any

import pytest
from django.test import Client

from endospine.audit.models import AuditEvent


@pytest.fixture
def proxied(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.2"]  # the test client comes from 127.0.0.1


def _read_address(cast: Any, forwarded: str) -> str | None:
    client = cast.client_for(cast.nurse)
    client.get(f"/api/v1/episodes/{cast.episode.pk}", HTTP_X_FORWARDED_FOR=forwarded)
    return AuditEvent.objects.filter(patient_id=cast.episode.patient_id).latest("at").address


def test_the_client_address_comes_from_a_trusted_balancer(cast: Any, proxied: None) -> None:
    # A client's own claim (left), then our two balancers: the client is 203.0.113.9.
    assert _read_address(cast, "1.2.3.4, 203.0.113.9, 10.0.0.2") == "203.0.113.9"


def test_without_trusted_proxies_the_header_is_ignored(cast: Any) -> None:
    assert _read_address(cast, "203.0.113.9") == "127.0.0.1"


def test_an_untrusted_sender_cannot_choose_its_address(cast: Any, settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    response = Client().get("/healthz", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 200
    assert _read_address(cast, "203.0.113.9") == "127.0.0.1"
