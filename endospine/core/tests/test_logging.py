"""Finding 3 of issue 9: logs never hold a live credential, an address or patient words.

The handlers and filters are the shipped ones (settings.LOGGING), and the
e-mail and SMS backends are the shipped console ones; the test reads what
they really write.
"""

import io
import logging
import logging.config
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings

from endospine.core.logfilters import StripQueryString
from endospine.core.sms import send_sms


def test_request_logs_keep_the_path_but_not_the_question():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /api/v1/ask?q=my+name+is+Pat+and+I+cannot+pee HTTP/1.1", "200", "512"),
        None,
    )
    StripQueryString().filter(record)
    line = record.getMessage()
    assert "/api/v1/ask?" in line
    assert "Pat" not in line and "pee" not in line


@pytest.fixture
def log_output():
    """What the shipped console handler writes."""
    logging.config.dictConfig(settings.LOGGING)
    buffer = io.StringIO()
    for logger in (logging.getLogger(), logging.getLogger("django.server")):
        for handler in logger.handlers:
            handler.setStream(buffer)  # type: ignore[attr-defined]
    yield buffer
    logging.config.dictConfig(settings.LOGGING)


def test_the_request_log_redacts_one_time_links(log_output):
    # Exactly what runserver's WSGIRequestHandler.log_message emits.
    server = logging.getLogger("django.server")
    server.info(
        '"%s" %s %s', "GET /accounts/set-password/MQ/cz9k2-0a1b2c3d4e/ HTTP/1.1", "200", "9"
    )
    server.info('"%s" %s %s', "GET /accounts/2fa/enrol/MQ/cz9k2-0a1b2c3d4e/ HTTP/1.1", "302", "0")
    logging.getLogger("django.request").warning("Not Found: %s", "/accounts/set-password/MQ/x-1/")
    err = log_output.getvalue()
    assert err.count("[redacted]") == 3
    assert "cz9k2" not in err and "x-1" not in err


def test_console_email_and_sms_mask_the_link_and_the_address(cast, capsys, settings):
    settings.SMS_BACKEND = "endospine.core.sms.ConsoleSmsBackend"
    body = "Choose your password: http://spine.example/accounts/set-password/MQ/cz9k2-0a1b2c3d4e/"
    with override_settings(EMAIL_BACKEND="endospine.core.mail.MaskedConsoleEmailBackend"):
        mail.send_mail("Your account", body, None, ["robin.hale@example.org"])
    send_sms("+1 555 0142", body)
    out = capsys.readouterr().out
    assert "cz9k2" not in out
    assert "robin.hale" not in out and "r***@example.org" in out
    assert "555 0142" not in out and "***42" in out
    assert out.count("/accounts/set-password/[redacted]/") == 2


def test_the_shipped_default_backends_are_the_masking_ones():
    from endospine import settings as shipped

    assert shipped.EMAIL_BACKEND == "endospine.core.mail.MaskedConsoleEmailBackend"
    assert shipped.SMS_BACKEND == "endospine.core.sms.ConsoleSmsBackend"
    assert re.search(r"redact", str(shipped.LOGGING["handlers"]["console"]["filters"]))
