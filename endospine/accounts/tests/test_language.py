"""The language of the pages: the browser's by default, the person's own once chosen."""

from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse


def _lang(body: bytes) -> str:
    text = body.decode()
    start = text.index("<html lang=") + len('<html lang="')
    return text[start : text.index('"', start)]


def test_visitor_gets_the_browsers_language(db: None) -> None:
    page = Client().get(reverse("accounts:login"), headers={"accept-language": "es-MX,es;q=0.9"})
    assert _lang(page.content) == "es"
    page = Client().get(reverse("accounts:login"))
    assert _lang(page.content) == "en"


def test_a_persons_saved_language_wins_over_the_browser(cast: Any) -> None:
    cast.pat.user.language = "es"
    cast.pat.user.save()
    client = cast.client_for(cast.pat.user)
    page = client.get(reverse("journey:patient_home"), headers={"accept-language": "en-US"})
    assert _lang(page.content) == "es"


def test_choosing_a_language_saves_it_and_returns_to_the_page(cast: Any) -> None:
    client = cast.client_for(cast.pat.user)
    home = reverse("journey:patient_home")
    response = client.post(reverse("accounts:set_language"), {"language": "es", "next": home})
    assert response.status_code == 302 and response["Location"] == home
    cast.pat.user.refresh_from_db()
    assert cast.pat.user.language == "es"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_language_switch_never_redirects_off_site_and_ignores_unknown_codes(cast: Any) -> None:
    client = cast.client_for(cast.pat.user)
    response = client.post(
        reverse("accounts:set_language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    cast.pat.user.refresh_from_db()
    assert cast.pat.user.language == ""
