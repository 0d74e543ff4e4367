"""JSON endpoints of the operate step."""

from ninja import Router

router = Router(tags=["operate"])
