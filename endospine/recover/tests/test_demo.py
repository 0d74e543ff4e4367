"""The demo gives recovering patients check-ins and leaves one urgent alert open."""

import pytest

from endospine.journey import demo
from endospine.journey.models import Stage
from endospine.recover.models import Alert, Checkin


@pytest.mark.django_db
def test_demo_has_checkins_an_open_alert_and_completed_recoveries() -> None:
    ctx = demo.build()
    recovering = ctx.episodes.get(Stage.RECOVER, [])
    assert recovering, "the demo has episodes in recovery"
    assert Checkin.objects.filter(episode__in=recovering, level="routine").exists()
    assert Alert.objects.filter(
        episode=recovering[0], severity="urgent", acknowledged_at__isnull=True
    ).exists()
    for episode in ctx.episodes.get(Stage.COMPLETE, []):
        episode.refresh_from_db()
        assert episode.stage == Stage.COMPLETE
