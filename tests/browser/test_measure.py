"""Measure in a real browser: the program lead opens the outcomes dashboard and its
funnel plot, a surgeon verifies a quarter, and the public page then lists it."""

from datetime import date

import pytest

from endospine.accounts.models import Role
from endospine.measure.generate import generate
from endospine.measure.models import QuarterVerification
from endospine.measure.public import period
from endospine.testing import make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.browser
def test_lead_dashboard_surgeon_verifies_public_page_shows_it(
    live_server, cast, page, login, assert_accessible
):
    chen = make_staff("dr_chen", Role.SURGEON, cast.north)
    generate(site=cast.north, surgeons=[cast.surgeon, chen], nurse=cast.nurse, n=60,
             today=date.today())  # fmt: skip
    _start, _end, quarters = period(date.today())
    for surgeon, todo in ((chen, quarters), (cast.surgeon, quarters[:-1])):
        for quarter in todo:
            QuarterVerification.objects.create(surgeon=surgeon, quarter=quarter, cases=0,
                                               adverse_events=0)  # fmt: skip

    login(page, live_server, "lee_lead")
    page.goto(f"{live_server.url}/measure/?measure=odi&timepoint=12m")
    page.get_by_role("heading", name="Outcomes dashboard").wait_for()
    funnel = page.get_by_role("img", name="Funnel plot: case-mix adjusted success by surgeon")
    assert funnel.is_visible()
    assert page.locator("#funnel circle").count() == 2
    assert_accessible(page)

    page.context.clear_cookies()
    login(page, live_server, "sam_surgeon")
    page.goto(f"{live_server.url}/measure/mine/")
    page.get_by_role("button", name=f"Verify {quarters[-1]}").click()
    page.get_by_role("heading", name="My outcomes").wait_for()
    assert page.get_by_role("button", name=f"Verify {quarters[-1]}").count() == 0
    assert_accessible(page)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/outcomes/")
    page.get_by_role("heading", name="Our results").wait_for()
    assert quarters[-1] in page.locator("main").inner_text()
    assert page.get_by_role("table", name="Results per approach").is_visible()
    assert_accessible(page)
