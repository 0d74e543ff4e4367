"""System checks: a site no alert can reach (recover.W001), a broken staff-words file
(recover.E003), a broken or incomplete triage rule file (recover.E001, E002), symptom lexicon
(clinical.E001), grammar (clinical.E002) or review net (clinical.E003) stops `check`, `migrate`
and `runserver` with the loader's message, instead of failing on the first check-in. The
clinical checks live here because endospine.clinical stays free of Django."""

import importlib
from typing import Any

import yaml
from django.core.checks import CheckMessage, Error, Warning, register
from django.db import DatabaseError

from endospine.recover.engine import RuleSetError, load_ruleset

HINT = "Fix content/rules/triage.yaml (format at the top of the file)"


@register()
def triage_rules_are_valid(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from endospine.clinical.lexicon import load_lexicon
    from endospine.recover.triage import rules_path

    try:
        ruleset = load_ruleset(rules_path())
    except RuleSetError as exc:
        return [Error(str(exc), hint=HINT, id="recover.E001")]
    try:
        codes = {c.code for c in load_lexicon().codes}
    except Exception:  # reported by clinical.E001
        return []
    # A rule with no check-in field fires only from the free text: the detector must know it.
    return [
        Error(
            f"rule {rule.id} has no 'when' and no symptom code of that name, so it never fires",
            hint=f"Add a 'when' condition or a '{rule.id}' code to content/symptoms/lexicon.yaml",
            id="recover.E002",
        )
        for rule in ruleset.rules
        if rule.matches is None and rule.id not in codes
    ]


@register()
def symptom_content_is_valid(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        lexicon = importlib.import_module("endospine.clinical.lexicon")
    except Exception as exc:  # the grammar is read when the module is imported
        return [_error("grammar.yaml", exc, "clinical.E002")]
    try:
        lexicon._Grammar(yaml.safe_load(lexicon.GRAMMAR_PATH.read_text(encoding="utf-8")))
    except Exception as exc:
        return [_error("grammar.yaml", exc, "clinical.E002")]
    errors: list[CheckMessage] = []
    try:
        lexicon.load_lexicon()
    except Exception as exc:
        errors.append(_error("lexicon.yaml", exc, "clinical.E001"))
    from endospine.clinical.review import load_review_net

    try:
        load_review_net()
    except Exception as exc:
        errors.append(_error("review.yaml", exc, "clinical.E003"))
    return errors


def _error(name: str, exc: Exception, check_id: str) -> Error:
    return Error(
        f"content/symptoms/{name}: {exc}", hint=f"Fix content/symptoms/{name}", id=check_id
    )


def sites_without_on_call() -> list[str]:
    from endospine.accounts.models import Site

    return [
        site.slug
        for site in Site.objects.only("slug", "on_call_phone", "on_call_email")
        if not site.has_on_call
    ]


@register()
def every_site_has_on_call(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        missing = sites_without_on_call()
    except DatabaseError:
        return []  # not migrated yet: nothing to check
    return [
        Warning(
            f"site '{slug}' has no on-call phone or e-mail: alerts may reach nobody",
            hint="Set Site.on_call_phone and/or Site.on_call_email (Django admin, Sites).",
            id="recover.W001",
        )
        for slug in missing
    ]


@register()
def staff_words_are_valid(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from endospine.recover.staff_words import StaffWordsError, staff_words

    staff_words.cache_clear()
    try:
        staff_words()
    except (StaffWordsError, OSError, ValueError) as exc:
        return [Error(str(exc), hint="Fix content/recover/staff_words.yaml", id="recover.E003")]
    return []
