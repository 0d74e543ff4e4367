from endospine.journey.models import Stage
from endospine.journey.services import change_stage
from endospine.proms.models import Timepoint


def test_entering_prepare_opens_the_baseline_questionnaires(cast):
    assert not Timepoint.objects.filter(episode=cast.episode).exists()
    change_stage(episode=cast.episode, to_stage=Stage.PREPARE, actor=cast.surgeon)
    assert Timepoint.objects.filter(episode=cast.episode, code="baseline").count() == 1
