"""`endospine checklists`: validate the checklist templates and show what each site gets."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from endospine.prepare.services import checklist_dir, templates
from endospine.prepare.spec import TemplateError


class Command(BaseCommand):
    help = "Validate content/checklists/*.yaml and list each template's items."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="print only problems")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            found = templates()
        except TemplateError as exc:
            raise CommandError(
                f"{len(exc.problems)} problem(s) in {checklist_dir()}:\n  "
                + "\n  ".join(exc.problems)
            ) from exc
        for site, spec in sorted(found.items()):
            self.stdout.write(
                self.style.SUCCESS(f"{site} v{spec.version}: {len(spec.items)} items")
            )
            if options["quiet"]:
                continue
            for item in spec.items:
                flag = "required" if item.required else "optional"
                self.stdout.write(
                    f"  {item.code:<22} {item.owner:<8} {item.due_days:+4d} d  {flag}"
                )
