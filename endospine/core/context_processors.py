from django.conf import settings
from django.http import HttpRequest

from endospine.accounts.models import Site


def site_contacts(request: HttpRequest) -> dict[str, object]:
    """The emergency and care-team numbers every medical page must show.

    A signed-in patient sees their own site's numbers; others see the first
    site's (a single-site install) or the default emergency number.
    """
    site = None
    user = getattr(request, "user", None)
    patient = getattr(user, "patient", None) if user and user.is_authenticated else None
    if patient is not None:
        site = patient.site
    elif user is not None and user.is_authenticated and not user.is_patient:
        site = user.sites.first()
    if site is None:
        site = Site.objects.order_by("name").first()
    return {
        "contact_site": site,
        "emergency_number": site.emergency_number if site else settings.DEFAULT_EMERGENCY_NUMBER,
        "care_team_phone": site.care_team_phone if site else "",
    }
