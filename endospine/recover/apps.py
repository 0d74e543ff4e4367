from django.apps import AppConfig


class RecoverConfig(AppConfig):
    name = "endospine.recover"
    label = "recover"
    default_auto_field = "django.db.models.BigAutoField"
