from django.apps import AppConfig


class LearnConfig(AppConfig):
    name = "endospine.learn"
    label = "learn"
    default_auto_field = "django.db.models.BigAutoField"
