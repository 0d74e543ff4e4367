"""A patient and a nurse sign in through a real Chromium and see their own pages."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_patient_signs_in_on_a_phone_and_sees_where_they_are(
    cast, live_server, phone_page, login, assert_accessible
):
    login(phone_page, live_server, "pat")
    assert phone_page.url.endswith("/episodes/home/")
    assert phone_page.get_by_role("heading", name="Hello Pat").is_visible()
    assert phone_page.get_by_text("You are at: Assess.").is_visible()
    assert phone_page.get_by_text("What comes next:").is_visible()
    assert "911" in phone_page.locator("footer").inner_text()
    assert_accessible(phone_page)


def test_a_nurse_signs_in_and_works_the_worklist(cast, live_server, page, login, assert_accessible):
    login(page, live_server, "nina_nurse")
    assert page.url.endswith("/episodes/")
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert "Sid" not in page.content()  # a South patient
    assert_accessible(page)
    page.get_by_label("Stage").select_option("learn")
    page.get_by_role("button", name="Filter").click()
    # The rows are swapped in by htmx: wait for the swap, not just the page load.
    expect(page.locator("tbody tr")).to_have_count(1)
    page.get_by_label("Stage").select_option("")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Pat Doe").click()
    assert page.get_by_role("heading", name="Timeline").is_visible()
    assert_accessible(page)


def test_the_sign_in_page_is_accessible(db, live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
