"""Learn in a real browser: the public library on a phone, the Ask box with htmx and without
JavaScript, and the emergency warning shown before any answer."""

import pytest
from django.core.cache import cache

from endospine.learn import services


@pytest.fixture
def kb(transactional_db, settings):
    settings.RATE_LIMIT_PER_MINUTE = 10_000
    cache.clear()
    services.knowledge_load()


@pytest.mark.browser
def test_patient_browses_the_library_on_a_phone(kb, live_server, phone_page, assert_accessible):
    page = phone_page
    page.goto(f"{live_server.url}/learn/")
    assert page.get_by_role("heading", name="Knowledge library").is_visible()
    assert page.get_by_role("heading", name="Recovery and results").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Your incision and scar").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Your incision and scar", level=1).is_visible()
    assert page.get_by_text("Reviewed by EndoSpine editorial team").is_visible()
    assert page.get_by_text("does not replace advice from your care team").is_visible()
    assert_accessible(page)


@pytest.mark.browser
def test_ask_box_answers_in_place_with_htmx(kb, live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/learn/")
    page.get_by_label("Ask a question in your own words").fill(
        "how long untill i can go back to work"
    )
    page.get_by_role("button", name="Ask").click()
    answers = page.locator("#answers .answers")
    answers.wait_for()
    assert page.url.startswith(f"{live_server.url}/learn/ask/?q=")  # pushed, so Back works
    assert page.get_by_role("heading", name="Knowledge library").is_visible()  # same page
    first = answers.locator("li").first
    assert "When can I go back to work?" in first.inner_text()
    assert_accessible(page)
    first.get_by_role("link").first.click()
    page.wait_for_url("**/learn/recovery/#work")


@pytest.mark.browser
def test_ask_works_without_javascript(kb, live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/learn/")
        page.get_by_label("Ask a question in your own words").fill("will there be a scar")
        page.get_by_role("button", name="Ask").click()
        page.wait_for_url("**/learn/ask/?q=*")
        assert page.get_by_role("heading", name="Ask a question").is_visible()
        assert page.locator("#answers .answers li").count() >= 1
        assert "How big is the incision?" in page.locator("#answers").inner_text()
    finally:
        context.close()


@pytest.mark.browser
def test_emergency_question_shows_the_emergency_number_first(kb, live_server, page):
    page.goto(f"{live_server.url}/learn/ask/?q=I+cannot+pass+urine+since+my+operation")
    alert = page.locator(".notice-emergency")
    assert alert.is_visible()
    assert "Call 911 now" in alert.inner_text()  # no site yet: the default emergency number
