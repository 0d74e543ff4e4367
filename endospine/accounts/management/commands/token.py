from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from endospine.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Manage API bearer tokens: `endospine token create USERNAME` prints a new token."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token for a user")
        create.add_argument("username")
        create.add_argument("--name", default="cli")
        revoke = sub.add_parser("revoke", help="revoke every token of a user")
        revoke.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"no user named {options['username']!r}") from None
        if options["action"] == "create":
            _, raw = ApiToken.issue(user, name=options["name"])
            self.stdout.write(raw)
        else:
            from django.utils import timezone

            count = ApiToken.objects.active().filter(user=user).update(revoked_at=timezone.now())
            self.stdout.write(f"revoked {count} token(s)")
