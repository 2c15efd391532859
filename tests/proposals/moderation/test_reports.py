"""Which reports count, and what reaching the threshold does (issue 11, finding 7).

Only reports of people who may take part in the consultation, with a verified account at
least a week old, count; reaching the threshold flags the content for a priority review in
the moderation queue and never hides it by itself.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import ParticipantBlock
from consultations.services import participation_record
from proposals.models import (
    CommentVisibility,
    ModerationAction,
    ModerationVerb,
    Report,
    Visibility,
)
from proposals.moderation import selectors as moderation_selectors
from proposals.moderation import services as moderation
from proposals.services import reports
from tests.factories import UserFactory, years_ago
from tests.proposals.factories import CommentFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def established(n: int) -> list:
    return [UserFactory(established=True) for _ in range(n)]


def flags(proposal=None, comment=None) -> int:
    return ModerationAction.objects.filter(
        action=ModerationVerb.FLAG, proposal=proposal, comment=comment
    ).count()


def test_distinct_established_reporters_flag_for_review_and_nothing_is_hidden(
    consultation, proposal
):
    first, second, third = established(3)
    reports.report_create(reporter=first, reason="offensive", proposal=proposal)
    # The same person reporting twice counts once.
    reports.report_create(reporter=first, reason="spam", proposal=proposal)
    reports.report_create(reporter=second, reason="offensive", proposal=proposal)
    assert flags(proposal) == 0

    reports.report_create(reporter=third, reason="offensive", proposal=proposal)
    reports.report_create(reporter=UserFactory(established=True), reason="spam", proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.visibility == Visibility.PUBLISHED
    assert proposal.hidden_reason == ""
    action = ModerationAction.objects.get(proposal=proposal)  # flagged once, not again
    assert action.action == ModerationVerb.FLAG
    assert action.actor is None
    assert Report.objects.filter(proposal=proposal, resolved_at__isnull=True).count() == 4


def test_a_reported_comment_is_flagged_not_hidden(consultation, proposal):
    comment = CommentFactory(proposal=proposal)
    for reporter in established(3):
        reports.report_create(reporter=reporter, reason="spam", comment=comment)
    comment.refresh_from_db()
    assert comment.visibility == CommentVisibility.PUBLISHED
    assert flags(comment=comment) == 1


def test_suspended_reporters_do_not_count(consultation, facilitator, proposal):
    reporters = established(3)
    for reporter in reporters:
        participation_record(consultation=consultation, user=reporter)  # only those who took part
        moderation.participant_block(
            actor=facilitator, consultation=consultation, user=reporter, reason="Abusi"
        )
        report = reports.report_create(reporter=reporter, reason="offensive", proposal=proposal)
        assert report.counts is False
    proposal.refresh_from_db()
    assert proposal.visibility == Visibility.PUBLISHED
    assert flags(proposal) == 0


def test_new_accounts_do_not_count(consultation, proposal):
    for _ in range(3):
        report = reports.report_create(
            reporter=UserFactory(), reason="offensive", proposal=proposal
        )
        assert report.counts is False
    assert flags(proposal) == 0


def test_unverified_accounts_do_not_count(consultation, proposal):
    for _ in range(3):
        reporter = UserFactory(established=True, verified=False)
        report = reports.report_create(reporter=reporter, reason="spam", proposal=proposal)
        assert report.counts is False
    assert flags(proposal) == 0


def test_ineligible_and_inactive_accounts_do_not_count(consultation, proposal):
    too_old = UserFactory(established=True, birth_date=years_ago(60))
    inactive = UserFactory(established=True, is_active=False)
    for reporter in (too_old, inactive):
        report = reports.report_create(reporter=reporter, reason="spam", proposal=proposal)
        assert report.counts is False


def test_the_account_age_boundary(consultation, proposal):
    now = timezone.now()
    young = UserFactory(date_joined=now - reports.REPORTER_MIN_ACCOUNT_AGE + datetime.timedelta(1))
    old = UserFactory(date_joined=now - reports.REPORTER_MIN_ACCOUNT_AGE)
    assert reports.report_counts(young, consultation, now=now) is False
    assert reports.report_counts(old, consultation, now=now) is True


def test_a_reporter_suspended_later_stops_counting_in_the_queue(
    consultation, facilitator, proposal
):
    reporters = established(3)
    for reporter in reporters:
        reports.report_create(reporter=reporter, reason="spam", proposal=proposal)
    queue = moderation_selectors.moderation_queue(consultation=consultation)
    assert all(report.priority for report in queue["pending_reports"])
    reporters[0].is_active = False
    reporters[0].save(update_fields=["is_active"])
    queue = moderation_selectors.moderation_queue(consultation=consultation)
    assert not any(report.priority for report in queue["pending_reports"])


def test_priority_reports_come_first_in_the_queue(client, consultation, facilitator):
    quiet = ProposalFactory(consultation=consultation, title="Segnalata una volta")
    loud = ProposalFactory(consultation=consultation, title="Segnalata da tre persone")
    reports.report_create(reporter=UserFactory(), reason="spam", proposal=quiet)
    for reporter in established(3):
        reports.report_create(reporter=reporter, reason="offensive", proposal=loud)
    queue = moderation_selectors.moderation_queue(consultation=consultation)
    assert [r.proposal for r in queue["pending_reports"]][:3] == [loud] * 3
    assert queue["pending_reports"][-1].priority is False
    client.force_login(facilitator)
    page = client.get(reverse("moderation:queue", kwargs={"consultation_id": consultation.pk}))
    html = page.content.decode()
    assert "Verifica prioritaria" in html
    assert html.index(loud.title) < html.index(quiet.title)


def test_hiding_stays_the_moderators_decision_and_closes_the_flag(
    consultation, facilitator, proposal
):
    for reporter in established(3):
        reports.report_create(reporter=reporter, reason="offensive", proposal=proposal)
    moderation.content_hide(actor=facilitator, proposal=proposal, reason="Linguaggio offensivo")
    proposal.refresh_from_db()
    assert proposal.visibility == Visibility.HIDDEN
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert moderation_selectors.moderation_queue(consultation=consultation)["pending_reports"] == []
    # Reversible: restoring publishes it again.
    moderation.content_restore(actor=facilitator, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.visibility == Visibility.PUBLISHED


def test_blocked_reporter_row_is_kept_for_the_moderator(consultation, facilitator, proposal):
    """A suspended person's report still reaches the queue (it may be about their own
    data), it just doesn't count."""
    reporter = UserFactory(established=True)
    ParticipantBlock.objects.create(
        consultation=consultation, user=reporter, reason="x", blocked_by=facilitator
    )
    reports.report_create(reporter=reporter, reason="personal_data", proposal=proposal)
    queue = moderation_selectors.moderation_queue(consultation=consultation)
    assert [r.reporter for r in queue["pending_reports"]] == [reporter]
