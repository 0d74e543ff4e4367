"""Generating checklists, ticking and verifying items, and the gate before operate."""

from datetime import timedelta

import pytest
from django.utils import timezone

from endospine.core.errors import DomainError
from endospine.journey.models import Stage, TimelineEvent
from endospine.journey.services import change_stage
from endospine.prepare.models import Checklist, ChecklistItem, ItemState
from endospine.prepare.services import (
    checklist_generate,
    checklist_refresh,
    item_tick,
    item_verify,
    operate_gate,
)
from endospine.prepare.tests.conftest import checklist, item
from endospine.testing import make_episode

pytestmark = pytest.mark.django_db


def _close_all(episode, cast):
    for it in ChecklistItem.objects.filter(checklist__episode=episode):
        if it.owner == "patient":
            item_tick(item=it, actor=episode.patient.user)
        else:
            item_verify(item=it, actor=cast.nurse)


def test_entering_prepare_generates_the_site_checklist(cast, preparing):
    made = checklist(preparing)
    assert (made.template_site, made.template_version) == ("default", 2)
    codes = list(made.items.values_list("code", flat=True))
    assert "medication_review" in codes and "escort_home" in codes and len(codes) == 16
    assert all(i.state == ItemState.OPEN for i in made.items.all())
    assert TimelineEvent.objects.filter(episode=preparing, kind="checklist_generated").exists()


def test_due_dates_follow_the_surgery_date(cast, preparing):
    consent = item(preparing, "consent")
    assert consent.due_on(preparing.surgery_date) == preparing.surgery_date - timedelta(days=7)
    preparing.surgery_date += timedelta(days=7)
    assert consent.due_on(preparing.surgery_date) == preparing.surgery_date - timedelta(days=7)


def test_fasting_text_uses_the_settings_then_the_site_policy(cast, settings):
    settings.FASTING_FOOD_HOURS, settings.FASTING_CLEAR_FLUIDS_HOURS = 8, 3
    checklist_generate(episode=cast.episode)
    text = item(cast.episode, "fasting_instructions").patient_text
    assert "8 hours" in text and "3 hours" in text
    cast.sid.site.settings = {"fasting_food_hours": 6, "fasting_clear_fluids_hours": 1}
    cast.sid.site.save()
    checklist_generate(episode=cast.south_episode)
    item_text = item(cast.south_episode, "fasting_instructions").patient_text
    assert "6 hours" in item_text and "1 hours" in item_text


def test_a_site_with_its_own_template_gets_it(cast):
    made = checklist_generate(episode=cast.south_episode)
    assert made.template_site == "south"
    assert item(cast.south_episode, "preoperative_tests").due_days == -21


def test_generation_is_idempotent(cast, preparing):
    first = checklist(preparing)
    again = checklist_generate(episode=preparing, actor=cast.nurse)
    assert again.pk == first.pk
    assert Checklist.objects.filter(episode=preparing).count() == 1
    assert ChecklistItem.objects.filter(checklist__episode=preparing).count() == 16


def test_the_gate_blocks_while_required_items_are_open(cast, preparing):
    with pytest.raises(DomainError) as error:
        change_stage(episode=preparing, to_stage=Stage.OPERATE, actor=cast.surgeon)
    assert "'Consent signed' is not done" in error.value.errors[0][1]
    preparing.refresh_from_db()
    assert preparing.stage == Stage.PREPARE


def test_the_gate_blocks_an_episode_without_a_checklist(cast):
    assert operate_gate(cast.episode) == ["the preparation checklist has not been generated"]


def test_the_gate_opens_when_every_required_item_is_closed(cast, preparing):
    _close_all(preparing, cast)
    assert operate_gate(preparing) == []
    moved = change_stage(episode=preparing, to_stage=Stage.OPERATE, actor=cast.nurse)
    assert moved.stage == Stage.OPERATE


def test_not_applicable_closes_a_required_item_but_needs_a_reason(cast, preparing):
    consent = item(preparing, "consent")
    with pytest.raises(DomainError) as error:
        item_verify(item=consent, actor=cast.nurse, state=ItemState.NOT_APPLICABLE)
    assert error.value.errors[0][0] == "note"
    item_verify(
        item=consent, actor=cast.nurse, state=ItemState.NOT_APPLICABLE, note="Paper consent"
    )
    assert "'Consent signed' is not done" not in operate_gate(preparing)


