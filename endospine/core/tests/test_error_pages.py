"""Error pages (403, 404, 500, expired form) keep the site's layout and the numbers to call."""

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from endospine import urls as real_urls


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [*real_urls.urlpatterns, path("test-boom/", _boom)]
handler500 = real_urls.handler500


def _assert_helpful(body: str, emergency: str, care_team: str) -> None:
    assert 'class="topbar"' in body  # the site's layout, not Django's bare page
    assert f'href="tel:{emergency}"' in body
    if care_team:
        assert f'href="tel:{care_team}"' in body


def test_404_for_a_patient_shows_their_site_numbers(cast: Any) -> None:
    response = cast.client_for(cast.sid.user).get("/no-such-page/")
    assert response.status_code == 404
    _assert_helpful(response.content.decode(), "999", cast.south.care_team_phone)


def test_403_in_the_layout(cast: Any) -> None:
    response = cast.client_for(cast.pat.user).get("/episodes/")  # the staff worklist
    assert response.status_code in (403, 404)
    _assert_helpful(response.content.decode(), "911", cast.north.care_team_phone)


@pytest.mark.urls(__name__)
def test_500_in_the_layout_with_the_emergency_number(cast: Any) -> None:
    client = cast.client_for(cast.sid.user)
    client.raise_request_exception = False
    response = client.get("/test-boom/")
    assert response.status_code == 500
    body = response.content.decode()
    _assert_helpful(body, "999", cast.south.care_team_phone)
    assert "a bug" not in body


def test_expired_form_explains_itself(cast: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.pat.user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Your form expired" in body
    _assert_helpful(body, "911", "")
