from django.contrib import admin
from django.urls import include, path

from endospine.api.main import api, healthz
from endospine.measure.views import public_page

urlpatterns = [
    path("", include("endospine.core.urls")),
    path("accounts/", include("endospine.accounts.urls")),
    path("audit/", include("endospine.audit.urls")),
    path("episodes/", include("endospine.journey.urls")),
    path("learn/", include("endospine.learn.urls")),
    path("assess/", include("endospine.assess.urls")),
    path("prepare/", include("endospine.prepare.urls")),
    path("operate/", include("endospine.operate.urls")),
    path("recover/", include("endospine.recover.urls")),
    path("proms/", include("endospine.proms.urls")),
    path("measure/", include("endospine.measure.urls")),
    path("outcomes/", public_page, name="public_outcomes"),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
