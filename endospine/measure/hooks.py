"""Keep the outcome facts in step with rows other steps write.

The registry reads the steps' records (PROM answers, operative records,
discharges, findings); those apps must not import measure, so measure listens
for their saves and rebuilds the episode's facts in the same transaction. This
is the one place the registry uses signals: the rebuild is derived data, never
a business decision.
"""

from typing import Any

from django.db.models.signals import post_save

from endospine.assess.models import Findings
from endospine.operate.models import Discharge, OperativeRecord
from endospine.proms.models import Response


def _refresh(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata
        return
    from endospine.measure.services import registry_refresh

    registry_refresh(episode_ids=[instance.episode_id])


for model in (Response, OperativeRecord, Discharge, Findings):
    post_save.connect(_refresh, sender=model, dispatch_uid=f"measure-refresh-{model.__name__}")
