"""`endospine backup PATH`: a consistent copy of the database, while it runs."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from endospine.core import backup


class Command(BaseCommand):
    # A backup must not wait for (or be blocked by) content validation.
    requires_system_checks: list[str] = []
    help = "Back up the database to PATH (SQLite online backup, or pg_dump on PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            backup.backup(connections["default"].settings_dict, path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"backed up to {path}")
