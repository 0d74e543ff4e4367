from django.apps import AppConfig


class PromsConfig(AppConfig):
    name = "endospine.proms"
    label = "proms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from endospine.journey import gates, panels
        from endospine.journey.panels import Panel, register
        from endospine.proms.board import register_board
        from endospine.proms.selectors import due_items
        from endospine.proms.services import open_baseline

        register_board()

        gates.on_enter("prepare", open_baseline)

        asked = ("prepare", "operate", "recover", "complete")
        panels.register_due(asked, due_items)
        register(
            Panel(
                "Questionnaires",
                "proms:episode",
                "patient",
                asked,
                order=60,
                description="Short questionnaires about your pain and daily life.",
            )
        )
        register(
            Panel(
                "My progress",
                "proms:progress",
                "patient",
                ("recover", "complete"),
                order=61,
                description="Your pain and daily life over time.",
            )
        )
        register(
            Panel(
                "PROMs",
                "proms:episode",
                "staff",
                asked,
                order=60,
                description="Questionnaire timepoints and their status.",
            )
        )
        register(
            Panel(
                "Progress (PROMs)",
                "proms:progress",
                "staff",
                asked,
                order=61,
                description="Scores over time, expected range and important change.",
            )
        )
