"""Participant services: submit, edit, withdraw, amendments, votes in every mode, comments."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

import realtime.broadcast as realtime
from consultations.models import Category, Participation
from core.errors import REFUSALS
from proposals.models import BudgetBallot, Comment, CommentLike, OfflineTally, Visibility, Vote
from proposals.selectors import word_diff
from proposals.services import comments, votes
from proposals.services import proposals as proposal_services
from psm.models import ActionPage
from psm.page_cache import bump_after_commit
from tests.consultations.factories import make_consultation
from tests.proposals.factories import CommentFactory, ProposalFactory, on_ballot

pytestmark = pytest.mark.django_db

BODY = "Un testo abbastanza lungo per essere accettato come proposta."


def _submit(consultation, author, **extra):
    extra.setdefault("title", "Una proposta chiara")
    extra.setdefault("body", BODY)
    return proposal_services.proposal_submit(consultation=consultation, author=author, **extra)


def _image_bytes(fmt="JPEG", size=(2400, 1200), exif=True) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    out = io.BytesIO()
    if exif and fmt == "JPEG":
        data = Image.Exif()
        data[0x010F] = "FotocameraSegreta"  # Make
        data[0x8825] = {2: (45.0, 4.0, 0.0)}  # GPS info
        image.save(out, format=fmt, exif=data)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


# --------------------------------------------------------------------------- submit
def test_submit_publishes_and_snapshots(plan, user):
    consultation = make_consultation(phase="proposals")
    category = Category.objects.create(page=consultation, name="Scuola")
    proposal = _submit(consultation, user, category=category, latitude="45.07", longitude="7.68")
    assert proposal.visibility == Visibility.PUBLISHED
    assert proposal.published_at
    assert proposal.category == category
    assert proposal.latitude == Decimal("45.070000")
    assert Participation.objects.filter(consultation=consultation, user=user).count() == 1


def test_premoderation_makes_it_pending(plan, user):
    consultation = make_consultation(phase="proposals", premoderation=True)
    proposal = _submit(consultation, user)
    assert proposal.visibility == Visibility.PENDING
    assert proposal.published_at is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"title": "No"}, "Titolo: scrivi almeno 5 caratteri."),
        ({"body": "corto"}, "Testo: scrivi almeno 20 caratteri."),
        ({"title": "x" * 141}, "Titolo: al massimo 140 caratteri."),
        ({"latitude": "45.1"}, "servono sia la latitudine sia la longitudine"),
        ({"latitude": "41.9", "longitude": "12.5"}, "fuori dalla Città metropolitana"),
        ({"latitude": "abc", "longitude": "7"}, "non sono valide"),
        ({"latitude": "NaN", "longitude": "7"}, "non sono valide"),
        ({"latitude": "45", "longitude": "Infinity"}, "non sono valide"),
    ],
)
def test_submit_validation_explains(plan, user, extra, message):
    consultation = make_consultation(phase="proposals")
    with pytest.raises(REFUSALS) as refusal:
        _submit(consultation, user, **extra)
    assert message in str(refusal.value)
    assert not consultation.proposals.exists()
    assert not Participation.objects.filter(user=user).exists(), "nothing half-saved"


def test_category_of_another_consultation_refused(plan, user):
    consultation = make_consultation(phase="proposals")
    other = Category.objects.create(page=make_consultation(phase="proposals"), name="Altro")
    with pytest.raises(REFUSALS, match="non appartiene"):
        _submit(consultation, user, category=other)


def test_image_is_resized_and_stripped_of_exif(
    plan, user, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    consultation = make_consultation(phase="proposals")
    upload = SimpleUploadedFile("foto.png", _image_bytes(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):  # the cleaning task runs on commit
        proposal = _submit(consultation, user, image=upload)
    proposal.refresh_from_db()
    with Image.open(proposal.image.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 1600
        assert not stored.getexif()
    assert proposal.image.name.startswith("proposals/")
    assert "foto" not in proposal.image.name


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a not really an image", "non è un'immagine valida"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "non è un'immagine valida"),
        (b"%PDF-1.4 fake", "non è un'immagine valida"),
    ],
)
def test_image_type_checked_by_content(plan, user, content, message, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    consultation = make_consultation(phase="proposals")
    upload = SimpleUploadedFile("foto.jpg", content, content_type="image/jpeg")
    with pytest.raises(REFUSALS, match=message):
        _submit(consultation, user, image=upload)
    assert not consultation.proposals.exists()


def test_image_too_heavy_or_too_many_pixels(plan, user, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    consultation = make_consultation(phase="proposals")
    heavy = SimpleUploadedFile("big.jpg", b"\xff" * (5 * 1024 * 1024 + 1))
    with pytest.raises(REFUSALS, match="5 MB"):
        _submit(consultation, user, image=heavy)
    from proposals import images

    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 100)
    wide = SimpleUploadedFile("wide.png", _image_bytes("PNG", (200, 100), exif=False))
    with pytest.raises(REFUSALS, match="megapixel"):
        _submit(consultation, user, image=wide)


# --------------------------------------------------------------------------- edit / withdraw
def test_author_edits_until_voting_opens(plan, user):
    consultation = make_consultation(phase="proposals")
    proposal = _submit(consultation, user)
    proposal_services.proposal_edit(
        proposal=proposal, user=user, title="Titolo migliorato", body=BODY
    )
    proposal.refresh_from_db()
    assert proposal.title == "Titolo migliorato"
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=10)),
        pytest.raises(REFUSALS, match="il voto è già iniziato"),
    ):
        proposal_services.proposal_edit(
            proposal=proposal, user=user, title="Troppo tardi", body=BODY
        )


def test_only_the_author_edits(plan, user, other_user):
    proposal = _submit(make_consultation(phase="proposals"), user)
    with pytest.raises(REFUSALS, match="Solo chi ha scritto"):
        proposal_services.proposal_edit(
            proposal=proposal, user=other_user, title="Non mia", body=BODY
        )


def test_withdraw_any_time_and_then_no_supports(plan, user, other_user):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation, author=user)
    proposal_services.proposal_withdraw(proposal=proposal, user=user)
    proposal.refresh_from_db()
    assert proposal.visibility == Visibility.WITHDRAWN
    with pytest.raises(REFUSALS, match="ritirata"):
        votes.vote_cast(proposal=proposal, voter=other_user)
    with pytest.raises(REFUSALS, match="già stata ritirata"):
        proposal_services.proposal_withdraw(proposal=proposal, user=user)


# --------------------------------------------------------------------------- amendments
def test_amendment_and_word_diff(plan, user):
    consultation = make_consultation(phase="proposals")
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    new_text = action.official_text.replace("giovani", "giovani e giovanissimi", 1) + " Ogni anno."
    proposal = _submit(
        consultation, user, kind="amendment", amended_action=action, amended_text=new_text
    )
    assert proposal.is_amendment
    diff = word_diff(action.official_text, proposal.amended_text)
    assert "<ins>" in diff
    assert "Ogni anno." in diff


def test_amendment_must_change_a_linked_action(plan, user):
    consultation = make_consultation(phase="proposals")
    unrelated = ActionPage.objects.get(locale__language_code="it", code="5.1.1")
    with pytest.raises(REFUSALS, match="azioni del piano collegate"):
        _submit(
            consultation, user, kind="amendment", amended_action=unrelated, amended_text="x" * 30
        )
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    with pytest.raises(REFUSALS, match="uguale a quello ufficiale"):
        _submit(
            consultation,
            user,
            kind="amendment",
            amended_action=action,
            amended_text=action.official_text,
        )


def test_word_diff_escapes_html():
    diff = word_diff("testo <b>vecchio</b>", "testo <script>alert(1)</script>")
    assert "<script>" not in diff
    assert "&lt;script&gt;" in diff
    assert "<del>" in diff
    assert "<ins>" in diff


# --------------------------------------------------------------------------- votes
def test_support_once_with_friendly_message(plan, user, django_capture_on_commit_callbacks):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation)
    OfflineTally.objects.create(
        proposal=proposal, supports=4, meeting_date=timezone.localdate(), place="Ivrea"
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        total = votes.vote_cast(proposal=proposal, voter=user)
    assert total == 5
    assert callbacks, "a live update is queued for after the commit"
    with pytest.raises(REFUSALS, match="Hai già sostenuto"):
        votes.vote_cast(proposal=proposal, voter=user)
    assert Vote.objects.filter(proposal=proposal).count() == 1
    assert votes.vote_withdraw(proposal=proposal, voter=user) == 4
    with pytest.raises(REFUSALS, match="Non avevi sostenuto"):
        votes.vote_withdraw(proposal=proposal, voter=user)


def test_vote_broadcasts_totals(plan, user, monkeypatch, django_capture_on_commit_callbacks):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation)
    sent = []
    monkeypatch.setattr(realtime, "send_now", lambda *args: sent.append(args) or True)
    with django_capture_on_commit_callbacks(execute=True):
        votes.vote_cast(proposal=proposal, voter=user)
    assert sent == [
        (
            realtime.group_name("consultation", consultation.pk),
            "proposal.totals",
            {"proposal": proposal.pk, "supports": 1},
        )
    ]


def test_limited_mode_counts_remaining_supports(plan, user):
    consultation = make_consultation(phase="voting", vote_mode="limited", max_supports=2)
    first, second, third = (ProposalFactory(consultation=consultation) for _ in range(3))
    votes.vote_cast(proposal=first, voter=user)
    assert votes.supports_left(consultation=consultation, voter=user) == 1
    votes.vote_cast(proposal=second, voter=user)
    assert votes.supports_left(consultation=consultation, voter=user) == 0
    with pytest.raises(REFUSALS, match="tutti i 2 sostegni"):
        votes.vote_cast(proposal=third, voter=user)
    votes.vote_withdraw(proposal=first, voter=user)
    votes.vote_cast(proposal=third, voter=user)
    assert set(Vote.objects.filter(voter=user).values_list("proposal", flat=True)) == {
        second.pk,
        third.pk,
    }


def test_support_refused_in_budget_mode(plan, user):
    consultation = make_consultation(phase="voting", vote_mode="budget", total_budget=100)
    proposal = ProposalFactory(consultation=consultation, cost=10)
    with pytest.raises(REFUSALS, match="scheda di bilancio"):
        votes.vote_cast(proposal=proposal, voter=user)


def test_budget_ballot_replaced_atomically(plan, user):
    consultation = make_consultation(
        phase="voting", vote_mode="budget", total_budget=Decimal("100")
    )
    a = on_ballot(consultation=consultation, cost=Decimal("60"))
    b = on_ballot(consultation=consultation, cost=Decimal("40"))
    c = on_ballot(consultation=consultation, cost=Decimal("30"))
    ballot = votes.budget_ballot_submit(
        consultation=consultation, voter=user, proposal_ids=[a.pk, b.pk]
    )
    assert set(ballot.votes.values_list("proposal", flat=True)) == {a.pk, b.pk}
    # Over budget: refused, the previous ballot stays exactly as it was.
    with pytest.raises(REFUSALS, match="più del budget"):
        votes.budget_ballot_submit(
            consultation=consultation, voter=user, proposal_ids=[a.pk, b.pk, c.pk]
        )
    assert set(Vote.objects.filter(voter=user).values_list("proposal", flat=True)) == {a.pk, b.pk}
    votes.budget_ballot_submit(consultation=consultation, voter=user, proposal_ids=[c.pk, b.pk])
    assert set(Vote.objects.filter(voter=user).values_list("proposal", flat=True)) == {b.pk, c.pk}
    assert BudgetBallot.objects.filter(voter=user).count() == 1
    assert (
        votes.budget_ballot_submit(consultation=consultation, voter=user, proposal_ids=[]) is None
    )
    assert not Vote.objects.filter(voter=user).exists()


def test_budget_ballot_refusals(plan, user):
    consultation = make_consultation(
        phase="voting", vote_mode="budget", total_budget=Decimal("100")
    )
    unpriced = ProposalFactory(consultation=consultation, cost=None)
    hidden = ProposalFactory(consultation=consultation, cost=1, visibility=Visibility.HIDDEN)
    elsewhere = ProposalFactory(consultation=make_consultation(phase="voting"), cost=1)
    with pytest.raises(REFUSALS, match="non ha ancora la valutazione tecnica"):
        votes.budget_ballot_submit(
            consultation=consultation, voter=user, proposal_ids=[unpriced.pk]
        )
    for pk in (hidden.pk, elsewhere.pk, 999999):
        with pytest.raises(REFUSALS, match="non è più disponibile"):
            votes.budget_ballot_submit(consultation=consultation, voter=user, proposal_ids=[pk])
    with pytest.raises(REFUSALS, match="non è valida"):
        votes.budget_ballot_submit(consultation=consultation, voter=user, proposal_ids=["x"])
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=10)),
        pytest.raises(REFUSALS, match="La fase di voto si è chiusa"),
    ):
        votes.budget_ballot_submit(consultation=consultation, voter=user, proposal_ids=[])


# --------------------------------------------------------------------------- comments
def test_comments_two_levels(plan, user, other_user):
    proposal = ProposalFactory(consultation=make_consultation(phase="discussion"))
    top = comments.comment_post(proposal=proposal, author=user, body="Primo livello")
    reply = comments.comment_post(proposal=proposal, author=other_user, body="Risposta", parent=top)
    deeper = comments.comment_post(proposal=proposal, author=user, body="Ancora", parent=reply)
    assert reply.parent == top
    assert deeper.parent == top


def test_comment_edit_window_and_soft_delete(plan, user, other_user):
    proposal = ProposalFactory(consultation=make_consultation(phase="discussion"))
    comment = comments.comment_post(proposal=proposal, author=user, body="Prima versione")
    comments.comment_edit(comment=comment, user=user, body="Seconda versione")
    comment.refresh_from_db()
    assert comment.body == "Seconda versione"
    assert comment.edited_at
    with pytest.raises(REFUSALS, match="Solo chi ha scritto"):
        comments.comment_edit(comment=comment, user=other_user, body="Non mio")
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)),
        pytest.raises(REFUSALS, match="primi 15 minuti"),
    ):
        comments.comment_edit(comment=comment, user=user, body="Troppo tardi")
    comments.comment_delete(comment=comment, user=user)
    comment.refresh_from_db()
    assert comment.is_deleted
    assert comment.body == ""
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_comment_like_toggles(plan, user, other_user):
    proposal = ProposalFactory(consultation=make_consultation(phase="discussion"))
    comment = CommentFactory(proposal=proposal, author=user)
    assert comments.comment_like(comment=comment, user=other_user) == (True, 1)
    assert comments.comment_like(comment=comment, user=other_user) == (False, 0)
    with pytest.raises(REFUSALS, match="tuoi commenti"):
        comments.comment_like(comment=comment, user=user)
    assert not CommentLike.objects.exists()


def test_comment_rate_limit(plan, user):
    proposal = ProposalFactory(consultation=make_consultation(phase="discussion"))
    for n in range(comments.COMMENT_RATE):
        comments.comment_post(proposal=proposal, author=user, body=f"Commento {n}")
    with pytest.raises(REFUSALS, match="al massimo 5 commenti al minuto"):
        comments.comment_post(proposal=proposal, author=user, body="Uno di troppo")
    assert Comment.objects.filter(author=user).count() == 5
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        comments.comment_post(proposal=proposal, author=user, body="Dopo un minuto")


def test_comment_broadcast_and_reply_notification(
    plan, user, other_user, monkeypatch, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(consultation=make_consultation(phase="discussion"))
    sent = []
    monkeypatch.setattr(realtime, "send_now", lambda *args: sent.append(args) or True)
    with django_capture_on_commit_callbacks(execute=True):
        top = comments.comment_post(proposal=proposal, author=user, body="Domanda")
    assert sent == [
        (
            realtime.group_name("proposal", proposal.pk),
            "comment.created",
            {"proposal": proposal.pk, "comment": top.pk},
        )
    ]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comments.comment_post(proposal=proposal, author=other_user, body="Risposta", parent=top)
    # live update + reply notification task (+ the anonymous page cache's version bump)
    assert len([c for c in callbacks if c is not bump_after_commit]) == 2


def test_comment_refused_on_hidden_proposal(plan, user, other_user):
    proposal = ProposalFactory(
        consultation=make_consultation(phase="discussion"),
        visibility=Visibility.HIDDEN,
        author=other_user,
    )
    # Others cannot see a hidden proposal at all (proposals.visibility) ...
    with pytest.raises(REFUSALS, match="non trovato"):
        comments.comment_post(proposal=proposal, author=user, body="Commento")
    # ... its author sees it, and is told why nobody may comment it.
    with pytest.raises(REFUSALS, match="nascosta"):
        comments.comment_post(proposal=proposal, author=other_user, body="Commento")


def test_personal_data_export_and_anonymise(
    plan, user, other_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    from accounts.services import user_delete, user_export_data

    settings.MEDIA_ROOT = tmp_path
    consultation = make_consultation(phase="proposals+voting")
    upload = SimpleUploadedFile("foto.jpg", _image_bytes(size=(100, 100)))
    with django_capture_on_commit_callbacks(execute=True):
        proposal = _submit(consultation, user, image=upload, latitude="45.0", longitude="7.5")
    proposal.refresh_from_db()
    votes.vote_cast(proposal=proposal, voter=user)
    comment = comments.comment_post(proposal=proposal, author=other_user, body="Bella")
    comments.comment_like(comment=comment, user=user)
    data = user_export_data(user=user)
    assert data["proposals"]["proposals"][0]["title"] == proposal.title
    assert data["proposals"]["votes"][0]["proposal"] == proposal.pk
    assert [like["comment"] for like in data["proposals"]["comment_likes"]] == [comment.pk]
    assert data["consultations"]["participations"][0]["consultation"] == consultation.pk
    image_path = proposal.image.path
    user_delete(user=user)
    proposal.refresh_from_db()
    assert not proposal.image
    assert proposal.latitude is None
    assert not __import__("os").path.exists(image_path)
    # results not yet public: the support goes (a returning person may support again, once)
    assert not Vote.objects.filter(proposal=proposal).exists()
    assert Participation.objects.filter(consultation=consultation).count() == 2
    assert not CommentLike.objects.exists()


@pytest.mark.skipif(not __import__("os").environ.get("REDIS_URL"), reason="needs Redis")
def test_comment_rate_limit_on_redis(plan, user, settings):
    """The same limit with the shared cache of a multi-worker deployment (own key prefix)."""
    import os
    import uuid

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"proposals-test-{uuid.uuid4().hex}",
        }
    }
    proposal = ProposalFactory(consultation=make_consultation(phase="discussion"))
    for n in range(comments.COMMENT_RATE):
        comments.comment_post(proposal=proposal, author=user, body=f"Commento {n}")
    with pytest.raises(REFUSALS, match="al massimo 5 commenti al minuto"):
        comments.comment_post(proposal=proposal, author=user, body="Uno di troppo")
