"""The demo filler gives baselines and improving follow-ups."""

from datetime import timedelta

from endospine.core import clock
from endospine.core.demo import DemoContext
from endospine.journey.models import Episode, Stage
from endospine.proms import demo, selectors
from endospine.proms.models import Response
from endospine.testing import make_episode


def test_populate(cast) -> None:
    today = clock.now().date()
    prepare = make_episode(cast.quinn, stage=Stage.PREPARE, surgery_in_days=14)
    recover = make_episode(cast.pat, stage=Stage.RECOVER, surgery_in_days=-40)
    complete = make_episode(cast.pat, stage=Stage.COMPLETE, surgery_in_days=-120)
    ctx = DemoContext(
        site=cast.north,
        surgeons=[cast.surgeon],
        nurse=cast.nurse,
        coordinator=cast.coordinator,
        lead=cast.lead,
        admin=cast.admin,
        patients=[cast.pat, cast.quinn],
        episodes={
            Stage.PREPARE: [prepare],
            Stage.RECOVER: [recover],
            Stage.COMPLETE: [complete],
            Stage.LEARN: [cast.quinn_episode],
        },
    )
    before = clock.now()
    demo.populate(ctx)
    assert abs((clock.now() - before).total_seconds()) < 60  # clock put back
    assert selectors.has_baseline(prepare) and selectors.has_baseline(recover)
    assert not Response.objects.filter(episode=cast.quinn_episode).exists()
    done = {v.timepoint.code: v.status for v in selectors.timepoints(complete)}
    assert done == {
        "baseline": "done",
        "week6": "done",
        "month3": "done",
        "month12": "upcoming",
        "month24": "upcoming",
    }
    odi = list(
        Response.objects.filter(episode=complete, instrument="odi")
        .order_by("authored_at")
        .values_list("score", flat=True)
    )
    assert odi == sorted(odi, reverse=True) and odi[0] > odi[-1]
    baseline = Response.objects.get(episode=recover, instrument="odi", timepoint__code="baseline")
    assert baseline.authored_at.date() == today - timedelta(days=43)
    assert Episode.objects.get(pk=recover.pk).stage == Stage.RECOVER
