from typing import Any

from django.apps import AppConfig


def _on_timeline_event(sender: type, instance: Any, created: bool = False, **kwargs: Any) -> None:
    from endospine.prepare.services import generate_on_prepare

    if created and instance.kind == "stage_changed" and instance.data.get("to") == "prepare":
        generate_on_prepare(instance.episode)


class PrepareConfig(AppConfig):
    name = "endospine.prepare"
    label = "prepare"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from endospine.journey import gates, panels
        from endospine.journey.models import Stage, TimelineEvent
        from endospine.prepare.services import operate_gate

        gates.register(Stage.OPERATE, operate_gate)
        # journey.services.change_stage has no hook of its own; the timeline
        # event it writes for every move is the one sure sign of entering prepare.
        post_save.connect(
            _on_timeline_event, sender=TimelineEvent, dispatch_uid="prepare_checklist"
        )
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
