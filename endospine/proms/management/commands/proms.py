"""`endospine proms load|check`: validate the instrument files and (load) store them."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from endospine.proms import instruments, services


class Command(BaseCommand):
    help = (
        "Validate (check: also each site's prom_timepoints) or validate and store (load) "
        "the PROM instruments."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load", "check"])
        parser.add_argument(
            "--dir", default="", help="Instrument folder (default content/instruments)"
        )
        parser.add_argument(
            "--odi-wording",
            default=None,
            help="Licensed ODI wording file (default: the ODI_WORDING_FILE setting)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["dir"]) if options["dir"] else services.instruments_dir()
        wording = options["odi_wording"]
        try:
            if options["action"] == "check":
                found = instruments.read_all(directory)
                path = wording if wording is not None else settings.ODI_WORDING_FILE
                if path:
                    instruments.read_odi_wording(Path(path))
                self._check_sites()
                self.stdout.write(
                    f"{len(found)} instruments valid: " + ", ".join(q["id"] for q in found)
                )
                return
            loaded = services.instruments_load(directory=directory, wording_file=wording)
        except instruments.InstrumentError as exc:
            raise CommandError(str(exc)) from exc
        for row in loaded:
            licensed = " (licensed wording)" if row.licensed_wording else ""
            self.stdout.write(f"loaded {row.code} v{row.version}{licensed}")

    def _check_sites(self) -> None:
        from endospine.accounts.models import Site
        from endospine.proms.schedule import ScheduleError, followup_rules

        for site in Site.objects.order_by("slug"):
            try:
                followup_rules(site.settings)
            except ScheduleError as exc:
                raise CommandError(f"site {site.slug}: {exc}") from exc
