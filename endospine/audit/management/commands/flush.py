"""Django's `flush`, which must lift the audit triggers to empty the database."""

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from endospine.audit import triggers


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        with triggers.lifted(connection):
            super().handle(**options)
