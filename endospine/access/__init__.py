"""The access package: the one place that decides who may see and do what.

Pages, the JSON API and the FHIR API all ask here, by these names:
`episode_for`, `record_for`, `can`, `holds`, `require`, `visible_episodes`,
`sites_for`, `site_ids_for`, `current_user`, `Action`. See docs/access.md.
"""

from endospine.access.policy import (
    audit_read,
    can,
    episode_for,
    holds,
    record_for,
    require,
    site_ids_for,
    sites_for,
    visible_episodes,
)
from endospine.access.rules import Action
from endospine.accounts.identity import AnyUser, current_user, signed_in

__all__ = [
    "Action",
    "AnyUser",
    "audit_read",
    "can",
    "current_user",
    "episode_for",
    "holds",
    "record_for",
    "require",
    "signed_in",
    "site_ids_for",
    "sites_for",
    "visible_episodes",
]
