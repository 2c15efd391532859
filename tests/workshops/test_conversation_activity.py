"""Conversation activities in live workshops (issue 16): the facilitator adds one, phones vote
on its statements one at a time, the projector shows the opinion map and the consensus, under
the workshop's trust rules."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conversations.models import Choice, Conversation, StatementStatus, StatementVote
from conversations.snapshots import snapshot_compute
from core.ratelimit import SlidingWindow
from tests.consultations.factories import make_consultation, make_facilitator
from tests.conversations.factories import StatementFactory, StatementVoteFactory
from tests.factories import UserFactory
from tests.workshops.factories import LiveSessionFactory
from workshops import conversation_activity, conversation_reads, selectors, services
from workshops.admissions import Participant
from workshops.models import Activity, Admission
from workshops.views import phones

pytestmark = pytest.mark.django_db

SEEDS = [
    "Servono autobus notturni dalle valli",
    "Le scuole aperte il pomeriggio",
    "Più spazi per studiare la sera",
]


@pytest.fixture(autouse=True)
def private_cache(settings):
    """Each test its own cache: the recompute's debounce key and the code throttle."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"live-conversation-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture
def consultation(plan):
    return make_consultation(phases=("conversation",))


@pytest.fixture
def facilitator(consultation):
    return make_facilitator(consultation)


@pytest.fixture
def session(consultation, facilitator):
    return LiveSessionFactory(page=consultation, facilitator=facilitator)


def add_conversation(session, actor, **kwargs):
    kwargs.setdefault("prompt", "Che cosa serve ai giovani delle valli?")
    kwargs.setdefault("options", SEEDS)
    return services.activity_add(session=session, actor=actor, kind="conversation", **kwargs)


@pytest.fixture
def activity(session, facilitator):
    activity = add_conversation(session, facilitator)
    return services.activity_open(activity=activity, actor=facilitator)


def vote_url(activity):
    return reverse(
        "live:conversation_vote", kwargs={"code": activity.session.code, "activity_pk": activity.pk}
    )


def participate_url(session):
    return reverse("live:participate", kwargs={"code": session.code})


def plant_votes(conversation, people=(15, 15)):
    """Two planted groups that agree on the first statement and split on the others."""
    statements = [
        *conversation.statements.filter(status=StatementStatus.PUBLISHED).order_by("pk"),
        *StatementFactory.create_batch(6, conversation=conversation),
    ]
    person = 0
    for group, size in enumerate(people):
        for _ in range(size):
            for index, statement in enumerate(statements):
                choice = Choice.AGREE if index == 0 or (index % 2 == group) else Choice.DISAGREE
                StatementVoteFactory(
                    statement=statement, participant_key=f"dplant{person}", choice=choice
                )
            person += 1
    return statements


# --------------------------------------------------------------------------- services


def test_adding_a_conversation_activity_seeds_a_conversation_of_the_consultation(
    session, facilitator, consultation
):
    activity = add_conversation(session, facilitator)
    conversation = activity.conversation
    assert activity.kind == Activity.Kind.CONVERSATION
    assert activity.results_visible  # the map is the point of it
    assert conversation.consultation_id == consultation.pk
    assert conversation.question == activity.prompt
    statements = list(conversation.statements.order_by("pk"))
    assert [s.text for s in statements] == SEEDS
    assert all(s.is_seed and s.status == StatementStatus.PUBLISHED for s in statements)


def test_an_existing_conversation_of_the_consultation_can_run_live(
    session, facilitator, consultation
):
    existing = Conversation.objects.create(consultation=consultation, question="Già aperta?")
    StatementFactory(conversation=existing)
    activity = conversation_activity.activity_add_conversation(
        session=session, actor=facilitator, prompt="", conversation=existing
    )
    assert activity.conversation == existing
    assert activity.prompt == "Già aperta?"
    other = Conversation.objects.create(consultation=make_consultation(), question="Altrove?")
    with pytest.raises(ValidationError):
        conversation_activity.activity_add_conversation(
            session=session, actor=facilitator, prompt="", conversation=other
        )


def test_a_conversation_needs_a_consultation_and_statements(plan, session, facilitator):
    with pytest.raises(ValidationError):
        add_conversation(session, facilitator, options=[])
    assert not Conversation.objects.exists()  # one transaction: nothing half made
    on_action = LiveSessionFactory()
    with pytest.raises(ValidationError):
        add_conversation(on_action, on_action.facilitator)


def test_only_who_conducts_adds_a_conversation(session, consultation):
    for outsider in (UserFactory(), make_facilitator(make_consultation())):
        with pytest.raises(PermissionDenied):
            add_conversation(session, outsider)
    assert not Conversation.objects.exists()


def test_a_phone_votes_and_changes_its_vote(activity):
    phone = Participant(key="dphone-one-000000000")
    statement = activity.conversation.statements.order_by("pk").first()
    vote = conversation_activity.conversation_vote(
        activity=activity, participant=phone, statement_id=statement.pk, choice="agree"
    )
    assert (vote.participant_key, vote.choice, vote.user) == (phone.key, Choice.AGREE, None)
    assert Admission.objects.filter(session=activity.session, participant_key=phone.key).exists()
    conversation_activity.conversation_vote(
        activity=activity, participant=phone, statement_id=statement.pk, choice="disagree"
    )
    assert StatementVote.objects.get().choice == Choice.DISAGREE


