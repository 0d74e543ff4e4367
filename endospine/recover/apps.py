from django.apps import AppConfig


class RecoverConfig(AppConfig):
    name = "endospine.recover"
    label = "recover"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from endospine.journey import panels
        from endospine.journey.panels import Panel, Section, register, register_section
        from endospine.journey.timeline import register_source
        from endospine.recover import checks  # noqa: F401  (registers the recover checks)
        from endospine.recover.board import register_board
        from endospine.recover.selectors import due_items, timeline_rows
        from endospine.recover.trends import episode_trends

        register_board()
        register_source(timeline_rows)
        register_section(
            Section("recover/_trends.html", episode_trends, ("operate", "recover", "complete"), 30)
        )

        stages = ("operate", "recover", "complete")
        panels.register_due(("recover",), due_items)
        register(
            Panel(
                "Recovery check-ins",
                "recover:episode",
                "patient",
                stages,
                order=60,
                description="Tell your care team how you are doing at home",
            )
        )
        register(
            Panel(
                "Recovery check-ins and alerts",
                "recover:episode",
                "staff",
                stages,
                order=60,
                description="Schedule, check-ins and their triage",
            )
        )
