from django.apps import AppConfig


class AssessConfig(AppConfig):
    name = "endospine.assess"
    label = "assess"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from endospine.assess import checks  # noqa: F401  (registers the rule-file check)
        from endospine.journey.models import Stage
        from endospine.journey.panels import Panel, register

        register(
            Panel(
                title="Your assessment",
                url_name="assess:patient",
                audience="patient",
                stages=(Stage.ASSESS,),
                order=20,
                description="A few questions about your pain, then your surgeon's decision.",
            )
        )
        register(
            Panel(
                title="Assessment",
                url_name="assess:staff",
                audience="staff",
                stages=(Stage.ASSESS, Stage.PREPARE),
                order=20,
                description="Intake, findings, the rules that fired and the surgeon's decision.",
            )
        )
