"""A proposal's picture is cleaned by a Celery task, under a memory ceiling (issue 11).

The request only checks the header and keeps the upload in private storage; the task decodes
and re-encodes it in a child process with a memory limit, then gives the clean file to the
proposal (or to the edit waiting for a moderator). A refused picture leaves the proposal as it
was and tells its author why; a lost task is queued again; received files do not pile up.
"""

import datetime
import io
import os

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from notifications.models import Notification, NotificationKind
from proposals import image_cleaning, images
from proposals.image_cleaning import image_clean, images_stale, uploads_sweep
from proposals.models import ImageUpload, ImageUploadState, Proposal
from proposals.services import proposals as proposal_services
from proposals.services.versions import pending_version
from proposals.tasks import sweep_orphan_images
from tests.consultations.factories import make_consultation
from tests.proposals.factories import ImageUploadFactory, ProposalFactory
from tests.proposals.test_services import BODY, _image_bytes, _submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "public"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path


def _picture(name="foto.png", size=(300, 200)):
    return SimpleUploadedFile(name, _image_bytes("PNG", size, exif=False), "image/png")


def _received(media) -> list[str]:
    folder = media / "private" / "proposal-uploads"
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_the_request_keeps_the_upload_and_the_task_publishes_it(
    plan, user, media, django_capture_on_commit_callbacks
):
    consultation = make_consultation(phase="proposals")
    with django_capture_on_commit_callbacks() as queued:
        proposal = _submit(consultation, user, image=_picture())
    # in the request: nothing public yet, the upload kept where no URL reaches it
    assert not proposal.image
    upload = proposal.image_upload
    assert upload.state == ImageUploadState.PENDING
    assert upload.original.path.startswith(str(media / "private"))
    assert queued  # the task (and the list's cache version), queued on commit
    for callback in queued:
        callback()
    proposal.refresh_from_db()
    upload.refresh_from_db()
    assert proposal.image.name.startswith("proposals/")
    assert proposal.image_upload is None
    assert upload.state == ImageUploadState.READY
    assert upload.result == proposal.image.name
    with Image.open(proposal.image.path) as clean:
        assert clean.size == (300, 200)


def test_the_received_file_goes_once_the_picture_is_handled(
    plan, user, media, django_capture_on_commit_callbacks
):
    consultation = make_consultation(phase="proposals")
    with django_capture_on_commit_callbacks(execute=True):
        _submit(consultation, user, image=_picture())
    assert _received(media) == []


def test_a_picture_that_needs_too_much_memory_is_refused_and_the_author_told(
    plan, user, media, monkeypatch, django_capture_on_commit_callbacks
):
    consultation = make_consultation(phase="proposals")
    monkeypatch.setattr(images, "MEMORY_CEILING", 48 * 1024 * 1024)
    big = SimpleUploadedFile("grande.png", _rgba_png(4000, 3000), "image/png")
    with django_capture_on_commit_callbacks(execute=True):
        proposal = _submit(consultation, user, image=big)  # the header is fine: accepted
    proposal.refresh_from_db()
    assert not proposal.image
    assert proposal.image_upload is None
    upload = ImageUpload.objects.get(author=user)
    assert upload.state == ImageUploadState.REFUSED
    assert "memoria" in upload.reason
    notice = Notification.objects.get(user=user, kind=NotificationKind.IMAGE_REFUSED)
    assert proposal.title in notice.title
    assert "memoria" in notice.body
    assert notice.url == reverse("proposals:detail", kwargs={"pk": proposal.pk})
    # the proposal itself is saved and public: only the picture is missing
    assert Proposal.objects.filter(pk=proposal.pk).exists()


def _rgba_png(width, height) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def test_an_edit_keeps_the_current_picture_until_the_new_one_is_clean(
    plan, user, media, django_capture_on_commit_callbacks
):
    consultation = make_consultation(phase="proposals")
    with django_capture_on_commit_callbacks(execute=True):
        proposal = _submit(consultation, user, image=_picture())
    proposal.refresh_from_db()
    first = proposal.image.name
    with django_capture_on_commit_callbacks() as queued:
        proposal_services.proposal_edit(
            proposal=proposal, user=user, title=proposal.title, body=BODY, image=_picture("b.png")
        )
    proposal.refresh_from_db()
    assert proposal.image.name == first  # the public still sees the first picture
    assert proposal.image_upload is not None
    for callback in queued:
        callback()
    proposal.refresh_from_db()
    assert proposal.image.name not in ("", first)
    assert proposal.versions.last().image == proposal.image.name


