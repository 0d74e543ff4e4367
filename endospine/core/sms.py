"""Pluggable SMS sending. The console backend prints; a real one posts to a gateway."""

import sys

from django.conf import settings
from django.utils.module_loading import import_string

from endospine.core.masking import mask_phone, redact


class ConsoleSmsBackend:
    """Shows what would be sent, without the number or any one-time link (logs are not safe)."""

    def send(self, to: str, body: str) -> None:
        sys.stdout.write(f"SMS to {mask_phone(to)}: {redact(body)}\n")


class MemorySmsBackend:
    """Keeps messages in `outbox`, like Django's locmem e-mail backend (for tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, to: str, body: str) -> None:
        MemorySmsBackend.outbox.append((to, body))


def send_sms(to: str, body: str) -> None:
    backend = import_string(settings.SMS_BACKEND)()
    backend.send(to, body)
