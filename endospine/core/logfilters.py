"""Keep secrets and patient words out of logs.

- Questions typed into Ask travel in the query string (`/api/v1/ask?q=...`),
  so request logs record the path only.
- One-time links (`/accounts/set-password/<uid>/<token>/`, the two-factor
  enrolment link) are live credentials: their secret part is redacted.
- E-mail addresses are masked.
"""

import logging

from endospine.core.masking import redact


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


StripQueryString = RedactSecrets  # the earlier name, kept for existing configurations
