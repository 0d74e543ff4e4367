from django.apps import AppConfig


class MeasureConfig(AppConfig):
    name = "endospine.measure"
    label = "measure"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from endospine.measure import checks, hooks  # noqa: F401  (check and refresh hooks)
