from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from endospine.accounts.models import ApiToken, Role, User
from endospine.fhir import scopes


def scope_problem(user: User, scope: str) -> str:
    """Why these scopes cannot be given to this user, or "" when they can."""
    try:
        parsed = scopes.parse(scope)
    except scopes.ScopeError as exc:
        return str(exc)
    if "patient" in scopes.contexts(parsed) and user.role != Role.PATIENT:
        # A patient/ scope needs a patient in context; only a patient's own token has one.
        return "patient/ scopes are for a patient's own token; use user/ or system/"
    if "system" in scopes.contexts(parsed) and user.role == Role.PATIENT:
        return "system/ scopes are for staff tokens (bulk export)"
    return ""


class Command(BaseCommand):
    help = "Manage API bearer tokens: `endospine token create USERNAME` prints a new token."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token for a user")
        create.add_argument("username")
        create.add_argument("--name", default="cli")
        create.add_argument(
            "--scope",
            default="",
            help="SMART v2 scopes for the FHIR API, e.g. 'user/*.rs' (space-separated)",
        )
        revoke = sub.add_parser("revoke", help="revoke every token of a user")
        revoke.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"no user named {options['username']!r}") from None
        if options["action"] == "create":
            scope = " ".join(options["scope"].split())
            problem = scope_problem(user, scope)
            if problem:
                raise CommandError(problem)
            _, raw = ApiToken.issue(user, name=options["name"], scope=scope)
            self.stdout.write(raw)
        else:
            from django.utils import timezone

            count = ApiToken.objects.active().filter(user=user).update(revoked_at=timezone.now())
            self.stdout.write(f"revoked {count} token(s)")
