from django.apps import AppConfig


class OperateConfig(AppConfig):
    name = "endospine.operate"
    label = "operate"
    default_auto_field = "django.db.models.BigAutoField"
