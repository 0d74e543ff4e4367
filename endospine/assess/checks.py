"""A system check so a broken rule file stops `check`, `migrate` and `runserver` with
the loader's message, instead of failing on the first assessment."""

from typing import Any

from django.core.checks import CheckMessage, Error, register

from endospine.assess.rules import RuleFileError


@register()
def rule_file_is_valid(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from endospine.assess.services import current_ruleset

    try:
        current_ruleset()
    except RuleFileError as exc:
        return [Error(str(exc), hint="Fix content/rules/assessment.yaml", id="assess.E001")]
    return []
