"""Templates checked by `endospine checklists`, and a broken file at run time."""

import pytest
from django.core.management import CommandError, call_command

from endospine.journey.models import Stage
from endospine.journey.services import change_stage
from endospine.prepare.models import Checklist
from endospine.prepare.services import operate_gate


def test_the_command_lists_each_sites_template(capsys):
    call_command("checklists")
    out = capsys.readouterr().out
    assert "default v2: 16 items" in out and "south v2" in out
    assert "medication_review" in out


@pytest.fixture
def broken_content(settings, tmp_path):
    (tmp_path / "checklists").mkdir()
    (tmp_path / "checklists" / "default.yaml").write_text(
        "site: default\nversion: 1\nitems:\n  - {code: consent, title: Consent,"
        " patient_text: Sign it, owner: nurse, due_days: -1, required: true}\n"
    )
    settings.CONTENT_DIR = tmp_path
    return tmp_path


def test_the_command_names_every_problem(broken_content):
    with pytest.raises(CommandError) as error:
        call_command("checklists")
    assert "default.yaml.items[0].owner: must be one of patient, staff, got 'nurse'" in str(
        error.value
    )


@pytest.mark.django_db
def test_a_broken_template_does_not_stop_the_move_and_the_gate_still_blocks(cast, broken_content):
    episode = change_stage(episode=cast.episode, to_stage=Stage.PREPARE, actor=cast.surgeon)
    assert episode.stage == Stage.PREPARE
    assert not Checklist.objects.filter(episode=episode).exists()
    assert operate_gate(episode) == ["the preparation checklist has not been generated"]
