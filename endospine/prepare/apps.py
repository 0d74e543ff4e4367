from django.apps import AppConfig


class PrepareConfig(AppConfig):
    name = "endospine.prepare"
    label = "prepare"
    default_auto_field = "django.db.models.BigAutoField"
