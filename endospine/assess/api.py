"""JSON endpoints of the assess step."""

from ninja import Router

router = Router(tags=["assess"])
