"""JSON endpoints of the recover step."""

from ninja import Router

router = Router(tags=["recover"])
