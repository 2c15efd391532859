"""Edits and versions (issue 11, finding 3): every edit keeps a version; in a premoderated
consultation an edit of a published proposal waits for a moderator while the public keeps
seeing the approved text; moderators compare versions word by word."""

import datetime
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.personal_data import personal_data_erase, personal_data_export
from proposals.image_files import orphan_images_sweep
from proposals.models import (
    CommentVersion,
    ModerationAction,
    ModerationVerb,
    ProposalVersion,
    VersionState,
    Visibility,
)
from proposals.moderation import edits as moderation_edits
from proposals.moderation import selectors as moderation_selectors
from proposals.services import comments
from proposals.services import proposals as proposal_services
from proposals.services.versions import pending_version
from tests.consultations.factories import make_consultation, make_facilitator
from tests.proposals.factories import CommentFactory, ProposalFactory, ProposalVersionFactory
from tests.proposals.test_services import BODY, _image_bytes

pytestmark = pytest.mark.django_db

ORIGINAL = "Un testo originale abbastanza lungo, approvato da chi modera."
EDITED = "Un testo modificato abbastanza lungo, che nessuno ha ancora verificato."


@pytest.fixture
def premoderated(plan):
    return make_consultation(phase="proposals", premoderation=True)


@pytest.fixture
def open_consultation(plan):
    return make_consultation(phase="proposals")


@pytest.fixture
def approved(premoderated):
    return ProposalFactory(consultation=premoderated, title="Titolo approvato", body=ORIGINAL)


def edit(proposal, *, title=None, body=EDITED, user=None, **extra):
    return proposal_services.proposal_edit(
        proposal=proposal,
        user=user or proposal.author,
        title=title or proposal.title,
        body=body,
        **extra,
    )


def test_an_edit_keeps_the_original_and_the_new_version(open_consultation):
    proposal = ProposalFactory(consultation=open_consultation, body=ORIGINAL)
    edit(proposal, title="Titolo nuovo")
    proposal.refresh_from_db()
    assert (proposal.title, proposal.body) == ("Titolo nuovo", EDITED)
    versions = list(proposal.versions.all())
    assert [(v.body, v.state) for v in versions] == [
        (ORIGINAL, VersionState.APPLIED),
        (EDITED, VersionState.APPLIED),
    ]
    assert all(v.editor == proposal.author for v in versions)
    edit(proposal, body=BODY)
    assert proposal.versions.count() == 3


def test_an_edit_that_changes_nothing_keeps_no_version(open_consultation):
    proposal = ProposalFactory(consultation=open_consultation, body=ORIGINAL)
    edit(proposal, body=ORIGINAL)
    assert not proposal.versions.exists()


def test_premoderated_edit_waits_and_the_public_sees_the_approved_text(client, approved):
    edit(approved, title="Titolo cambiato")
    approved.refresh_from_db()
    assert (approved.title, approved.body) == ("Titolo approvato", ORIGINAL)
    assert approved.visibility == Visibility.PUBLISHED
    waiting = pending_version(approved)
    assert (waiting.title, waiting.body) == ("Titolo cambiato", EDITED)
    page = client.get(approved.get_absolute_url()).content.decode()
    assert ORIGINAL in page
    assert EDITED not in page
    assert "Titolo cambiato" not in page


def test_the_moderator_approves_and_the_edit_becomes_public(client, approved):
    facilitator = make_facilitator(approved.consultation)
    edit(approved)
    action = moderation_edits.proposal_edit_approve(
        actor=facilitator, version=pending_version(approved)
    )
    approved.refresh_from_db()
    assert approved.body == EDITED
    assert action.action == ModerationVerb.EDIT_APPROVE
    version = approved.versions.last()
    assert (version.state, version.reviewed_by) == (VersionState.APPLIED, facilitator)
    assert EDITED in client.get(approved.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError):  # already decided
        moderation_edits.proposal_edit_approve(actor=facilitator, version=version)


def test_the_moderator_refuses_with_a_reason_and_the_approved_text_stays(approved):
    facilitator = make_facilitator(approved.consultation)
    edit(approved)
    waiting = pending_version(approved)
    with pytest.raises(ValidationError):
        moderation_edits.proposal_edit_reject(actor=facilitator, version=waiting, reason=" ")
    moderation_edits.proposal_edit_reject(
        actor=facilitator, version=waiting, reason="Dati personali"
    )
    approved.refresh_from_db()
    waiting.refresh_from_db()
    assert approved.body == ORIGINAL
    assert waiting.state == VersionState.REJECTED
    assert ModerationAction.objects.get(action=ModerationVerb.EDIT_REJECT).public_reason == (
        "Dati personali"
    )


def test_only_a_moderator_of_the_consultation_decides(approved, open_consultation):
    edit(approved)
    other = make_facilitator(open_consultation)
    with pytest.raises(PermissionDenied):
        moderation_edits.proposal_edit_approve(actor=other, version=pending_version(approved))
    with pytest.raises(PermissionDenied):
        moderation_edits.proposal_edit_approve(
            actor=approved.author, version=pending_version(approved)
        )
    approved.refresh_from_db()
    assert approved.body == ORIGINAL


def test_a_second_edit_replaces_the_one_waiting(approved):
    edit(approved, body=EDITED)
    edit(approved, body=BODY)
    states = list(approved.versions.values_list("body", "state"))
    assert states == [
        (ORIGINAL, VersionState.APPLIED),
        (EDITED, VersionState.SUPERSEDED),
        (BODY, VersionState.PENDING),
    ]
    approved.refresh_from_db()
    assert approved.body == ORIGINAL