def test_a_burst_of_phone_votes_queues_one_quick_recompute(
    activity, django_capture_on_commit_callbacks, monkeypatch
):
    """The projector shows the map: workshop votes share one recompute a few seconds later
    (``LIVE_RECOMPUTE_DELAY``), not one per vote and not after the online 20 s."""
    from conversations import services as conversation_services
    from conversations.tasks import recompute_opinion_groups

    queued = []
    monkeypatch.setattr(
        recompute_opinion_groups,
        "apply_async",
        lambda args, countdown: queued.append((args, countdown)),
    )
    statements = list(activity.conversation.statements.order_by("pk"))
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            for statement in statements:
                conversation_activity.conversation_vote(
                    activity=activity,
                    participant=Participant(key=f"dburst{n}"),
                    statement_id=statement.pk,
                    choice="agree",
                )
    delay = conversation_services.LIVE_RECOMPUTE_DELAY
    assert queued == [((activity.conversation_id,), delay)]
    assert delay < conversation_services.RECOMPUTE_DELAY


def test_votes_are_refused_outside_the_open_activity(activity, facilitator):
    phone = Participant(key="dphone-two-000000000")
    statement = activity.conversation.statements.first()
    elsewhere = StatementFactory()  # a statement of another conversation
    for statement_id, choice in ((elsewhere.pk, "agree"), (statement.pk, "maybe"), ("1", "pass")):
        with pytest.raises(ValidationError):
            conversation_activity.conversation_vote(
                activity=activity, participant=phone, statement_id=statement_id, choice=choice
            )
    services.activity_close(activity=activity, actor=facilitator)
    with pytest.raises(ValidationError):
        conversation_activity.conversation_vote(
            activity=activity, participant=phone, statement_id=statement.pk, choice="agree"
        )
    services.activity_open(activity=activity, actor=facilitator)
    services.session_close(session=activity.session, actor=facilitator)
    with pytest.raises(ValidationError):
        conversation_activity.conversation_vote(
            activity=activity, participant=phone, statement_id=statement.pk, choice="agree"
        )
    assert not StatementVote.objects.exists()


def test_a_single_choice_activity_takes_no_statement_votes(session, facilitator):
    single = services.activity_add(
        session=session, actor=facilitator, kind="single_choice", prompt="Sì?", options=["a", "b"]
    )
    services.activity_open(activity=single, actor=facilitator)
    with pytest.raises(ValidationError):
        conversation_activity.conversation_vote(
            activity=single,
            participant=Participant(key="dphone-three-0000000"),
            statement_id=StatementFactory().pk,
            choice="agree",
        )
    assert not Admission.objects.exists()  # refused before the device is let in


def test_the_session_bound_applies_to_conversation_votes(activity, monkeypatch):
    monkeypatch.setattr("workshops.admissions.MAX_ADMISSIONS_PER_SESSION", 1)
    statement = activity.conversation.statements.first()
    conversation_activity.conversation_vote(
        activity=activity,
        participant=Participant(key="dfirst-phone-0000000"),
        statement_id=statement.pk,
        choice="agree",
    )
    with pytest.raises(ValidationError):
        conversation_activity.conversation_vote(
            activity=activity,
            participant=Participant(key="dsecond-phone-000000"),
            statement_id=statement.pk,
            choice="agree",
        )
    assert StatementVote.objects.count() == 1


def test_live_state_counts_votes_and_changes_key_with_a_new_map(activity):
    session = activity.session
    session.refresh_from_db()
    before = selectors.session_state_event(session)
    assert before.activity.total == 0
    plant_votes(activity.conversation)
    snapshot = snapshot_compute(activity.conversation)
    after = selectors.session_state_event(session)
    assert after.activity.total == StatementVote.objects.count()
    assert after.key != before.key
    assert f":map{snapshot.pk}" in after.key


