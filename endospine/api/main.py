"""The JSON API under /api/v1. Each journey app contributes a router."""

from django.db import connection
from django.http import HttpRequest, JsonResponse

from endospine.api.auth import AUTH
from endospine.api.errors import HANDLERS
from endospine.api.openapi import DocumentedAPI

api = DocumentedAPI(
    title="EndoSpine API",
    version="1",
    description=(
        "The EndoSpine JSON API. Errors always have the shape "
        '{"errors": [{"field": ..., "message": ..., "code": ...}]}. Authenticate with '
        "`Authorization: Bearer <token>` (see `endospine token create`)."
    ),
    auth=AUTH,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
for exception_class, handler in HANDLERS:
    api.add_exception_handler(exception_class, handler)


def _add_routers() -> None:
    from endospine.assess.api import router as assess_router
    from endospine.journey.api import patients_router
    from endospine.journey.api import router as episodes_router
    from endospine.learn.api import router as learn_router
    from endospine.measure.api import router as measure_router
    from endospine.operate.api import router as operate_router
    from endospine.prepare.api import router as prepare_router
    from endospine.proms.api import router as proms_router
    from endospine.recover.api import router as recover_router

    api.add_router("/episodes", episodes_router)
    api.add_router("/patients", patients_router)
    api.add_router("/episodes", prepare_router)
    api.add_router("/episodes", operate_router)
    api.add_router("", recover_router)
    api.add_router("", learn_router)
    api.add_router("", assess_router)
    api.add_router("", proms_router)
    api.add_router("", measure_router)


_add_routers()


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
