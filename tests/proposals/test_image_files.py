"""Picture files: the old one goes when replaced or removed; orphans are swept after a day."""

import datetime
import os

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.errors import REFUSALS
from proposals.image_files import orphan_images_sweep
from proposals.services import proposals as proposal_services
from proposals.tasks import sweep_orphan_images
from tests.consultations.factories import make_consultation
from tests.proposals.test_services import BODY, _image_bytes, _submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path


def _upload(name="foto.png"):
    return SimpleUploadedFile(name, _image_bytes(size=(40, 30)), content_type="image/png")


def _files(media) -> set[str]:
    folder = media / "proposals"
    return set(os.listdir(folder)) if folder.exists() else set()


def _edit(proposal, user, **extra):
    proposal = proposal_services.proposal_edit(
        proposal=proposal, user=user, title=proposal.title, body=BODY, **extra
    )
    return proposal


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    """Submit, then let the cleaning task run (it is queued on commit)."""

    def _submit_and_clean(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            proposal = _submit(*args, **kwargs)
        proposal.refresh_from_db()
        return proposal

    return _submit_and_clean


def test_replaced_and_removed_pictures_leave_the_disk(
    plan, user, media, submit, django_capture_on_commit_callbacks
):
    consultation = make_consultation(phase="proposals")
    proposal = submit(consultation, user, image=_upload())
    first = os.path.basename(proposal.image.name)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = _edit(proposal, user, image=_upload("nuova.png"))
    proposal.refresh_from_db()
    second = os.path.basename(proposal.image.name)
    assert _files(media) == {second}
    assert second != first
    with django_capture_on_commit_callbacks(execute=True):
        proposal = _edit(proposal, user, remove_image=True)
    assert not proposal.image
    assert _files(media) == set()


def test_a_refused_edit_keeps_the_current_picture(
    plan, user, media, submit, django_capture_on_commit_callbacks
):
    consultation = make_consultation(phase="proposals")
    proposal = submit(consultation, user, image=_upload())
    kept = os.path.basename(proposal.image.name)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(REFUSALS):
        proposal_services.proposal_edit(
            proposal=proposal, user=user, title="x", body=BODY, remove_image=True
        )
    assert kept in _files(media)


def test_orphans_are_swept_after_a_day_and_used_files_stay(plan, user, media, submit):
    consultation = make_consultation(phase="proposals")
    proposal = submit(consultation, user, image=_upload())
    used = os.path.basename(proposal.image.name)
    (media / "proposals" / "orfana.jpg").write_bytes(b"left behind by a failed save")
    assert orphan_images_sweep() == 0  # too recent: its proposal may still be saving
    later = timezone.now() + datetime.timedelta(hours=25)
    with time_machine.travel(later, tick=False):
        assert sweep_orphan_images() == 1
        assert orphan_images_sweep() == 0
    assert _files(media) == {used}


def test_sweep_with_no_pictures_at_all(media):
    assert orphan_images_sweep() == 0
