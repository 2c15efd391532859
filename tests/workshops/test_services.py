"""Live workshop services: permissions, one answer per device, results, broadcasts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from wagtail.models import Page

from accounts.models import Role
from accounts.services import user_delete, user_export_data
from psm.models import ActionPage
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory
from tests.workshops.factories import ActivityFactory, LiveSessionFactory
from workshops import selectors, services
from workshops.demo import live_demo_load
from workshops.models import JOIN_CODE_ALPHABET, Activity, Answer, Idea, LiveSession
from workshops.services import Participant

pytestmark = pytest.mark.django_db


def device(n: int) -> Participant:
    return Participant(key=f"dtoken-{n:04d}-abcdefgh")


@pytest.fixture
def action_page(plan):
    return ActionPage.objects.live().order_by("path").first()


def test_facilitator_creates_session_with_readable_code(action_page):
    facilitator = UserFactory(roles=[Role.FACILITATOR])
    session = services.session_create(page=action_page, facilitator=facilitator, title=" Pinerolo ")
    assert session.title == "Pinerolo"
    assert session.is_open
    assert len(session.code) == 6
    assert set(session.code) <= set(JOIN_CODE_ALPHABET)
    assert not set(session.code) & set("0O1IL2Z5S8B")


def test_participant_cannot_create_session(action_page, user):
    with pytest.raises(PermissionDenied, match="facilitatore"):
        services.session_create(page=action_page, facilitator=user, title="Laboratorio")
    assert not LiveSession.objects.exists()


def test_open_codes_are_unique(plan):
    LiveSessionFactory(code="ACEFHJ")
    with pytest.raises(IntegrityError):
        LiveSessionFactory(code="ACEFHJ")


def test_closed_session_code_can_be_reused(plan):
    LiveSessionFactory(code="ACEFHJ", closed=True)
    assert LiveSessionFactory(code="ACEFHJ").is_open


def test_one_answer_per_device(plan):
    activity = ActivityFactory()
    services.answer_submit(activity=activity, participant=device(1), value=0)
    with pytest.raises(ValidationError, match="una volta sola"):
        services.answer_submit(activity=activity, participant=device(1), value=2)
    services.answer_submit(activity=activity, participant=device(2), value=2)
    assert sorted(Answer.objects.values_list("value", flat=True)) == [0, 2]


def test_database_refuses_a_second_answer_even_without_the_service(plan):
    activity = ActivityFactory()
    Answer.objects.create(activity=activity, participant_key="u1", value=0)
    with pytest.raises(IntegrityError):
        Answer.objects.create(activity=activity, participant_key="u1", value=1)


def test_logged_in_person_answers_once_as_themselves(plan, user):
    activity = ActivityFactory()
    me = Participant(key=f"u{user.pk}", user=user)
    answer = services.answer_submit(activity=activity, participant=me, value=1)
    assert answer.user == user
    with pytest.raises(ValidationError):
        services.answer_submit(activity=activity, participant=me, value=1)


@pytest.mark.parametrize(
    ("kind", "options", "value"),
    [
        (Activity.Kind.SINGLE_CHOICE, ["a", "b"], 5),
        (Activity.Kind.SINGLE_CHOICE, ["a", "b"], "x"),
        (Activity.Kind.MULTIPLE_CHOICE, ["a", "b"], []),
        (Activity.Kind.MULTIPLE_CHOICE, ["a", "b"], [0, 9]),
        (Activity.Kind.SCALE_1_5, [], 0),
        (Activity.Kind.SCALE_1_5, [], 6),
        (Activity.Kind.RANKING, ["a", "b", "c"], [0, 0, 1]),
        (Activity.Kind.RANKING, ["a", "b", "c"], [0, 1]),
        (Activity.Kind.IDEAS, [], 1),
    ],
)
def test_invalid_answers_are_refused_and_nothing_is_saved(plan, kind, options, value):
    activity = ActivityFactory(kind=kind, options=options)
    with pytest.raises(ValidationError):
        services.answer_submit(activity=activity, participant=device(1), value=value)
    assert not Answer.objects.exists()


def test_answers_only_while_activity_and_session_are_open(plan):
    draft = ActivityFactory(draft=True)
    with pytest.raises(ValidationError, match="non è aperta"):
        services.answer_submit(activity=draft, participant=device(1), value=0)
    closed_session = ActivityFactory(session=LiveSessionFactory(closed=True))
    with pytest.raises(ValidationError, match="chiuso"):
        services.answer_submit(activity=closed_session, participant=device(1), value=0)


def test_results_for_every_kind(plan):
    session = LiveSessionFactory()
    single = ActivityFactory(session=session)
    multiple = ActivityFactory(session=session, kind=Activity.Kind.MULTIPLE_CHOICE)
    scale = ActivityFactory(session=session, kind=Activity.Kind.SCALE_1_5, options=[])
    ranking = ActivityFactory(session=session, kind=Activity.Kind.RANKING)
    for n, value in enumerate([0, 0, 2, 0]):
        services.answer_submit(activity=single, participant=device(n), value=value)
    for n, value in enumerate([[0, 1], [1], [1, 2]]):
        services.answer_submit(activity=multiple, participant=device(n), value=value)
    for n, value in enumerate([5, 4, 4, 2]):
        services.answer_submit(activity=scale, participant=device(n), value=value)
    for n, value in enumerate([[2, 0, 1], [2, 1, 0]]):
        services.answer_submit(activity=ranking, participant=device(n), value=value)

    result = selectors.activity_results(single)
    assert result["total"] == 4
    assert [(i["count"], i["percent"]) for i in result["items"]] == [(3, 75), (0, 0), (1, 25)]
    result = selectors.activity_results(multiple)
    assert result["total"] == 3
    assert [i["count"] for i in result["items"]] == [1, 3, 1]
    result = selectors.activity_results(scale)
    assert result["average"] == 3.8
    assert [i["count"] for i in result["items"]] == [0, 1, 0, 2, 1]
    result = selectors.activity_results(ranking)
    # option 2 first twice (2 points each), option 0 then 1 split the rest
    assert [(i["index"], i["count"]) for i in result["items"]] == [(2, 4), (0, 1), (1, 1)]
    assert result["items"][0]["percent"] == 100


def test_public_state_hides_results_until_revealed(plan):
    activity = ActivityFactory()
    services.answer_submit(activity=activity, participant=device(1), value=1)
    state = selectors.session_public_state(activity.session)
    assert state["activity"]["total"] == 1
    assert state["activity"]["results"] is None
    services.activity_set_results_visible(
        activity=activity, actor=activity.session.facilitator, visible=True
    )
    activity.session.refresh_from_db()
    state = selectors.session_public_state(activity.session)
    assert state["activity"]["results"]["items"][1]["count"] == 1
    assert state["key"].endswith(":1:")


def test_answer_is_broadcast_after_commit(plan, monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(
        "realtime.broadcast.send_now",
        lambda group, event, payload: sent.append((group, event, payload)),
    )
    activity = ActivityFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.answer_submit(activity=activity, participant=device(1), value=0)
    assert sent == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    groups = {group: (event, payload) for group, event, payload in sent}
    event, payload = groups[f"psm.live.{activity.session_id}"]
    assert event == "live.state"
    assert payload["activity"]["total"] == 1
    assert groups[f"psm.live.console.{activity.session_id}"][0] == "live.console"


def test_only_the_facilitator_or_page_editors_conduct(plan, user):
    activity = ActivityFactory(draft=True)
    other_facilitator = UserFactory(roles=[Role.FACILITATOR])
    for intruder in (user, other_facilitator):
        with pytest.raises(PermissionDenied, match="conduce"):
            services.activity_open(activity=activity, actor=intruder)
    editor = UserFactory(is_staff=True, is_superuser=True)
    services.activity_open(activity=activity, actor=editor)
    activity.refresh_from_db()
    assert activity.is_open


def test_next_opens_the_following_activity_and_closes_the_current(plan):
    session = LiveSessionFactory()
    first = ActivityFactory(session=session, order=1, draft=True)
    second = ActivityFactory(session=session, order=2, draft=True)
    actor = session.facilitator
    assert services.session_next(session=session, actor=actor) == first
    assert services.session_next(session=session, actor=actor) == second
    first.refresh_from_db()
    assert first.state == Activity.State.CLOSED
    assert services.session_next(session=session, actor=actor) is None
    second.refresh_from_db()
    assert second.state == Activity.State.CLOSED


def test_activity_add_validates_options(plan):
    session = LiveSessionFactory()
    with pytest.raises(ValidationError, match="due opzioni"):
        services.activity_add(
            session=session,
            actor=session.facilitator,
            kind="single_choice",
            prompt="?",
            options=["a"],
        )
    activity = services.activity_add(
        session=session,
        actor=session.facilitator,
        kind="scale_1_5",
        prompt="Quanto?",
        options=["ignored"],
    )
    assert activity.options == []
    assert activity.state == Activity.State.DRAFT


def test_ideas_are_limited_and_approved_by_the_facilitator(plan):
    activity = ActivityFactory(kind=Activity.Kind.IDEAS, options=[], results_visible=True)
    for n in range(services.MAX_IDEAS_PER_PARTICIPANT):
        services.idea_submit(activity=activity, participant=device(1), text=f"Idea  {n}")
    with pytest.raises(ValidationError, match="massimo"):
        services.idea_submit(activity=activity, participant=device(1), text="Un'altra")
    with pytest.raises(ValidationError):
        services.idea_submit(activity=activity, participant=device(2), text="   ")
    idea = Idea.objects.first()
    assert idea.text == "Idea 0"
    services.idea_set_approved(idea=idea, actor=activity.session.facilitator, approved=True)
    results = selectors.activity_results(activity)
    assert results["ideas"] == [{"pk": idea.pk, "text": "Idea 0"}]
    assert results["total"] == 3


def test_close_session_closes_open_activities(plan):
    activity = ActivityFactory()
    services.session_close(session=activity.session, actor=activity.session.facilitator)
    activity.refresh_from_db()
    assert activity.state == Activity.State.CLOSED
    assert activity.session.__class__.objects.get(pk=activity.session_id).closed_at is not None


def test_personal_data_export_and_anonymise(plan, user):
    activity = ActivityFactory()
    idea_activity = ActivityFactory(session=activity.session, kind=Activity.Kind.IDEAS, options=[])
    me = Participant(key=f"u{user.pk}", user=user)
    services.answer_submit(activity=activity, participant=me, value=0)
    services.idea_submit(activity=idea_activity, participant=me, text="Più panchine")
    data = user_export_data(user=user)["live"]
    assert data["answers"][0]["value"] == 0
    assert data["ideas"][0]["text"] == "Più panchine"
    user_delete(user=user)
    answer = Answer.objects.get()
    assert answer.user is None
    assert answer.participant_key == f"x{answer.pk}"
    assert Idea.objects.get().user is None
    assert selectors.activity_results(activity)["total"] == 1  # tallies are kept


def test_demo_workshop_is_loaded_once(plan):
    import io

    accounts = {
        "facilitator": UserFactory(roles=[Role.FACILITATOR]),
        "participant": UserFactory(),
        "participant2": UserFactory(),
    }
    out = io.StringIO()
    live_demo_load(accounts=accounts, stdout=out)
    live_demo_load(accounts=accounts, stdout=out)
    session = LiveSession.objects.get()
    assert session.activities.count() == 4
    assert session.current_activity.answers.count() == 2
    assert session.code in out.getvalue()


def test_account_deletion_keeps_tallies_and_drops_the_link(plan, user):
    from accounts.services import user_delete, user_export_data

    activity = ActivityFactory()
    services.answer_submit(
        activity=activity, participant=Participant(key=f"u{user.pk}", user=user), value=2
    )
    assert user_export_data(user=user)["live"]["answers"][0]["value"] == 2
    user_delete(user=user)
    answer = Answer.objects.get()
    assert answer.user is None
    assert not answer.participant_key.startswith("u")


def test_on_a_consultation_the_moderation_predicate_decides(plan):
    """Staff conduct a consultation's workshops when they moderate it, not another one."""
    consultation = make_consultation()
    moderator = make_facilitator(consultation, is_staff=True)
    elsewhere = make_facilitator(make_consultation(), is_staff=True)
    session = LiveSessionFactory(page=consultation)
    assert moderator.has_perm("consultations.moderate", consultation)
    assert services.can_facilitate(user=moderator, session=session)
    assert not services.can_facilitate(user=elsewhere, session=session)
    page = Page.objects.get(pk=consultation.pk)  # the base page, as forms and hooks pass it
    assert services.can_create_session(user=moderator, page=page)
    assert not UserFactory().has_perm("live.create_session", page)
