from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from endospine.accounts.models import User
from endospine.journey import demo
from endospine.journey.models import Patient


class Command(BaseCommand):
    help = "Fill an empty database with a demo site, its team and patients at every stage."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) when the database already holds users",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if demo.demo_loaded():
            self.stdout.write("Demo data is already loaded.")
            self._print_logins()
            return
        if User.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database holds real users: demo data not loaded.")
                return
            raise CommandError("refusing to add demo data: this database already holds real users")
        ctx = demo.build()
        count = Patient.objects.filter(site=ctx.site).count()
        self.stdout.write(self.style.SUCCESS(f"Demo site '{ctx.site.name}' with {count} patients."))
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        users = User.objects.filter(username__in=demo.DEMO_USERNAMES).order_by("role", "username")
        for user in users:
            self.stdout.write(
                f"  {user.get_role_display():<14} {user.username}{self._stage_of(user)}"
            )

    @staticmethod
    def _stage_of(user: User) -> str:
        patient = Patient.objects.filter(user=user).first()
        episode = patient.episodes.first() if patient else None
        return f"  (episode at {episode.get_stage_display()})" if episode else ""
