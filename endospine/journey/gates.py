"""Conditions and hooks other steps attach to a stage change.

An app that owns a precondition (e.g. the preparation checklist must be
complete before `operate`) registers a gate in its AppConfig.ready(). A gate
returns the reasons the move is blocked; an empty list lets it through. A
surgeon may override a blocked move with a reason, which is kept.
"""

from collections.abc import Callable

from endospine.journey.models import Episode

Gate = Callable[[Episode], list[str]]

_gates: dict[str, list[Gate]] = {}


def register(to_stage: str, gate: Gate) -> None:
    if gate not in _gates.setdefault(to_stage, []):
        _gates[to_stage].append(gate)


def blocking_reasons(episode: Episode, to_stage: str) -> list[str]:
    return [reason for gate in _gates.get(to_stage, []) for reason in gate(episode)]


# What a step does when an episode enters a stage (e.g. generate the
# preparation checklist on entering `prepare`). Called inside the stage
# change's transaction, after the move is saved.
EnterHook = Callable[[Episode], None]

_on_enter: dict[str, list[EnterHook]] = {}


def on_enter(stage: str, hook: EnterHook) -> None:
    if hook not in _on_enter.setdefault(stage, []):
        _on_enter[stage].append(hook)


def entered(episode: Episode, stage: str) -> None:
    for hook in _on_enter.get(stage, []):
        hook(episode)
