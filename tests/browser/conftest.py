"""Real-browser fixtures: Playwright for Python driving Debian's Chromium.

Never a downloaded browser: we launch /usr/bin/chromium. When it is missing,
every test marked `browser` is skipped (see the root conftest) and `make test`
says so.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from endospine.testing import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; the ORM calls our
# tests make alongside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: object) -> Iterator[object]:
    """A phone-sized page (390 x 844, touch), for the patient pages."""
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _login(page: object, live_server: object, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")  # type: ignore[attr-defined]
    page.get_by_label("Username").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]


@pytest.fixture
def login() -> Callable[..., None]:
    """login(page, live_server, username[, password]) signs in through the real form."""
    return _login


def _assert_accessible(page: object) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, "axe-core found serious/critical violations:\n" + "\n".join(serious)


@pytest.fixture
def assert_accessible() -> Callable[[object], None]:
    """assert_accessible(page): no serious or critical axe-core violation on the page."""
    return _assert_accessible
