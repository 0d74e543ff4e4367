from django.apps import AppConfig


class PrepareConfig(AppConfig):
    name = "endospine.prepare"
    label = "prepare"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from endospine.journey import gates, panels
        from endospine.journey.models import Stage
        from endospine.prepare import checks  # noqa: F401  (registers the medicines check)
        from endospine.prepare.selectors import due_items
        from endospine.prepare.services import generate_on_prepare, operate_gate

        gates.register(Stage.OPERATE, operate_gate)
        gates.on_enter(Stage.PREPARE, generate_on_prepare)
        panels.register_due((Stage.PREPARE, Stage.OPERATE), due_items)
        panels.register(
            panels.Panel(
                title="Getting ready for your operation",
                url_name="prepare:checklist",
                audience="patient",
                stages=(Stage.PREPARE,),
                order=30,
                description="Your preparation checklist",
            )
        )
        panels.register(
            panels.Panel(
                title="Preparation checklist",
                url_name="prepare:checklist",
                audience="staff",
                stages=(Stage.ASSESS, Stage.PREPARE, Stage.OPERATE, Stage.RECOVER, Stage.COMPLETE),
                order=30,
                description="Items to verify and the gate before operate",
            )
        )
