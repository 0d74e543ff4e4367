"""Regenerate docs/screenshots/ from a fresh demo database.

    .venv/bin/python scripts/screenshots.py [--port 8140]

Builds a throw-away demo database, serves it on 127.0.0.1:PORT, and drives
Debian's Chromium (Playwright) through the pages the README shows: the
nurse's worklist and an alert (desktop), and the patient's check-in (phone).
Everything it starts it stops; nothing outside docs/screenshots/ is written.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
BIN = ROOT / ".venv" / "bin"
PASSWORD = "endospine-demo"


def _wait(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own local server)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def _login(page: object, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")  # type: ignore[attr-defined]
    page.locator("input[name=username]").fill(username)  # type: ignore[attr-defined]
    page.locator("input[name=password]").fill(PASSWORD)  # type: ignore[attr-defined]
    page.locator("main form button[type=submit]").last.click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]


def _shoot(base: str) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox"]
        )
        desk = browser.new_page(viewport={"width": 1366, "height": 900})
        _login(desk, base, "nurse_kim")
        desk.goto(f"{base}/episodes/")
        desk.screenshot(path=str(OUT / "worklist.png"), full_page=True)
        desk.goto(f"{base}/recover/alerts/")
        desk.locator("table.alert-list tbody a").first.click()
        desk.wait_for_load_state()
        desk.screenshot(path=str(OUT / "alert.png"), full_page=True)
        phone = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        ).new_page()
        _login(phone, base, "indy")
        phone.get_by_role("link", name="Recovery check-ins").first.click()
        phone.locator("a[href$='/checkin/']").first.click()
        phone.wait_for_load_state()
        phone.screenshot(path=str(OUT / "checkin-phone.png"))  # the first screen, as on a phone
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8140)
    port = parser.parse_args().port
    with tempfile.TemporaryDirectory(prefix="endospine-shots-") as data:
        env = {
            **os.environ,
            "ENDOSPINE_DATA_DIR": data,
            "ENDOSPINE_STAFF_REQUIRE_2FA": "false",
            "ENDOSPINE_SMS_BACKEND": "endospine.core.sms.MemorySmsBackend",
            "ENDOSPINE_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        env.pop("DATABASE_URL", None)
        for command in (["migrate", "--noinput", "-v0"], ["load_content"], ["demo"]):
            # Our own command with fixed arguments: nothing untrusted reaches it.
            subprocess.run(  # noqa: S603
                [BIN / "endospine", *command], env=env, check=True, stdout=subprocess.DEVNULL
            )
        server = subprocess.Popen(  # noqa: S603 (our own command, fixed arguments)
            [BIN / "endospine", "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(f"{base}/healthz")
            _shoot(base)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print("\n".join(str(p.relative_to(ROOT)) for p in sorted(OUT.glob("*.png"))), file=sys.stdout)


if __name__ == "__main__":
    main()