def test_an_edit_waiting_for_a_moderator_gets_its_clean_picture(
    plan, media, django_capture_on_commit_callbacks
):
    consultation = make_consultation(phase="proposals", premoderation=True)
    proposal = ProposalFactory(consultation=consultation)
    with django_capture_on_commit_callbacks(execute=True):
        proposal_services.proposal_edit(
            proposal=proposal,
            user=proposal.author,
            title=proposal.title,
            body=BODY,
            image=_picture(),
        )
    proposal.refresh_from_db()
    waiting = pending_version(proposal)
    assert not proposal.image  # nothing public before the moderator decides
    assert waiting.image.startswith("proposals/")
    assert waiting.image_upload is None


def test_a_picture_nobody_waits_for_any_more_is_discarded(media):
    upload = ImageUploadFactory(original=ContentFile(_image_bytes("PNG", (10, 10)), name="x"))
    assert image_clean(upload.pk) == ImageUploadState.DISCARDED
    assert image_clean(upload.pk) == ""  # handled once: a retried task does nothing


def test_a_lost_file_is_refused_with_a_message(plan, media):
    proposal = ProposalFactory(consultation=make_consultation(phase="proposals"))
    upload = ImageUploadFactory(author=proposal.author)
    Proposal.objects.filter(pk=proposal.pk).update(image_upload=upload)
    upload.original.storage.delete(upload.original.name)
    assert image_clean(upload.pk) == ImageUploadState.REFUSED
    assert "non è più disponibile" in ImageUpload.objects.get(pk=upload.pk).reason


def test_a_lost_task_is_queued_again_by_the_nightly_sweep(
    plan, user, media, django_capture_on_commit_callbacks
):
    consultation = make_consultation(phase="proposals")
    with django_capture_on_commit_callbacks():  # the task is lost: never run
        proposal = _submit(consultation, user, image=_picture())
    assert images_stale() == []  # not yet: the worker may be on it
    with time_machine.travel(timezone.now() + image_cleaning.STALE_AFTER * 2, tick=False):
        assert images_stale() == [proposal.image_upload_id]
        sweep_orphan_images()
    proposal.refresh_from_db()
    assert proposal.image


def test_received_files_do_not_pile_up(plan, user, media, django_capture_on_commit_callbacks):
    consultation = make_consultation(phase="proposals")
    # a request that failed after the upload was stored leaves a file and no row
    (media / "private" / "proposal-uploads").mkdir(parents=True)
    (media / "private" / "proposal-uploads" / "orfana").write_bytes(b"left by a failed save")
    with django_capture_on_commit_callbacks(execute=True):
        _submit(consultation, user, image=_picture())
    assert uploads_sweep() == 0  # too recent: its request may still be saving
    later = timezone.now() + image_cleaning.KEEP_HANDLED + datetime.timedelta(days=1)
    with time_machine.travel(later, tick=False):
        assert uploads_sweep() == 1
    assert _received(media) == []
    assert not ImageUpload.objects.exists()  # handled pictures are forgotten after a month


def test_the_author_reads_that_the_picture_is_on_its_way(
    client, plan, user, media, django_capture_on_commit_callbacks
):
    consultation = make_consultation(phase="proposals")
    with django_capture_on_commit_callbacks():
        proposal = _submit(consultation, user, image=_picture())
    url = reverse("proposals:detail", kwargs={"pk": proposal.pk})
    assert "Stiamo preparando la nuova immagine" not in client.get(url).content.decode()
    client.force_login(user)
    assert "Stiamo preparando la nuova immagine" in client.get(url).content.decode()


def test_deleting_the_account_takes_a_pending_picture_with_it(
    plan, user, media, django_capture_on_commit_callbacks
):
    from accounts.services import user_delete, user_export_data

    consultation = make_consultation(phase="proposals")
    with django_capture_on_commit_callbacks():
        proposal = _submit(consultation, user, image=_picture())
    exported = user_export_data(user=user)["proposals"]["image_uploads"]
    assert [row["state"] for row in exported] == [ImageUploadState.PENDING]
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=user)
    assert not ImageUpload.objects.exists()
    assert _received(media) == []
    proposal.refresh_from_db()
    assert proposal.image_upload is None
