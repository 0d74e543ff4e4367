from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest

from endospine.access import signed_in, visible_episodes
from endospine.accounts.models import Site
from endospine.journey.models import Stage

# Before the operation (learning, being assessed, waiting for a scan, on
# conservative care, preparing) every patient page carries the cauda equina
# warning signs (GIRFT 2023 national pathway; issue 16 item 5).
PRE_OPERATIVE_STAGES = (Stage.LEARN, Stage.ASSESS, Stage.PREPARE)


def _cauda_equina_warning(request: HttpRequest) -> Callable[[], bool]:
    """A callable, so the query runs only when the base template asks."""

    def show() -> bool:
        any_user = getattr(request, "user", None)
        user = signed_in(any_user) if any_user is not None else None
        if user is None:
            # Anyone reading the public education pages is a patient before surgery.
            return request.path.startswith("/learn/")
        if not user.is_patient:
            return False
        return visible_episodes(user).filter(stage__in=PRE_OPERATIVE_STAGES).exists()

    return show


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
        "show_cauda_equina_warning": _cauda_equina_warning(request),
        "contact_site": site,
        "emergency_number": site.emergency_number if site else settings.DEFAULT_EMERGENCY_NUMBER,
        "care_team_phone": site.care_team_phone if site else "",
    }
