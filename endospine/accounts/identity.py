"""Who is signed in. Kept in accounts so that sign-in pages need nothing else."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from endospine.accounts.models import User

AnyUser = User | AnonymousUser


def signed_in(user: AnyUser) -> User | None:
    """The user when signed in and active, else None."""
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def current_user(request: HttpRequest) -> User:
    """The signed-in user of a request that passed authentication."""
    user = signed_in(request.user)
    if user is None:
        raise PermissionDenied("not signed in")
    return user
