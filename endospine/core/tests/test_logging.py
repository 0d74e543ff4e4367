import logging

from endospine.core.logfilters import StripQueryString


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
