"""Finding 9 of issue 9: CSP without 'unsafe-inline', Permissions-Policy, no-store."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]
INLINE = [
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
        "an inline script",
    ),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an event-handler attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
    (re.compile(r"https?://(?!www\.w3\.org)[^\s\"']*\.(?:js|css)\b", re.I), "a third-party asset"),
]


def test_no_template_needs_unsafe_inline_or_a_cdn():
    found = []
    for template in ROOT.rglob("templates/**/*.html"):
        text = template.read_text()
        for pattern, what in INLINE:
            if pattern.search(text):
                found.append(f"{template.relative_to(ROOT)}: {what}")
    assert found == []


def _simple_get_urls() -> list[str]:
    """Every URL pattern without a parameter (pages), from the resolver itself."""
    urls = []

    def walk(patterns: list, prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern) and "<" not in route and "(?P" not in route:
                urls.append("/" + (prefix + route).lstrip("^").replace("\\Z", "").rstrip("$"))

    walk(get_resolver().url_patterns, "")
    return sorted({u for u in urls if not u.startswith(("/admin/", "/api/v1/"))})


def _check_csp(response) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp and "style-src 'self'" in csp, csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response.headers.get("Permissions-Policy", "")


@pytest.mark.parametrize("who", ["pat", "nurse", "admin", "lead"])
def test_every_page_answers_with_the_headers_and_private_ones_are_not_stored(cast, who):
    user = cast.pat.user if who == "pat" else getattr(cast, who)
    client = cast.client_for(user)
    pages = [
        *_simple_get_urls(),
        f"/episodes/{cast.episode.pk}/",
        "/api/v1/episodes",
        f"/api/v1/episodes/{cast.episode.pk}",
        "/api/v1/docs",
    ]
    seen = 0
    for url in pages:
        response = client.get(url)
        if response.status_code >= 500:
            pytest.fail(f"{url}: {response.status_code}")
        _check_csp(response)
        assert "no-store" in response.headers.get("Cache-Control", ""), url
        seen += 1
    assert seen > 10


def test_public_pages_carry_the_policy_too(db):
    response = Client().get("/accounts/login/")
    _check_csp(response)
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_the_api_docs_load_their_assets_from_us(cast):
    page = cast.client_for(cast.nurse).get("/api/v1/docs").content.decode()
    assert "cdn." not in page and "/static/ninja/swagger-ui-bundle.js" in page