def test_a_new_opinion_map_is_pushed_to_the_sessions_showing_it(
    activity, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(services, "send_state", sent.append)
    other = LiveSessionFactory(page=activity.session.page, facilitator=activity.session.facilitator)
    assert conversation_reads.sessions_showing(activity.conversation_id) == [activity.session_id]
    with django_capture_on_commit_callbacks(execute=True):
        snapshot_compute(activity.conversation)
    assert sent == [activity.session_id]
    assert other.pk not in sent


# --------------------------------------------------------------------------- HTTP


def test_a_phone_sees_one_statement_at_a_time_and_votes_without_an_account(client, activity):
    page = client.get(participate_url(activity.session)).content.decode()
    shown = [text for text in SEEDS if text in page]
    assert len(shown) == 1
    assert "Affermazioni votate: 0 su 3" in page
    statement = activity.conversation.statements.get(text=shown[0])
    response = client.post(vote_url(activity), {"affermazione": statement.pk, "voto": "agree"})
    assert response.status_code == 302
    assert response["Location"] == participate_url(activity.session)
    vote = StatementVote.objects.get()
    assert vote.participant_key.startswith("d")
    assert vote.user is None
    page = client.get(participate_url(activity.session)).content.decode()
    assert "Voto registrato: d&#x27;accordo." in page
    assert "Affermazioni votate: 1 su 3" in page
    assert shown[0] not in page
    for statement in activity.conversation.statements.exclude(pk=statement.pk):
        client.post(vote_url(activity), {"affermazione": statement.pk, "voto": "pass"})
    page = client.get(participate_url(activity.session)).content.decode()
    assert "Hai votato tutte le affermazioni" in page
    assert StatementVote.objects.count() == 3


def test_a_logged_in_phone_votes_with_its_account_key(client, activity):
    user = UserFactory()
    client.force_login(user)
    statement = activity.conversation.statements.first()
    client.post(vote_url(activity), {"affermazione": statement.pk, "voto": "disagree"})
    vote = StatementVote.objects.get()
    assert (vote.participant_key, vote.user) == (f"u{user.pk}", user)


def test_an_ended_session_takes_no_vote(client, activity, facilitator):
    statement = activity.conversation.statements.first()
    services.session_close(session=activity.session, actor=facilitator)
    response = client.post(vote_url(activity), {"affermazione": statement.pk, "voto": "agree"})
    assert response.status_code == 302
    assert not StatementVote.objects.exists()


def test_the_code_throttle_applies_to_conversation_votes(client, activity, monkeypatch):
    monkeypatch.setattr(
        phones, "CODE_GUESSES", SlidingWindow("live-code-test", limit=0, seconds=60)
    )
    statement = activity.conversation.statements.first()
    response = client.post(vote_url(activity), {"affermazione": statement.pk, "voto": "agree"})
    assert response.status_code == 429
    assert not StatementVote.objects.exists()


def test_the_projector_shows_the_consensus_and_an_accessible_map(client, activity, facilitator):
    statements = plant_votes(activity.conversation)
    snapshot_compute(activity.conversation)
    client.force_login(facilitator)
    url = reverse("live:projector", kwargs={"pk": activity.session_id})
    page = client.get(url).content.decode()
    assert "Dove tutti i gruppi sono d'accordo" in page
    consensus = page.split("data-live-consensus", 1)[1].split("</ol>", 1)[0]
    assert statements[0].text in consensus
    assert '<svg class="opinion-map"' in page
    assert "<caption>I gruppi di opinione</caption>" in page
    assert "Hanno votato 30 persone." in page
    fragment = client.get(url, {"fragment": "1"}).content.decode()
    assert "data-live-consensus" in fragment
    # hidden results: neither map nor consensus
    services.activity_set_results_visible(activity=activity, actor=facilitator, visible=False)
    page = client.get(url).content.decode()
    assert "opinion-map" not in page
    assert statements[0].text not in page


def test_the_console_adds_a_conversation_and_links_to_it(client, session, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("live:activity_add", kwargs={"pk": session.pk}),
        {"kind": "conversation", "prompt": "Cosa serve?", "options": "\n".join(SEEDS)},
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    page = client.get(reverse("live:console", kwargs={"pk": session.pk})).content.decode()
    assert reverse("conversations:moderation", args=[activity.conversation_id]) in page
    assert reverse("conversations:results", args=[activity.conversation_id]) in page
    outcomes = reverse("accountability:conversation_outcomes", args=[activity.conversation_id])
    assert outcomes in page
    services.activity_set_results_visible(activity=activity, actor=facilitator, visible=True)
    archive = client.get(reverse("live:archive", kwargs={"pk": session.pk}))
    assert reverse("conversations:results", args=[activity.conversation_id]) in (
        archive.content.decode()
    )
    assert client.get(reverse("live:results_csv", kwargs={"pk": session.pk})).status_code == 200


def test_the_demo_runs_the_demo_conversation_in_a_workshop(client, plan):
    import io

    from accounts.models import Role
    from conversations.demo import load_demo_conversation
    from workshops.demo_conversation import live_conversation_demo_load

    facilitator = UserFactory(roles=[Role.FACILITATOR])
    accounts = {"facilitator": facilitator}
    conversation = load_demo_conversation(accounts=accounts)
    out = io.StringIO()
    session = live_conversation_demo_load(accounts=accounts, stdout=out)
    assert live_conversation_demo_load(accounts=accounts, stdout=out) is None  # once
    activity = session.current_activity
    assert (activity.kind, activity.conversation, activity.state) == (
        Activity.Kind.CONVERSATION,
        conversation,
        Activity.State.OPEN,
    )
    assert services.can_facilitate(user=facilitator, session=session)
    page = client.get(
        reverse("live:projector_link", kwargs={"token": session.projector_token})
    ).content.decode()
    assert all(f"Gruppo {letter}" in page for letter in "ABC")
    assert "data-live-consensus" in page
    phone = client.get(participate_url(session)).content.decode()
    assert "live-statement" in phone
