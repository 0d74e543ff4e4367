"""Finding 10 of issue 9: only a trusted proxy may name the client and the scheme."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from endospine.audit.models import AuditEvent
from endospine.core.proxy import client_of, parse_networks

NETS = parse_networks(["10.0.0.0/8", "127.0.0.1"])


@pytest.mark.parametrize(
    ("remote", "chain", "client"),
    [
        ("10.0.0.2", "203.0.113.7", "203.0.113.7"),
        ("10.0.0.2", "1.2.3.4, 203.0.113.7", "203.0.113.7"),  # 1.2.3.4 was typed by the client
        ("10.0.0.2", "203.0.113.7, 10.0.0.5", "203.0.113.7"),  # two of our proxies
        ("10.0.0.2", "", "10.0.0.2"),
        ("10.0.0.2", "not-an-ip", "10.0.0.2"),
    ],
)
def test_the_client_is_the_rightmost_untrusted_hop(remote, chain, client):
    assert client_of(remote, chain, NETS) == client


def test_a_typo_in_the_setting_stops_the_server():
    with pytest.raises(ImproperlyConfigured, match="ENDOSPINE_TRUSTED_PROXIES"):
        parse_networks(["10.0.0.0/33"])


def _fail_sign_in(client, **headers):
    client.post("/accounts/login/", {"username": "pat", "password": "wrong"}, **headers)


def test_an_untrusted_peer_cannot_choose_its_address_or_scheme(cast, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    client = Client(REMOTE_ADDR="198.51.100.9")
    _fail_sign_in(client, HTTP_X_FORWARDED_FOR="192.0.2.1", HTTP_X_FORWARDED_PROTO="https")
    assert AuditEvent.objects.get(action="login_failed").address == "198.51.100.9"
    response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response.wsgi_request.is_secure() is False


def test_a_trusted_proxy_names_the_client_for_the_lock_and_the_audit(cast, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.LOGIN_FAILURE_LIMIT = 1  # the address lock trips at 4 failures
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    for name in ("a", "b", "c", "d"):
        proxy.post(
            "/accounts/login/",
            {"username": name, "password": "x"},
            HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7",
        )
    assert set(AuditEvent.objects.values_list("address", flat=True)) == {"203.0.113.7"}
    locked = proxy.post(
        "/accounts/login/",
        {"username": "e", "password": "x"},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert locked.status_code == 429
    other = proxy.post(
        "/accounts/login/",
        {"username": "e", "password": "x"},
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert other.status_code == 200  # another client behind the same proxy is not locked
    response = proxy.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response.wsgi_request.is_secure() is True