def test_a_proposal_still_waiting_is_edited_in_place(premoderated):
    pending = ProposalFactory(
        consultation=premoderated, visibility=Visibility.PENDING, published_at=None, body=ORIGINAL
    )
    edit(pending)
    pending.refresh_from_db()
    assert pending.body == EDITED
    assert pending.visibility == Visibility.PENDING
    assert pending_version(pending) is None
    assert pending.versions.count() == 2


def test_the_edit_form_goes_on_from_the_waiting_edit(client, approved):
    edit(approved, title="Titolo cambiato")
    client.force_login(approved.author)
    form = client.get(reverse("proposals:edit", args=[approved.pk])).content.decode()
    assert "Titolo cambiato" in form
    response = client.post(
        reverse("proposals:edit", args=[approved.pk]),
        {"title": "Titolo cambiato ancora", "body": EDITED},
        follow=True,
    )
    assert "saranno pubblicate dopo la verifica" in response.content.decode()
    assert pending_version(approved).title == "Titolo cambiato ancora"


def test_a_new_picture_waits_with_its_edit(
    settings, tmp_path, approved, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("foto.png", _image_bytes(size=(40, 30)), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        edit(approved, body=ORIGINAL, image=upload)
    approved.refresh_from_db()
    assert not approved.image
    waiting = pending_version(approved)
    assert waiting.image
    assert os.path.exists(tmp_path / waiting.image)
    # Not an orphan: the sweep keeps it however old it is.
    assert orphan_images_sweep(grace=datetime.timedelta(0)) == 0
    moderation_edits.proposal_edit_approve(
        actor=make_facilitator(approved.consultation), version=waiting
    )
    approved.refresh_from_db()
    assert approved.image.name == waiting.image


# --------------------------------------------------------------------------- comments
def test_a_comment_edit_keeps_versions_and_deletion_drops_them(open_consultation):
    proposal = ProposalFactory(consultation=open_consultation)
    comment = CommentFactory(proposal=proposal, body="Prima versione")
    comments.comment_edit(comment=comment, user=comment.author, body="Seconda versione")
    assert list(comment.versions.values_list("body", flat=True)) == [
        "Prima versione",
        "Seconda versione",
    ]
    comments.comment_delete(comment=comment, user=comment.author)
    assert not CommentVersion.objects.filter(comment=comment).exists()


# --------------------------------------------------------------------------- views
def versions_url(proposal) -> str:
    return reverse(
        "moderation:versions",
        kwargs={"consultation_id": proposal.consultation_id, "proposal_id": proposal.pk},
    )


def test_moderator_compares_versions_word_by_word(client, approved):
    facilitator = make_facilitator(approved.consultation)
    edit(approved)
    client.force_login(facilitator)
    queue = client.get(
        reverse("moderation:queue", kwargs={"consultation_id": approved.consultation_id})
    ).content.decode()
    assert versions_url(approved) in queue
    page = client.get(versions_url(approved))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<del>originale</del>" in html
    assert "<ins>modificato</ins>" in html
    assert "Approva la modifica" in html


def test_moderator_approves_through_the_page(client, approved):
    edit(approved)
    client.force_login(make_facilitator(approved.consultation))
    response = client.post(
        versions_url(approved), {"op": "approve", "version": pending_version(approved).pk}
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.body == EDITED


def test_compare_any_two_versions_and_bad_ids_fall_back(client, open_consultation):
    proposal = ProposalFactory(consultation=open_consultation, body=ORIGINAL)
    edit(proposal, body=EDITED)
    edit(proposal, body=BODY)
    first, _second, third = proposal.versions.all()
    client.force_login(make_facilitator(open_consultation))
    html = client.get(versions_url(proposal), {"da": first.pk, "a": third.pk}).content.decode()
    assert "<del>" in html
    for bad in (
        "²",
        "x",
        "99999999999999999999999",
        str(ProposalVersionFactory(proposal=ProposalFactory(consultation=open_consultation)).pk),
    ):
        assert client.get(versions_url(proposal), {"da": bad, "a": bad}).status_code == 200
        response = client.post(versions_url(proposal), {"op": "approve", "version": bad})
        assert response.status_code == 404
    assert not ProposalVersion.objects.filter(state=VersionState.PENDING).exists()


@pytest.mark.parametrize("who", ["anonymous", "author", "other_facilitator"])
def test_others_cannot_open_the_versions(client, approved, open_consultation, who):
    edit(approved)
    if who == "author":
        client.force_login(approved.author)
    elif who == "other_facilitator":
        client.force_login(make_facilitator(open_consultation))
    response = client.get(versions_url(approved))
    assert response.status_code in (302, 403)
    response = client.post(
        versions_url(approved), {"op": "approve", "version": pending_version(approved).pk}
    )
    assert response.status_code in (302, 403)
    approved.refresh_from_db()
    assert approved.body == ORIGINAL


# --------------------------------------------------------------------------- personal data
def test_versions_are_exported_and_lose_place_and_picture_on_erasure(open_consultation):
    proposal = ProposalFactory(consultation=open_consultation, body=ORIGINAL)
    edit(proposal, latitude="45.07", longitude="7.68")
    exported = personal_data_export(user=proposal.author)
    assert [v["body"] for v in exported["proposals"]["proposal_versions"]] == [ORIGINAL, EDITED]
    personal_data_erase(user=proposal.author)
    assert not proposal.versions.filter(latitude__isnull=False).exists()


def test_a_withdrawn_proposal_leaves_the_edits_queue(approved):
    edit(approved)
    queue = moderation_selectors.moderation_queue(consultation=approved.consultation)
    assert [v.proposal for v in queue["pending_edits"]] == [approved]
    proposal_services.proposal_withdraw(proposal=approved, user=approved.author)
    queue = moderation_selectors.moderation_queue(consultation=approved.consultation)
    assert queue["pending_edits"] == []
