from django.urls import path, re_path

from endospine.fhir import bulk_views, views

app_name = "fhir"
urlpatterns = [
    path("", views.transaction, name="root"),
    path("metadata", views.metadata, name="metadata"),
    path("$export", bulk_views.kickoff, name="export"),
    path("Group/<uuid:site_id>/$export", bulk_views.kickoff, name="group_export"),
    path("$export-status/<uuid:job_id>", bulk_views.status, name="export_status"),
    path("$export-file/<uuid:file_id>", bulk_views.download, name="export_file"),
    re_path(r"^(?P<resource>[A-Z][A-Za-z]+)$", views.type_endpoint, name="type"),
    re_path(
        r"^(?P<resource>[A-Z][A-Za-z]+)/(?P<fhir_id>[A-Za-z0-9\-.]{1,64})$",
        views.instance,
        name="instance",
    ),
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
