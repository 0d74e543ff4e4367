"""The public library, article pages and the Ask page (no JavaScript needed)."""

from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.test import Client

from endospine.learn import services


@pytest.fixture
def kb(db: None, settings: Any) -> None:
    settings.RATE_LIMIT_PER_MINUTE = 10_000
    cache.clear()
    services.knowledge_load()


def test_library_lists_articles_by_stage_for_anyone(kb: None, client: Client) -> None:
    response = client.get("/learn/")
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("Learn about the operation", "Getting ready", "Recovery and results"):
        assert heading in html
    assert 'href="/learn/wound-and-scar/"' in html
    assert "does not replace advice from your care team" in html
    assert 'name="q"' in html and 'action="/learn/ask/"' in html


def test_article_page_shows_review_sources_and_anchored_sections(kb: None, client: Client) -> None:
    html = client.get("/learn/wound-and-scar/").content.decode()
    assert "Reviewed by EndoSpine editorial team" in html
    assert "Sat 21 Nov 2026" in html  # one date format everywhere (endospine/formats)
    assert 'id="size"' in html
    assert (
        "seeds/000_c1acff843482578e.txt" not in html
    )  # internal file names are for reviewers only
    assert "does not replace advice from your care team" in html
    # The print style is a static file: the CSP allows no inline <style>.
    assert "learn/learn.css" in html
    assert "@media print" in Path(str(finders.find("learn/learn.css"))).read_text()


def test_unknown_article_is_404(kb: None, client: Client) -> None:
    assert client.get("/learn/no-such-article/").status_code == 404


def test_ask_page_works_without_javascript(kb: None, client: Client) -> None:
    response = client.get("/learn/ask/", {"q": "will there be a scar"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/learn/wound-and-scar/#size"' in html
    assert "<html" in html and "does not replace advice from your care team" in html


def test_htmx_gets_only_the_answers_fragment(kb: None, client: Client) -> None:
    response = client.get("/learn/ask/", {"q": "will there be a scar"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<div id="answers"')
    assert "/learn/wound-and-scar/#size" in html


def test_ask_page_shows_the_emergency_warning_first(kb: None, client: Client, cast: Any) -> None:
    html = client.get("/learn/ask/", {"q": "I cannot pass urine since the op"}).content.decode()
    assert "notice-emergency" in html
    assert html.index("notice-emergency") < html.index('class="answers"')
    assert f"Call {cast.north.emergency_number} now" in html


def test_blank_question_on_the_page_says_what_to_do(kb: None, client: Client) -> None:
    response = client.get("/learn/ask/", {"q": "   "})
    assert response.status_code == 400
    assert "Type a question." in response.content.decode()
    assert client.get("/learn/ask/").status_code == 200  # empty box: just the form
