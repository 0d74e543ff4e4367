from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from endospine.access import current_user
from endospine.accounts.models import Role


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
