"""`endospine export registry PATH --format csv|parquet`: the de-identified registry."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from endospine.core import clock
from endospine.measure.export import dictionary_path, export_registry


class Command(BaseCommand):
    help = "Export a de-identified dataset (see docs/measure.md). Every export is audited."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", choices=["registry"])
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=["csv", "parquet"], default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} is not a directory")
        try:
            export = export_registry(path, options["format"], clock.now().date())
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Wrote {export.rows} rows ({export.episodes} episodes) to {path}, "
            f"data dictionary {dictionary_path(path)}"
        )
