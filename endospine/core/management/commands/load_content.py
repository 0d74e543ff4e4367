from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Every loader of reviewed clinical content under content/, in order. Each one
# validates its files and refuses a bad one without loading half of it.
# Assessment and triage rules are read from their files at start-up and
# checked by system checks (`endospine check`), so a broken file stops the server.
LOADERS: list[tuple[str, ...]] = [
    ("kb", "load"),
    ("proms", "load"),
    ("checklists", "--quiet"),
]


class Command(BaseCommand):
    help = "Load (or reload) all shipped clinical content: articles, rules, checklists, forms."

    def handle(self, *args: Any, **options: Any) -> None:
        for loader in LOADERS:
            call_command(*loader, stdout=self.stdout, stderr=self.stderr)
