"""The console e-mail backend, safe for a server log.

Django's own console backend prints the whole message: the address and, in a
welcome or reset e-mail, a live one-time link. This one prints the message
with addresses masked and one-time links redacted.
"""

from email.message import Message
from typing import Any

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend

from endospine.core.masking import redact


class MaskedConsoleEmailBackend(DjangoConsoleBackend):
    def write_message(self, message: Any) -> None:
        parsed: Message = message.message()
        lines = [f"Subject: {parsed['Subject']}", f"To: {redact(', '.join(message.recipients()))}"]
        if parsed["Message-ID"]:
            # The outbox's own id (no patient data): shows a message was sent once.
            lines.append(f"Message-ID: {parsed['Message-ID']}")
        lines.append("")
        lines.append(redact(message.body))
        self.stream.write("\n".join(lines) + "\n" + "-" * 79 + "\n")