def test_a_surgeon_overrides_the_gate_with_a_reason_that_is_kept(cast, preparing):
    moved = change_stage(
        episode=preparing,
        to_stage=Stage.OPERATE,
        actor=cast.surgeon,
        override_reason="Urgent: progressive weakness",
    )
    assert moved.stage == Stage.OPERATE
    event = TimelineEvent.objects.get(episode=preparing, kind="stage_changed", data__to="operate")
    assert event.data["override_reason"] == "Urgent: progressive weakness"
    assert "'Consent signed' is not done" in event.data["overridden"]


def test_a_nurse_may_not_override_the_gate(cast, preparing):
    with pytest.raises(DomainError) as error:
        change_stage(
            episode=preparing,
            to_stage=Stage.OPERATE,
            actor=cast.nurse,
            override_reason="Surgeon said so",
        )
    assert error.value.status == 403
    preparing.refresh_from_db()
    assert preparing.stage == Stage.PREPARE


def test_ticking_records_who_and_when_and_untick_reopens(cast, preparing):
    escort = item_tick(item=item(preparing, "escort_home"), actor=cast.pat.user)
    assert escort.state == ItemState.DONE and escort.done_by == cast.pat.user
    assert escort.done_at is not None
    escort = item_tick(item=escort, actor=cast.pat.user, done=False)
    assert escort.state == ItemState.OPEN and escort.done_by is None


def test_a_staff_tick_on_a_staff_item_verifies_it(cast, preparing):
    imaging = item_tick(item=item(preparing, "imaging_on_file"), actor=cast.nurse)
    assert imaging.state == ItemState.VERIFIED and imaging.verified_by == cast.nurse


def test_a_patient_cannot_reopen_an_item_the_team_closed(cast, preparing):
    escort = item(preparing, "escort_home")
    item_verify(item=escort, actor=cast.nurse)
    with pytest.raises(DomainError):
        item_tick(item=escort, actor=cast.pat.user, done=False)


def test_the_stop_date_is_only_for_the_medication_review_and_before_surgery(cast, preparing):
    review = item(preparing, "medication_review")
    with pytest.raises(DomainError) as error:
        item_verify(
            item=review, actor=cast.nurse, stop_date=preparing.surgery_date + timedelta(days=1)
        )
    assert error.value.errors[0][0] == "stop_date"
    with pytest.raises(DomainError):
        item_verify(
            item=item(preparing, "consent"), actor=cast.nurse, stop_date=preparing.surgery_date
        )
    stop = preparing.surgery_date - timedelta(days=5)
    assert item_verify(item=review, actor=cast.nurse, stop_date=stop).stop_date == stop


def test_an_unknown_state_is_refused_and_nothing_changes(cast, preparing):
    with pytest.raises(DomainError) as error:
        item_verify(item=item(preparing, "consent"), actor=cast.nurse, state="done")
    assert error.value.errors[0][0] == "state"
    assert item(preparing, "consent").state == ItemState.OPEN


def test_the_checklist_is_closed_after_operate(cast, preparing):
    change_stage(episode=preparing, to_stage=Stage.OPERATE, actor=cast.surgeon, override_reason="x")
    with pytest.raises(DomainError):
        item_tick(item=item(preparing, "escort_home"), actor=cast.pat.user)


def test_the_baseline_item_stays_open_until_answered_and_the_patient_may_tick_it(cast, preparing):
    proms = item(preparing, "baseline_proms")
    assert proms.auto == "baseline_proms"
    assert "'Baseline questionnaires' is not done" in operate_gate(preparing)
    assert item_tick(item=proms, actor=cast.pat.user).state == ItemState.DONE


def test_answered_baseline_questionnaires_complete_the_item(cast, preparing):
    timepoint = pytest.importorskip("endospine.proms.models").Timepoint
    today = preparing.surgery_date - timedelta(days=14)
    # Entering prepare opened the baseline; the patient has now answered it.
    timepoint.objects.update_or_create(
        episode=preparing,
        code="baseline",
        defaults={
            "label": "Before surgery",
            "opens_on": today,
            "due_on": today,
            "completed_at": timezone.now(),
        },
    )
    assert "'Baseline questionnaires' is not done" not in operate_gate(preparing)
    checklist_refresh(checklist=checklist(preparing))
    proms = item(preparing, "baseline_proms")
    assert proms.state == ItemState.DONE and proms.done_by is None


def test_an_episode_created_directly_in_prepare_gets_its_checklist_on_demand(cast):
    episode = make_episode(cast.quinn, stage=Stage.PREPARE)
    assert not Checklist.objects.filter(episode=episode).exists()
    assert checklist_generate(episode=episode).items.count() == 16
