"""The staff area: one section per role, refused to participants, constant queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from consultations.services import facilitation_grant
from leadership.models import Application, Review
from leadership.models import ApplicationStatus as S
from psm.models import ActionPage
from tests.consultations.factories import make_consultation, make_editor, make_facilitator
from tests.factories import UserFactory
from tests.leadership import factories as leadership_factories
from tests.proposals.factories import ProposalFactory, report
from workshops.models import LiveSession

URL = reverse("staffhome:home")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_participant_is_refused_and_sees_no_link(client, plan):
    participant = UserFactory()
    client.force_login(participant)
    assert client.get(URL).status_code == 403
    assert URL not in client.get("/").content.decode()


def test_facilitator_sees_what_needs_doing(client, plan):
    consultation = make_consultation(phase="proposals", answer_deadline_days=10)
    other = make_consultation(phase="proposals", title="Consultazione di altre persone")
    facilitator = make_facilitator(consultation)
    reported = ProposalFactory(consultation=consultation)
    report(proposal=reported)
    ProposalFactory(consultation=consultation, visibility="pending", published_at=None)
    ProposalFactory(
        consultation=consultation, published_at=timezone.now() - datetime.timedelta(days=30)
    )
    ProposalFactory(consultation=other)
    LiveSession.objects.create(
        page=consultation, title="Laboratorio in biblioteca", facilitator=facilitator, code="ABC123"
    )
    client.force_login(facilitator)
    home = client.get("/").content.decode()
    assert URL in home  # the header links to the area

    response = client.get(URL)
    assert response.status_code == 200
    [desk] = response.context["facilitation"]["desks"]
    assert desk.consultation == consultation
    # nothing overdue yet: answers are due 10 days after the end of participation, not of
    # publication (the public rules), and the proposal phase still runs
    assert (desk.reports, desk.pending, desk.awaiting_answer, desk.overdue) == (1, 1, 2, 0)
    assert [phase.kind for phase in desk.upcoming_phases] == ["voting"]
    page = response.content.decode()
    assert other.title not in page
    assert reverse("moderation:queue", args=[consultation.pk]) in page
    assert reverse("moderation:index") in page
    assert reverse("consultations:results", args=[consultation.pk]) in page
    assert "Laboratorio in biblioteca" in page
    assert response.context["facilitation"]["actions"] == []
    assert "reviews" not in response.context
    assert "calls" not in response.context


def test_reviewer_sees_assignments(client, plan):
    call = leadership_factories.make_call()
    reviewer = leadership_factories.reviewer()
    applications = [leadership_factories.submitted_application(call) for _ in range(2)]
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(status=S.UNDER_REVIEW)
    Review.objects.create(application=applications[0], reviewer=reviewer)
    Review.objects.create(
        application=applications[1], reviewer=reviewer, submitted_at=timezone.now()
    )
    client.force_login(reviewer)
    response = client.get(URL)
    assert response.status_code == 200
    [desk] = response.context["reviews"]
    assert desk.call == call
    assert [review.application_id for review in desk.to_do] == [applications[0].pk]
    assert desk.done == 1
    assert "facilitation" not in response.context
    page = response.content.decode()
    assert reverse("leadership:review_detail", args=[desk.to_do[0].pk]) in page


def test_coordinator_sees_calls(client, plan):
    call = leadership_factories.make_call()
    leadership_factories.submitted_application(call)
    coordinator = leadership_factories.coordinator()
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    [desk] = response.context["calls"]
    assert (desk.call, desk.received, desk.to_assign) == (call, 1, 1)
    assert reverse("leadership:dashboard", args=[call.pk]) in response.content.decode()


def test_editor_sees_the_editing_links(client, plan):
    editor = make_editor()
    client.force_login(editor)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("wagtailadmin_explore_root") in page
    assert reverse("facilitation:index") in page


def test_queries_do_not_grow_with_consultations_and_proposals(
    client, plan, django_assert_num_queries
):
    facilitator = UserFactory(roles=[Role.FACILITATOR, Role.REVIEWER, Role.COORDINATOR])

    def add_consultation():
        consultation = make_consultation(phase="proposals")
        facilitation_grant(page=consultation, user=facilitator)
        report(proposal=ProposalFactory(consultation=consultation))
        ProposalFactory(consultation=consultation)
        leadership_factories.make_call()

    add_consultation()
    client.force_login(facilitator)
    client.get(URL)  # warm the site root cache
    with django_assert_num_queries(QUERIES):
        assert client.get(URL).status_code == 200
    add_consultation()
    add_consultation()
    client.get(URL)
    with django_assert_num_queries(QUERIES):
        assert client.get(URL).status_code == 200


QUERIES = 18  # the person kept in the process


def test_action_facilitator_is_offered_to_create_a_consultation(client, plan):
    action = ActionPage.objects.get(locale__language_code="it", code="5.3.5")
    facilitator = UserFactory(roles=[Role.FACILITATOR], is_staff=True)
    facilitation_grant(page=action, user=facilitator)
    under_action = make_consultation(parent=action)
    client.force_login(facilitator)
    response = client.get(URL)
    assert response.context["facilitation"]["actions"] == [action]
    assert [desk.consultation for desk in response.context["facilitation"]["desks"]] == [
        under_action
    ]
    add = reverse("wagtailadmin_pages:add", args=("consultations", "consultationpage", action.pk))
    assert add in response.content.decode()
