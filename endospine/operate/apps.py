from django.apps import AppConfig


class OperateConfig(AppConfig):
    name = "endospine.operate"
    label = "operate"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from endospine.journey.panels import Panel, register

        after_theatre = ("operate", "recover", "complete")
        register(Panel("Operative record", "operate:record", "staff", after_theatre, order=40,
                       description="file, sign and print the operative note"))  # fmt: skip
        register(Panel("Discharge", "operate:discharge", "staff", after_theatre, order=45,
                       description="record the discharge and print the instructions"))  # fmt: skip
        register(Panel("Going home: your instructions", "operate:instructions", "patient",
                       ("recover", "complete"), order=40,
                       description="activity, wound care, warning signs, check-ins"))  # fmt: skip
