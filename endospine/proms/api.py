"""JSON endpoints of PROMs."""

from ninja import Router

router = Router(tags=["proms"])
