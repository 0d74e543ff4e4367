from django.apps import AppConfig


class RecoverConfig(AppConfig):
    name = "endospine.recover"
    label = "recover"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from endospine.journey.panels import Panel, register
        from endospine.recover import checks  # noqa: F401  (registers recover.W001, E002)
        from endospine.recover.board import register_board

        register_board()
        from endospine.journey.panels import Section, register_section
        from endospine.recover.trends import episode_trends

        register_section(
            Section("recover/_trends.html", episode_trends, ("operate", "recover", "complete"), 30)
        )

        stages = ("operate", "recover", "complete")
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
