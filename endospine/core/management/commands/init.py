"""`endospine init`: prepare the data directory and the secret key (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from endospine.bootstrap import init_from_environment


class Command(BaseCommand):
    help = "Create the data directory and, unless ENDOSPINE_SECRET_KEY is set, a secret key."

    def handle(self, *args: Any, **options: Any) -> None:
        # The `endospine` command has already prepared it before Django started;
        # this reports, and covers `python -m django` callers.
        for path in init_from_environment():
            self.stdout.write(f"created {path}")
        self.stdout.write("data directory ready")
