from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader

from endospine.access import current_user
from endospine.accounts.models import Role
from endospine.core.context_processors import site_contacts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the page they start from."""
    role = current_user(request).role
    if role == Role.PATIENT:
        return redirect("journey:patient_home")
    if role == Role.ADMIN:
        return redirect("audit:search")
    if role == Role.PROGRAM_LEAD:
        return redirect("journey:program")
    return redirect("journey:worklist")


def _contacts(request: HttpRequest) -> dict[str, object]:
    """The site's numbers, or the default emergency number when the database is away."""
    try:
        return site_contacts(request)
    except DatabaseError:
        return {"emergency_number": settings.DEFAULT_EMERGENCY_NUMBER, "care_team_phone": ""}


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the site's layout, with the numbers to call (no database needed)."""
    html = loader.get_template("500.html").render(_contacts(request))
    return HttpResponseServerError(html)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """An expired or missing form token: say what to do, in the site's layout."""
    return render(request, "403_csrf.html", status=403)
