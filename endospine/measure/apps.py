from django.apps import AppConfig


class MeasureConfig(AppConfig):
    name = "endospine.measure"
    label = "measure"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from endospine.journey.models import Stage
        from endospine.journey.panels import Panel, register
        from endospine.measure import checks, hooks  # noqa: F401  (check and refresh hooks)

        register(
            Panel(
                title="Adverse events",
                url_name="measure:episode_events",
                audience="staff",
                stages=(Stage.OPERATE, Stage.RECOVER, Stage.COMPLETE),
                order=70,
                description="Complications for the outcomes registry, with date and grade.",
            )
        )
