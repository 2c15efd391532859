"""Drill: an XSS corpus typed into every user text field renders inert on every page showing it.

Fields (who types them): proposal title, body and amended text, comment, report text,
display name (participants); official answer, hide and block reasons, offline proposal
(facilitators); application answers and document name, withdrawal reason (candidates);
review comment, conflict reason (reviewers); ranking correction motivation, eligibility
reason, session title, place, materials and reflection prompt (coordinators); workshop
title, activity question and options (facilitators); ideas (phones).

A reviewer's conflict-of-interest reason declared after the review was sent is shown to the
coordinator (dashboard and application page).
Each page is fetched as a role allowed to see it; no payload may come back as live markup,
and the escaped text must be visible. There is no rich-text field people outside the
editorial staff can type into (Wagtail's own editor), so nothing here relies on a sanitiser.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from leadership.models import ApplicationStatus as S
from leadership.models import Cohort, SelectionOverride, Stage
from leadership.services.applications import (
    application_save_draft,
    application_set_eligibility,
    application_start,
    application_submit,
    application_withdraw,
)
from leadership.services.documents import application_upload_document
from leadership.services.pathway import session_create
from leadership.services.reviews import conflict_declare, review_assign, review_submit
from leadership.services.selection import selection_adjust
from proposals.models import Comment, Proposal, ProposalKind
from proposals.moderation import in_person
from proposals.moderation import services as moderation
from proposals.services import reports
from psm.models import ActionPage
from tests.consultations.factories import make_consultation, make_facilitator
from tests.drills.test_bad_input import LIVE_MARKUP, XSS_CORPUS
from tests.factories import UserFactory
from tests.leadership import factories as leadership_factories
from tests.proposals.factories import ProposalVersionFactory
from tests.workshops.factories import LiveSessionFactory
from workshops import services as live_services
from workshops.models import Activity
from workshops.services import Participant

pytestmark = pytest.mark.django_db

#: Every field people type into, with who types it; each gets the corpus below.
XSS_FIELDS = [
    ("Proposal.title", "participant"),
    ("Proposal.body", "participant"),
    ("Proposal.amended_text", "participant"),
    ("Comment.body", "participant"),
    ("Report.text", "participant"),
    ("User.display_name", "participant"),
    ("Proposal.answer / StatusChange.answer", "facilitator"),
    ("ModerationAction.public_reason (hide)", "facilitator"),
    ("ParticipantBlock.reason", "facilitator"),
    ("Proposal.title and body (in-person)", "facilitator"),
    ("Application.answers", "candidate"),
    ("ApplicationTransition.reason (withdrawal)", "candidate"),
    ("Application.eligibility_reason (correction)", "coordinator"),
    ("Notification.title and body (from the texts above)", "participant"),
    ("ApplicationDocument.original_name", "candidate"),
    ("Review.comment", "reviewer"),
    ("ConflictOfInterest.reason (after submission)", "reviewer"),
    ("SelectionOverride.motivation", "coordinator"),
    ("Session.title", "coordinator"),
    ("Session.place", "coordinator"),
    ("Session.materials", "coordinator"),
    ("Session.reflection_prompt", "coordinator"),
    ("LiveSession.title", "facilitator"),
    ("Activity.prompt", "facilitator"),
    ("Activity.options", "facilitator"),
    ("Idea.text", "phone"),
]
#: What must be visible instead: the escaped opening of at least one payload.
ESCAPED = ("&lt;script&gt;", "&lt;img", "&lt;svg", "&lt;iframe", "&lt;a href")
ALL = " ".join(XSS_CORPUS)


def assert_inert(html: str, where: str) -> None:
    found = LIVE_MARKUP.search(html)
    assert found is None, f"{where}: live markup {found.group(0)!r}"
    for payload in XSS_CORPUS:
        if "<" in payload:
            assert payload not in html, f"{where}: raw payload {payload!r}"
    assert any(escaped in html for escaped in ESCAPED), f"{where}: the typed text is not shown"


def fetch(client, user, url: str, where: str) -> str:
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, f"{where}: {url} answered {response.status_code}"
    html = response.content.decode()
    assert_inert(html, where)
    return html


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


# --------------------------------------------------------------------------- consultations
@pytest.fixture
def participation_world(plan):
    consultation = make_consultation(phases=("proposals", "voting"), results_public=True)
    facilitator = make_facilitator(consultation)
    action = ActionPage.objects.live().order_by("path").first()
    proposals = []
    for payload in XSS_CORPUS:
        author = UserFactory(display_name=payload[:60])
        proposal = Proposal.objects.create(
            consultation=consultation,
            author=author,
            title=f"Titolo {payload}"[:140],
            body=f"Testo {ALL}",
            kind=ProposalKind.AMENDMENT,
            amended_action=action,
            amended_text=f"Nuovo testo {ALL}",
            published_at=timezone.now(),
        )
        Comment.objects.create(proposal=proposal, author=author, body=f"Commento {ALL}")
        reports.report_create(
            reporter=UserFactory(), reason="other", text=f"Segnalo {ALL}"[:1000], proposal=proposal
        )
        proposals.append(proposal)
    moderation.proposal_answer(
        actor=facilitator, proposal=proposals[0], status="rejected", answer=f"Risposta {ALL}"
    )
    moderation.content_hide(
        actor=facilitator,
        reason=f"Nascosto {ALL}",
        comment=Comment.objects.filter(proposal=proposals[1]).first(),
    )
    moderation.participant_block(
        actor=facilitator,
        consultation=consultation,
        user=proposals[2].author,
        reason=f"Sospeso {ALL}",
    )
    in_person.offline_proposal_record(
        actor=facilitator,
        consultation=consultation,
        title="Dal laboratorio <script>alert('x')</script>",
        body=f"Raccolta in presenza {ALL}",
        in_person_date=timezone.localdate(),
    )
    # An edit waiting for approval, compared word by word on the versions page.
    ProposalVersionFactory(proposal=proposals[0])
    ProposalVersionFactory(
        proposal=proposals[0], pending=True, title=f"Modifica {ALL}"[:140], body=f"Nuovo {ALL}"
    )
    return consultation, facilitator, proposals


def test_participation_pages_render_the_corpus_inert(client, participation_world):
    consultation, facilitator, proposals = participation_world
    public = [
        ("consultation page", consultation.url),
        ("results", reverse("consultations:results", args=[consultation.pk])),
    ] + [(f"proposal {p.pk}", p.get_absolute_url()) for p in proposals]
    for where, url in public:
        fetch(client, None, url, where)
    staff = [
        ("moderation queue", reverse("moderation:queue", args=[consultation.pk])),
        ("moderation proposals", reverse("moderation:proposals", args=[consultation.pk])),
        ("moderation audit", reverse("moderation:audit", args=[consultation.pk])),
    ] + [
        (
            f"moderation proposal {p.pk}",
            reverse("moderation:proposal", args=[consultation.pk, p.pk]),
        )
        for p in proposals[:3]
    ]
    staff.append(
        (
            "moderation versions",
            reverse("moderation:versions", args=[consultation.pk, proposals[0].pk]),
        )
    )
    for where, url in staff:
        fetch(client, facilitator, url, where)
    fetch(client, proposals[0].author, reverse("accounts:profile"), "profile")
    fetch(client, proposals[0].author, reverse("accounts:edit"), "profile form")


# --------------------------------------------------------------------------- leadership
@pytest.fixture
def leadership_world(plan):
    call = leadership_factories.make_call()
    coordinator = leadership_factories.coordinator()
    candidate = UserFactory(display_name="<script>alert('nome')</script>")
    application = application_start(call=call, applicant=candidate)
    question = call.questions.get(kind="long")
    application_save_draft(
        application=application,
        actor=candidate,
        data={"category": "studente", question.field_name: f"Perché {ALL}"[:500]},
    )
    application_upload_document(
        application=application,
        requirement=call.documents.get(required=True),
        upload=leadership_factories.pdf_upload('"><script>alert(1)</script>.pdf'),
        actor=candidate,
    )
    application = application_submit(application=application, actor=candidate)
    reviewers = [leadership_factories.reviewer() for _ in range(2)]
    reviews = [
        review_assign(application=application, reviewer=r, actor=coordinator) for r in reviewers
    ]
    scores = {str(c.pk): "3" for c in call.criteria.all()}
    for review in reviews:
        review_submit(
            review=review, reviewer=review.reviewer, scores=scores, comment=f"Giudizio {ALL}"
        )
    selection_adjust(
        application=application, include=True, motivation=f"Motivo {ALL}", actor=coordinator
    )
    conflict_declare(application=application, reviewer=reviewers[0], reason=f"Conflitto {ALL}")
    return call, coordinator, candidate, application, reviews


def test_leadership_pages_render_the_corpus_inert(client, leadership_world):
    call, coordinator, candidate, application, reviews = leadership_world
    assert SelectionOverride.objects.filter(application=application).exists()
    assert application.status == S.UNDER_REVIEW
    fetch(client, candidate, reverse("leadership:apply", args=[call.pk]), "candidate's page")
    fetch(client, candidate, reverse("leadership:my_applications"), "candidate's list")
    for review in reviews:
        fetch(
            client,
            review.reviewer,
            reverse("leadership:review_detail", args=[review.pk]),
            "reviewer's page",
        )
    fetch(
        client,
        coordinator,
        reverse("leadership:coordinator_application", args=[application.pk]),
        "coordinator's application page",
    )
    fetch(client, coordinator, reverse("leadership:dashboard", args=[call.pk]), "dashboard")


def test_eligibility_correction_and_withdrawal_render_the_corpus_inert(client, plan):
    call = leadership_factories.make_call()
    coordinator = leadership_factories.coordinator()
    application = leadership_factories.submitted_application(call)
    for eligible in (False, True):  # excluded, then readmitted: both reasons in the history
        application_set_eligibility(
            application=application,
            actor=coordinator,
            eligible=eligible,
            reason=f"Correzione {ALL}"[:500],
        )
    application_withdraw(
        application=application, actor=application.applicant, reason=f"Ritiro {ALL}"
    )
    where = reverse("leadership:coordinator_application", args=[application.pk])
    fetch(client, coordinator, where, "coordinator's page: correction and withdrawal")


def test_notification_list_renders_the_corpus_inert(client, plan):
    from notifications.services import notify

    person = UserFactory()
    for number, payload in enumerate(XSS_CORPUS):
        notify(
            user=person,
            key=f"xss:{number}",
            kind="comment_reply",
            title=f"Risposta su «{payload}»"[:200],
            body=f"Testo {payload}",
            url="/",
        )
    fetch(client, person, reverse("notifications:list"), "notification list")


def test_pathway_sessions_render_the_corpus_inert(client, plan):
    call = leadership_factories.make_call()
    coordinator = leadership_factories.coordinator()
    cohort = Cohort.objects.create(call=call, name="Gruppo")
    stage = Stage.objects.create(cohort=cohort, order=1, name="Prima tappa")
    now = timezone.now()
    sessions = [
        session_create(
            stage=stage,
            actor=coordinator,
            title=payload,
            starts_at=now + datetime.timedelta(days=1),
            ends_at=now + datetime.timedelta(days=1, hours=2),
            place=payload,
            materials=f"Materiali {ALL}",
            reflection_prompt=f"Spunto {ALL}",
        )
        for payload in XSS_CORPUS
    ]
    fetch(client, coordinator, reverse("leadership:pathway", args=[cohort.pk]), "pathway")
    for session in sessions:
        fetch(client, coordinator, reverse("leadership:session", args=[session.pk]), "session")


# --------------------------------------------------------------------------- live workshops
def test_live_workshop_views_render_the_corpus_inert(client, plan):
    session = LiveSessionFactory(title="<script>alert('x')</script> laboratorio")
    facilitator = session.facilitator
    choice = live_services.activity_add(
        session=session,
        actor=facilitator,
        kind=Activity.Kind.SINGLE_CHOICE,
        prompt='<img src=x onerror="alert(1)"> quale?',
        options=[p[:120] for p in XSS_CORPUS],
    )
    ideas = live_services.activity_add(
        session=session, actor=facilitator, kind=Activity.Kind.IDEAS, prompt=XSS_CORPUS[0]
    )
    live_services.activity_open(activity=ideas, actor=facilitator)
    for n, payload in enumerate(XSS_CORPUS):
        idea = live_services.idea_submit(
            activity=ideas, participant=Participant(key=f"dxss-{n:04d}"), text=payload
        )
        live_services.idea_set_approved(idea=idea, actor=facilitator, approved=True)
    live_services.activity_set_results_visible(activity=ideas, actor=facilitator, visible=True)
    pages = [
        ("projector", reverse("live:projector", args=[session.pk]), facilitator),
        ("console", reverse("live:console", args=[session.pk]), facilitator),
        ("phone", reverse("live:participate", args=[session.code]), None),
    ]
    for where, url, user in pages:
        fetch(client, user, url, where)
    live_services.activity_open(activity=choice, actor=facilitator)
    fetch(client, None, reverse("live:participate", args=[session.code]), "phone, choice")
    live_services.session_close(session=session, actor=facilitator)
    fetch(client, facilitator, reverse("live:archive", args=[session.pk]), "archive")
