from django.contrib import admin
from django.urls import include, path

from endospine.accounts.views import admin_login
from endospine.api.main import api, healthz
from endospine.fhir import views as fhir_views
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
    path("fhir/R4", fhir_views.transaction, name="fhir_base"),
    path("fhir/R4/", include("endospine.fhir.urls")),
    path("healthz", healthz, name="healthz"),
    # Before the admin's own: its sign-in is ours, with our throttle and audit.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
]

handler500 = "endospine.core.views.server_error"
