"""What `endospine demo` hands to each step's demo filler.

A step app may provide `endospine/<app>/demo.py` with `populate(ctx)`, which
adds that step's records (assessments, checklists, operative notes...) to the
demo episodes through the app's own services.
"""

from dataclasses import dataclass, field

from endospine.accounts.models import Site, User
from endospine.journey.models import Episode, Patient


@dataclass
class DemoContext:
    site: Site
    surgeons: list[User]
    nurse: User
    coordinator: User
    lead: User
    admin: User
    patients: list[Patient]
    episodes: dict[str, list[Episode]] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # role, username, password
