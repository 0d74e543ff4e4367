"""The language of the pages: the browser's by default, the person's own once chosen."""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse


@pytest.fixture(autouse=True)
def _spanish_on(settings: Any) -> None:
    settings.LANGUAGES = settings.SUPPORTED_LANGUAGES  # ENDOSPINE_LANGUAGES=en,es


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


def test_with_spanish_off_a_spanish_browser_gets_one_language(db: None, settings: Any) -> None:
    """The default until the Spanish catalogue is complete: never a half-translated page."""
    settings.LANGUAGES = [("en", "English")]
    page = Client().get(reverse("accounts:login"), headers={"accept-language": "es-MX,es;q=0.9"})
    assert _lang(page.content) == "en"
    assert "Contraseña" not in page.content.decode()


def test_the_picker_names_each_language_in_itself(db: None) -> None:
    page = Client().get(reverse("accounts:login")).content.decode()
    assert 'lang="es">Español</button>' in page
