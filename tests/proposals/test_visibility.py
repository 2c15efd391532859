"""The one visibility rule (proposals.visibility on consultations.visibility), door by door.

The drill (tests/drills/test_visibility.py) tries every URL; these tests pin the rule's
pieces: the queryset and the object check agree, services refuse what a view forgot,
notifications stay quiet, the API forgets expired consultations.
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from consultations.models import ConsultationPage
from notifications.models import Notification
from proposals.models import Comment, Proposal, Visibility, Vote
from proposals.services import comments, votes
from proposals.tasks import notify_comment_reply
from proposals.visibility import Sight, comment_visible, proposal_sight, proposal_visible
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory
from tests.proposals.factories import CommentFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def restrict(page, kind: str, group: Group | None = None) -> PageViewRestriction:
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="parola" if kind == "password" else ""
    )
    if group is not None:
        restriction.groups.add(group)
    return restriction


def test_group_restriction_hides_proposal_and_comments_from_others(plan, client, user):
    consultation = make_consultation(phase="discussion")
    group = Group.objects.create(name="Classe 3B")
    restrict(consultation, "groups", group)
    proposal = ProposalFactory(consultation=consultation, title="Proposta della 3B")
    CommentFactory(proposal=proposal, body="Commento della 3B")
    url = reverse("proposals:detail", kwargs={"pk": proposal.pk})
    assert client.get(url).status_code == 404
    client.force_login(user)
    assert client.get(url).status_code == 404
    response = client.post(reverse("proposals:comment", kwargs={"pk": proposal.pk}), {"body": "X"})
    assert response.status_code == 404
    assert Comment.objects.filter(proposal=proposal).count() == 1
    user.groups.add(group)
    page = client.get(url).content.decode()
    assert "Proposta della 3B" in page
    assert "Commento della 3B" in page


def test_restriction_on_an_ancestor_is_inherited(plan, client):
    parent = make_consultation(phase="proposals")
    consultation = make_consultation(phase="proposals", parent=parent)
    restrict(parent, "login")
    proposal = ProposalFactory(consultation=consultation)
    assert client.get(reverse("proposals:detail", kwargs={"pk": proposal.pk})).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("proposals:detail", kwargs={"pk": proposal.pk})).status_code == 200


@pytest.mark.parametrize("state", ["unpublished", "expired"])
def test_services_refuse_out_of_sight_even_when_a_view_forgot(plan, user, state):
    consultation = make_consultation(phase="proposals+voting")
    proposal = ProposalFactory(consultation=consultation)
    comment = CommentFactory(proposal=proposal)
    if state == "unpublished":
        consultation.unpublish()
    else:
        ConsultationPage.objects.filter(pk=consultation.pk).update(
            expire_at=timezone.now() - datetime.timedelta(minutes=1)
        )
    with pytest.raises(PermissionDenied):
        votes.vote_cast(proposal=proposal, voter=user)
    with pytest.raises(PermissionDenied):
        comments.comment_post(proposal=proposal, author=user, body="Ancora aperta?")
    with pytest.raises(PermissionDenied):
        comments.comment_like(comment=comment, user=user)
    assert not Vote.objects.exists()
    assert Comment.objects.count() == 1


def test_password_restriction_needs_the_session_pass(plan, rf, user):
    consultation = make_consultation(phase="proposals+voting")
    restriction = restrict(consultation, "password")
    proposal = ProposalFactory(consultation=consultation)
    request = rf.get("/")
    request.user = user
    request.session = {}
    assert not proposal_visible(request, proposal)
    assert not proposal_visible(user, proposal)  # a bare user (services, e-mail): no pass
    request.session = {restriction.passed_view_restrictions_session_key: [restriction.pk]}
    assert proposal_visible(request, proposal)
    votes.vote_cast(proposal=proposal, voter=user, viewer=request)
    with pytest.raises(PermissionDenied):
        votes.vote_withdraw(proposal=proposal, voter=user)  # no viewer: no pass


def test_report_page_of_pending_or_hidden_proposal_is_not_found_for_others(plan, client, user):
    consultation = make_consultation(phase="discussion")
    for visibility in (Visibility.PENDING, Visibility.HIDDEN):
        proposal = ProposalFactory(consultation=consultation, visibility=visibility)
        client.force_login(user)
        url = reverse("proposals:report", kwargs={"kind": "proposta", "pk": proposal.pk})
        response = client.get(url)
        assert response.status_code == 404
        assert proposal.title not in response.content.decode()
        client.force_login(proposal.author)
        assert client.get(url).status_code == 200


def test_hidden_proposal_page_keeps_its_answer_to_itself(plan, client):
    proposal = ProposalFactory(
        consultation=make_consultation(phase="discussion"),
        visibility=Visibility.HIDDEN,
        answer="Risposta che non si vede",
    )
    page = client.get(reverse("proposals:detail", kwargs={"pk": proposal.pk}))
    assert page.status_code == 200  # a placeholder naming the reason
    assert "Risposta che non si vede" not in page.content.decode()
    assert proposal_sight(None, proposal) == Sight.PLACEHOLDER


def test_queryset_and_object_check_agree(plan, django_assert_max_num_queries):
    """``Proposal.objects.visible_to`` and ``proposal_visible`` are one rule."""
    author = UserFactory()
    open_one = make_consultation(phase="discussion")
    login_only = make_consultation(phase="discussion")
    restrict(login_only, "login")
    gone = make_consultation(phase="discussion")
    gone.unpublish()
    moderator = make_facilitator(gone)
    proposals = [
        ProposalFactory(consultation=c, author=author, visibility=v)
        for c, v in itertools.product((open_one, login_only, gone), Visibility.values)
    ]
    for who in (None, author, UserFactory(), moderator):
        with django_assert_max_num_queries(12):  # a facilitator: one check per consultation
            listed = set(Proposal.objects.visible_to(who).values_list("pk", flat=True))
        expected = {p.pk for p in proposals if proposal_visible(who, p)}
        assert listed == expected, who


def test_reply_notification_skipped_once_out_of_sight(plan, user, other_user):
    consultation = make_consultation(phase="discussion")
    proposal = ProposalFactory(consultation=consultation)
    parent = CommentFactory(proposal=proposal, author=user)
    reply = CommentFactory(proposal=proposal, author=other_user, parent=parent)
    restrict(consultation, "groups", Group.objects.create(name="Solo redazione"))
    assert notify_comment_reply(reply.pk) is False
    assert not Notification.objects.filter(user=user).exists()
    assert not comment_visible(user, reply)


def test_api_forgets_expired_consultations(plan, client):
    consultation = make_consultation(phase="discussion")
    proposal = ProposalFactory(consultation=consultation, title="Proposta scaduta")
    ConsultationPage.objects.filter(pk=consultation.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert client.get(reverse("api:proposal-detail", kwargs={"pk": proposal.pk})).status_code == 404
    listed = client.get(reverse("api:proposal-list"), {"consultation": consultation.pk})
    assert "Proposta scaduta" not in listed.content.decode()


@pytest.mark.parametrize("raw", ["²", "٣", "1" * 25])
def test_unicode_and_overflowing_ids_in_the_api_are_refused_clearly(plan, client, raw):
    response = client.get(reverse("api:proposal-list"), {"consultation": raw})
    assert response.status_code == 400


def test_consultation_listings_leave_out_expired_and_restricted_ones(plan):
    from consultations.selectors import consultations_with_phases

    expired = make_consultation(phase="discussion")
    ConsultationPage.objects.filter(pk=expired.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    restricted = make_consultation(phase="discussion")
    restrict(restricted, "login")
    shown = make_consultation(phase="discussion")
    listed = set(consultations_with_phases().values_list("pk", flat=True))
    assert shown.pk in listed
    assert expired.pk not in listed
    assert restricted.pk not in listed
