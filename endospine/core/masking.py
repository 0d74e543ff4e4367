"""Mask secrets and contact details before they reach a log or a staff page.

Pure functions, no Django: the log filter, the console e-mail and SMS
backends and the "link sent to ..." notes all use them.
"""

import re

# Paths that carry a one-time secret: the set-password link, the two-factor
# enrolment link. Everything after the prefix is the secret.
ONE_TIME_PATH = re.compile(r"(/accounts/(?:set-password|2fa/enrol)/)(?!done/)[^\s\"'<>?]+")
_EMAIL = re.compile(r"[\w.+-]+@([\w-]+\.)+[\w-]+")
_QUERY = re.compile(r"\?[^\s\"]*")


def mask_email(address: str) -> str:
    """`p***@example.org`: enough for the owner to recognise it, no more."""
    local, _, domain = address.partition("@")
    if not domain:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask_phone(number: str) -> str:
    """`***99`: the last two digits only."""
    digits = re.sub(r"\D", "", number)
    return f"***{digits[-2:]}" if len(digits) >= 2 else "***"


def redact(text: str) -> str:
    """Text safe for a log: no one-time link, no query string, no e-mail address."""
    text = ONE_TIME_PATH.sub(r"\1[redacted]/", text)
    text = _QUERY.sub("?…", text)
    return _EMAIL.sub(lambda m: mask_email(m.group(0)), text)
