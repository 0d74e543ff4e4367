"""JSON endpoints of the learn step."""

from ninja import Router

router = Router(tags=["learn"])
