from django.apps import AppConfig


class PromsConfig(AppConfig):
    name = "endospine.proms"
    label = "proms"
    default_auto_field = "django.db.models.BigAutoField"
