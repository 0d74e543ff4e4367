"""Sign in by username or e-mail, whatever the case a phone keyboard chose."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from endospine.accounts.models import User


def find_account(typed: str) -> User | None:
    """The one account a typed username or e-mail address names, else None.

    Usernames are unique ignoring case (registration checks it); an e-mail
    address shared by two accounts names neither, so nobody signs in to the
    wrong one.
    """
    typed = typed.strip()
    if not typed:
        return None
    by_name = User.objects.filter(username__iexact=typed).first()
    if by_name is not None or "@" not in typed:
        return by_name
    matches = list(
        User.objects.filter(Q(email__iexact=typed) | Q(patient__email__iexact=typed)).distinct()[:2]
    )
    return matches[0] if len(matches) == 1 else None


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        user = find_account(username)
        if user is None:
            User().set_password(password)  # same time as a wrong password (no enumeration)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
