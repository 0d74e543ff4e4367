import pytest

from endospine.core.errors import DomainError
from endospine.journey import gates
from endospine.journey.models import Stage, TimelineEvent
from endospine.journey.services import ALLOWED_TRANSITIONS, change_stage

FORWARD = [
    (Stage.LEARN, Stage.ASSESS),
    (Stage.ASSESS, Stage.PREPARE),
    (Stage.PREPARE, Stage.OPERATE),
    (Stage.OPERATE, Stage.RECOVER),
    (Stage.RECOVER, Stage.COMPLETE),
]
FORBIDDEN = [
    (Stage.LEARN, Stage.RECOVER),
    (Stage.LEARN, Stage.OPERATE),
    (Stage.LEARN, Stage.COMPLETE),
    (Stage.ASSESS, Stage.OPERATE),
    (Stage.PREPARE, Stage.RECOVER),
    (Stage.RECOVER, Stage.LEARN),
    (Stage.RECOVER, Stage.CANCELLED),
    (Stage.COMPLETE, Stage.RECOVER),
    (Stage.CANCELLED, Stage.LEARN),
]


def _at(episode, stage):
    episode.stage = stage
    episode.save()
    return episode


@pytest.mark.parametrize(("start", "end"), FORWARD)
def test_the_pathway_moves_forward_one_step(cast, start, end):
    # The surgeon's override reason lets the move through any gate a step
    # registers (e.g. the preparation checklist); gates are tested below.
    episode = change_stage(
        episode=_at(cast.episode, start),
        to_stage=end,
        actor=cast.surgeon,
        reason="ok",
        override_reason="tested without the step's records",
    )
    assert episode.stage == end


@pytest.mark.parametrize(("start", "end"), FORBIDDEN)
def test_jumps_are_refused_and_nothing_changes(cast, start, end):
    episode = _at(cast.episode, start)
    with pytest.raises(DomainError) as error:
        change_stage(episode=episode, to_stage=end, actor=cast.nurse)
    assert error.value.errors[0][0] == "stage"
    episode.refresh_from_db()
    assert episode.stage == start
    assert not TimelineEvent.objects.filter(episode=episode).exists()


def test_every_active_stage_can_be_cancelled_except_recovery():
    for stage in (Stage.LEARN, Stage.ASSESS, Stage.PREPARE, Stage.OPERATE):
        assert Stage.CANCELLED in ALLOWED_TRANSITIONS[stage]
    assert ALLOWED_TRANSITIONS[Stage.COMPLETE] == frozenset()
    assert ALLOWED_TRANSITIONS[Stage.CANCELLED] == frozenset()


def test_a_change_records_who_why_and_a_timeline_event(cast):
    change_stage(
        episode=cast.episode, to_stage=Stage.PREPARE, actor=cast.surgeon, reason="Good candidate"
    )
    event = TimelineEvent.objects.get(episode=cast.episode, kind="stage_changed")
    assert event.actor == cast.surgeon
    assert event.data["from"] == Stage.ASSESS
    assert event.data["to"] == Stage.PREPARE
    assert event.data["reason"] == "Good candidate"


def test_same_stage_and_unknown_stage_are_refused(cast):
    with pytest.raises(DomainError):
        change_stage(episode=cast.episode, to_stage=Stage.ASSESS, actor=cast.nurse)
    with pytest.raises(DomainError):
        change_stage(episode=cast.episode, to_stage="surgery", actor=cast.nurse)


def test_closing_sets_the_closed_date(cast):
    episode = change_stage(
        episode=cast.episode, to_stage=Stage.CANCELLED, actor=cast.nurse, reason="patient declined"
    )
    assert episode.closed_on is not None


@pytest.fixture
def blocking_gate():
    def gate(episode):
        return ["consent not signed"]

    gates.register("prepare", gate)
    yield gate
    gates._gates["prepare"].remove(gate)


def test_a_gate_blocks_the_move_with_its_reason(cast, blocking_gate):
    with pytest.raises(DomainError) as error:
        change_stage(episode=cast.episode, to_stage=Stage.PREPARE, actor=cast.surgeon)
    assert "consent not signed" in error.value.errors[0][1]


def test_a_surgeon_overrides_a_gate_with_a_reason_that_is_kept(cast, blocking_gate):
    episode = change_stage(
        episode=cast.episode,
        to_stage=Stage.PREPARE,
        actor=cast.surgeon,
        override_reason="Consent on paper",
    )
    assert episode.stage == Stage.PREPARE
    event = TimelineEvent.objects.get(episode=episode, kind="stage_changed")
    assert event.data["override_reason"] == "Consent on paper"
    assert event.data["overridden"] == ["consent not signed"]


def test_only_a_surgeon_may_override(cast, blocking_gate):
    with pytest.raises(DomainError) as error:
        change_stage(
            episode=cast.episode, to_stage=Stage.PREPARE, actor=cast.nurse, override_reason="x"
        )
    assert error.value.status == 403
    cast.episode.refresh_from_db()
    assert cast.episode.stage == Stage.ASSESS


def test_the_episode_page_offers_only_allowed_moves(cast):
    body = cast.client_for(cast.nurse).get(f"/episodes/{cast.episode.pk}/").content.decode()
    assert '<option value="prepare">' in body
    assert '<option value="recover">' not in body
    change_stage(
        episode=cast.episode, to_stage=Stage.CANCELLED, actor=cast.nurse, reason="patient declined"
    )
    body = cast.client_for(cast.nurse).get(f"/episodes/{cast.episode.pk}/").content.decode()
    assert "Change stage" not in body
