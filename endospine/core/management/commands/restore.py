"""`endospine restore PATH`: replace the database with a backup."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from endospine.core import backup


class Command(BaseCommand):
    # A backup must not wait for (or be blocked by) content validation.
    requires_system_checks: list[str] = []
    help = "Restore the database from a backup made by `endospine backup` (stop the server first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data"
        )

    def handle(self, *args: Any, path: Path, force: bool, **options: Any) -> None:
        connection = connections["default"]
        has_data = "accounts_user" in connection.introspection.table_names()
        if has_data and not force:
            raise CommandError("the database already holds data; pass --force to replace it")
        connection.close()
        try:
            backup.restore(connection.settings_dict, path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"restored from {path}")
