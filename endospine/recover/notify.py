"""Who hears about an alert, and what they are sent: SMS and e-mail through the one outbox.

Every alert message goes to named people (by e-mail and, when they have a
phone, by SMS) and to the site's on-call contact, whoever is assigned. The
messages carry no name and no health detail: only the level and a link.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from endospine.accounts.models import Role, User
from endospine.journey.models import Episode
from endospine.recover import outbox
from endospine.recover.models import Alert, AlertKind


def alert_link(alert: Alert) -> str:
    path = reverse("recover:alert", kwargs={"alert_id": alert.pk})
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def nurses(episode: Episode) -> list[User]:
    """The episode's nurse, or every active nurse of its site when none is assigned."""
    if episode.nurse is not None:
        return [episode.nurse]
    return list(User.objects.filter(role=Role.NURSE, sites=episode.site, is_active=True))


def escalation_targets(alert: Alert) -> list[User]:
    """The site's coordinators and the episode's surgeon (or the site's surgeons)."""
    people = list(User.objects.filter(role=Role.COORDINATOR, sites=alert.site, is_active=True))
    surgeon = alert.episode.surgeon
    if surgeon is not None:
        people.append(surgeon)
    else:
        people += list(User.objects.filter(role=Role.SURGEON, sites=alert.site, is_active=True))
    return people


def _text(alert: Alert, kind: str) -> tuple[str, str]:
    level = alert.get_severity_display()
    if alert.kind == AlertKind.DELIVERY_FAILED:
        subject = _("EndoSpine: an alert message could not be delivered")
        body = _("An alert message to a colleague could not be delivered. Check it: %(link)s")
    elif kind == "escalation":
        subject = _("EndoSpine: %(level)s alert not acknowledged") % {"level": level}
        body = _("A %(level)s alert is still not acknowledged. Please take it: %(link)s")
    else:
        subject = _("EndoSpine: %(level)s alert") % {"level": level}
        body = _("A patient check-in needs you (%(level)s). Open the alert: %(link)s")
    return subject, body % {"level": level, "link": alert_link(alert)}


def queue_alert_messages(*, alert: Alert, people: list[User], kind: str, step: str) -> int:
    """Queue e-mail and SMS to each person and to the site's on-call contact.

    `step` makes the dedupe keys unique per occasion (a new alert, a raised
    level, an escalation round), so that the same occasion never sends twice.
    Returns how many messages were queued.
    """
    subject, body = _text(alert, kind)
    targets: list[tuple[str, str, str]] = []
    for person in people:
        targets.append((str(person.pk), "email", person.email))
        targets.append((str(person.pk), "sms", person.phone))
    targets.append(("oncall", "email", alert.site.on_call_email))
    targets.append(("oncall", "sms", alert.site.on_call_phone))
    queued = 0
    seen: set[tuple[str, str]] = set()
    for who, channel, address in targets:
        address = (address or "").strip()
        if not address or (channel, address) in seen:
            continue
        seen.add((channel, address))
        row = outbox.queue(
            kind=kind,
            channel=channel,
            to=address,
            alert_id=alert.pk,
            episode_id=alert.episode_id,
            dedupe_key=f"{kind}:{alert.pk}:{step}:{who}:{channel}",
            subject=subject,
            body=body,
        )
        queued += row is not None
    return queued
