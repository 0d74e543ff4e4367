from django.apps import AppConfig


class AssessConfig(AppConfig):
    name = "endospine.assess"
    label = "assess"
    default_auto_field = "django.db.models.BigAutoField"
