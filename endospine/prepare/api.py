"""JSON endpoints of the prepare step."""

from ninja import Router

router = Router(tags=["prepare"])
