"""Real objects for the access drill: things the matrix's roles may NOT act on.

A missing object (404) would hide a view's permission check, so the important write views are
requested against objects that exist but belong to someone else: a consultation whose phase
allows no vote or comment, another person's notification, a live workshop run by another
facilitator, another person's leadership application, a review assigned to another reviewer,
a cohort with a meeting. None of the matrix's roles is the author, applicant, reviewer or
facilitator of any of them (``staff`` is a superuser: it may act on all of them).
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from consultations.models import ConsultationPage, PhaseKind
from consultations.services import facilitation_grant
from contests.models import ContestJuror, JuryAssignment
from contests.services.entries import member_invite
from contests.services.files import file_upload
from conversations.models import Conversation, Statement, StatementStatus
from equity.models import PaperTally, WorkshopHeadcount
from leadership.models import Cohort, Review, Session, Stage
from notifications.models import Notification, NotificationKind
from proposals.models import ChangeSetState, Comment, Proposal
from tests.contests import factories as contest_factories
from tests.drills.objects import running_consultation
from tests.factories import UserFactory
from tests.leadership import factories as leadership_factories
from tests.proposals.factories import ChangeSetFactory
from workshops import services as live_services
from workshops.models import Activity


def closed_consultation(author) -> tuple[ConsultationPage, Proposal, Comment]:
    """A live consultation in its information phase: nobody may vote, comment or submit."""
    page = running_consultation(
        title="Consultazione informativa delle esercitazioni",
        slug="esercitazioni-informativa",
        question="<p>Che cosa ne pensi?</p>",
        kinds=[PhaseKind.INFORMATION],
    )
    now = timezone.now()
    proposal = Proposal.objects.create(
        consultation=page,
        author=author,
        title="Più panchine nei giardini",
        body="Per chi aspetta l'autobus e per chi legge all'aperto.",
        published_at=now,
    )
    comment = Comment.objects.create(proposal=proposal, author=author, body="Anche vicino a scuola")
    return page, proposal, comment


def live_workshop(consultation) -> tuple:
    """An open workshop on the consultation, run by a facilitator outside the matrix's roles,
    with a single-choice activity open for answers."""
    runner = UserFactory(roles=[Role.FACILITATOR], is_staff=True)
    facilitation_grant(page=consultation, user=runner)  # workshops need the moderation right
    runner = type(runner).objects.get(pk=runner.pk)  # without cached permissions
    session = live_services.session_create(
        page=consultation, facilitator=runner, title="Laboratorio delle esercitazioni"
    )
    activity = live_services.activity_add(
        session=session,
        actor=runner,
        kind=Activity.Kind.SINGLE_CHOICE,
        prompt="Ti piace l'idea?",
        options=["Sì", "No"],
    )
    live_services.activity_open(activity=activity, actor=runner)
    return session, activity


def leadership_world() -> dict:
    """A call with another person's submitted application (and its document), a review
    assigned to another reviewer, a cohort with one stage and one meeting."""
    call = leadership_factories.make_call()
    application = leadership_factories.submitted_application(call)
    reviewer = leadership_factories.reviewer()
    review = Review.objects.create(application=application, reviewer=reviewer)
    cohort = Cohort.objects.create(call=call, name="Gruppo delle esercitazioni")
    stage = Stage.objects.create(cohort=cohort, order=1, name="Prima tappa")
    start = timezone.now() + datetime.timedelta(days=3)
    session = Session.objects.create(
        stage=stage,
        title="Primo incontro",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    return {
        "call": call,
        "application": application,
        "document": application.documents.first(),
        "reviewer": reviewer,
        "review": review,
        "cohort": cohort,
        "stage": stage,
        "meeting": session,
    }


def contest_world() -> dict:
    """An open contest with another person's draft team entry (a file, a pending invitation to
    someone else) and an assignment of another juror."""
    contest = contest_factories.make_contest()
    entry, _people = contest_factories.make_team(contest)
    item = file_upload(entry=entry, actor=entry.contact, upload=contest_factories.pdf_upload())
    member = member_invite(
        entry=entry, actor=entry.contact, email="invitata@example.org", role="design"
    )
    juror = UserFactory()
    ContestJuror.objects.create(contest=contest, user=juror)
    assignment = JuryAssignment.objects.create(entry=entry, juror=juror)
    return {
        "contest": contest,
        "entry": entry,
        "entry_file": item,
        "entry_member": member,
        "jury_assignment": assignment,
    }


def drill_objects(*, consultation, proposal, other_user) -> dict:
    """Every object a matrix row may name (``{"pk": "proposal"}``) or a POST body may use
    (``"@proposal"``)."""
    closed, closed_proposal, closed_comment = closed_consultation(other_user)
    conversation = Conversation.objects.create(
        consultation=closed, question="Una conversazione delle esercitazioni"
    )
    statement = Statement.objects.create(
        conversation=conversation,
        text="Un'affermazione delle esercitazioni",
        status=StatementStatus.PUBLISHED,
    )
    workshop, activity = live_workshop(consultation)
    notification = Notification.objects.create(
        user=other_user,
        key="drill:access",
        kind=NotificationKind.PROPOSAL_ANSWERED,
        title="Una risposta per te",
    )
    action = consultation.get_parent().specific
    return {
        "consultation": consultation,
        "change_set": ChangeSetFactory(action=action),
        "published_change_set": ChangeSetFactory(
            action=action,
            state=ChangeSetState.PUBLISHED,
            previous_text=action.official_text,
            published_text=action.official_text + " Ogni anno.",
            published_at=timezone.now(),
        ),
        "proposal": proposal,
        "comment": proposal.comments.first(),
        "closed_consultation": closed,
        "closed_proposal": closed_proposal,
        "closed_comment": closed_comment,
        "notification": notification,
        "conversation": conversation,
        "statement": statement,
        "workshop": workshop,
        "workshop_code": workshop.code,
        "headcount": WorkshopHeadcount.objects.create(
            session=workshop, count=12, entered_by=workshop.facilitator
        ),
        "paper_tally": PaperTally.objects.create(
            consultation=consultation, count=8, collected_on=timezone.localdate()
        ),
        "activity": activity,
        "other_user": other_user,
        **leadership_world(),
        **contest_world(),
    }


@pytest.fixture(name="drill_world")
def drill_world_fixture(consultation, proposal, other_user, settings, tmp_path) -> dict:
    """The objects above (use it by importing ``drill_world_fixture``); uploaded documents go to a temporary private media root."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return drill_objects(consultation=consultation, proposal=proposal, other_user=other_user)


@pytest.fixture(name="drill_users")
def drill_users_fixture(role_users) -> dict:
    """One account per role of the matrix: conftest's five, a reviewer with no assignment and
    a programme coordinator (use it by importing ``drill_users_fixture``)."""
    return {
        **role_users,
        "reviewer": leadership_factories.reviewer(),
        "coordinator": leadership_factories.coordinator(),
    }
