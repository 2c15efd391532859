"""Drill: stuffing a live workshop from outside the room (issue 11, findings 1 and 4).

Over HTTP with fresh cookie jars (one per "phone") and client addresses, against a running
session: new devices beyond the per-network and per-session bounds are refused with a message
and save nothing; code guessing from one network is throttled (429) after the allowed number
of wrong codes; an ended session's code is refused; nobody without the moderation right on the
consultation reaches the console, the projector, its link renewal or the ideas → proposals
action, and the database is unchanged. The bounds are lowered for the drill (the real ones are
in ``workshops.admissions`` and docs/permissions.md); the counts are printed and reported in
docs/reliability.md.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.consultations.factories import make_consultation, make_facilitator
from tests.drills.test_access import changed_tables, snapshot, snapshot_tables
from tests.workshops.factories import ActivityFactory
from workshops import admissions, services
from workshops.models import Activity, Admission, Answer, Idea
from workshops.services import Participant
from workshops.views import phones

pytestmark = pytest.mark.django_db

NETWORK_BOUND = 20
SESSION_BOUND = 50
JARS = 80  # fresh cookie jars thrown at one session: four times the network bound


@pytest.fixture
def low_bounds(monkeypatch):
    monkeypatch.setattr(admissions, "MAX_DEVICES_PER_NETWORK", NETWORK_BOUND)
    monkeypatch.setattr(admissions, "MAX_ADMISSIONS_PER_SESSION", SESSION_BOUND)


@pytest.fixture
def workshop(consultation):
    """A running session on the drill's consultation, with an open vote and an ideas activity
    holding an approved idea, conducted by one of the consultation's moderators."""
    runner = make_facilitator(consultation, is_staff=True)
    session = services.session_create(page=consultation, facilitator=runner, title="Aula magna")
    vote = ActivityFactory(session=session)
    ideas = ActivityFactory(session=session, kind=Activity.Kind.IDEAS, options=[], on_screen=False)
    services.idea_submit(
        activity=ideas,
        participant=Participant(key="dthe-room-0001"),
        text="Una sala prove nel quartiere",
    )
    Idea.objects.update(approved=True)
    return session, vote


def _jar(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_fresh_cookie_jars_beyond_the_bounds_are_refused(workshop, low_bounds):
    session, vote = workshop
    url = reverse("live:answer", kwargs={"code": session.code, "activity_pk": vote.pk})
    outcomes = {"saved": 0, "refused": 0}
    for n in range(JARS):
        response = _jar("198.51.100.23").post(url, {"choice": str(n % 3)}, follow=True)
        assert response.status_code in (200, 403)  # the phone page, or its refusal
        text = response.content.decode()
        if "Risposta registrata" in text:
            outcomes["saved"] += 1
        else:
            assert "è il massimo" in text  # the bound's message, in Italian
            outcomes["refused"] += 1
    print(
        f"STUFFING ONE NETWORK: {JARS} jars, {outcomes['saved']} saved, "
        f"{outcomes['refused']} refused"
    )
    assert outcomes["saved"] == NETWORK_BOUND
    assert vote.answers.count() == NETWORK_BOUND

    # many networks: the session's own bound holds
    for n in range(JARS):
        _jar(f"203.0.113.{n + 1}").post(url, {"choice": "0"})
    admitted = Admission.objects.filter(session=session).count()
    print(f"STUFFING {JARS} NETWORKS: {admitted} admitted (session bound {SESSION_BOUND})")
    assert admitted == SESSION_BOUND
    assert vote.answers.count() == SESSION_BOUND - 1  # one admission is the idea's author
    page = _jar("192.0.2.99").get(reverse("live:participate", kwargs={"code": session.code}))
    assert page.status_code == 403
    assert "numero massimo di partecipanti" in page.content.decode()


def test_code_guessing_is_throttled(workshop):
    session, _vote = workshop
    join = reverse("live:join")
    guesser = _jar("198.51.100.77")
    answered = {200: 0, 429: 0}
    for n in range(300):
        status = guesser.get(join, {"code": f"ZZZ{n:03d}"}).status_code
        answered[status] = answered.get(status, 0) + 1
    print(f"CODE GUESSES: 300 tried, {answered[200]} answered, {answered[429]} throttled")
    assert answered[200] == phones.CODE_GUESSES.limit
    assert answered[429] == 300 - phones.CODE_GUESSES.limit
    # the throttled network learns nothing, not even from the right code
    assert guesser.get(join, {"code": session.code}).status_code == 429
    code_url = reverse("live:participate", kwargs={"code": session.code})
    assert guesser.get(code_url).status_code == 429


def test_an_ended_session_code_is_refused(workshop):
    session, vote = workshop
    services.session_close(session=session, actor=session.facilitator)
    phone = _jar("192.0.2.5")
    response = phone.get(reverse("live:join"), {"code": session.code})
    assert "è terminato" in response.content.decode()
    assert phone.get(reverse("live:participate", kwargs={"code": session.code})).status_code == 404
    url = reverse("live:answer", kwargs={"code": session.code, "activity_pk": vote.pk})
    phone.post(url, {"choice": "1"})
    assert not Answer.objects.filter(activity=vote).exists()


def test_a_facilitator_of_another_consultation_changes_nothing(client, workshop):
    session, vote = workshop
    outsider = make_facilitator(make_consultation(), is_staff=True)
    client.force_login(outsider)
    pk = {"pk": session.pk}
    tables = snapshot_tables()
    before = snapshot(tables)
    answers = {}
    for name in ("live:console", "live:projector", "live:results_csv"):
        answers[name] = client.get(reverse(name, kwargs=pk)).status_code
    posts = {
        "live:ideas_to_proposals": {},
        "live:console_action": {"action": "close_session"},
        "live:activity_add": {"kind": "ideas", "prompt": "Intrusione"},
        "live:projector_link_renew": {},
    }
    for name, body in posts.items():
        answers[name] = client.post(reverse(name, kwargs=pk), body).status_code
    # the session's socket refuses them too: same rule as the projector page
    assert not services.may_watch(session=session, user=outsider, participant_key=None, token="")
    # and creating a workshop on this consultation to publish into it
    answers["live:create"] = client.post(
        reverse("live:create"), {"page": session.page_id, "title": "Intrusione"}
    ).status_code
    changed = changed_tables(before, snapshot(tables))
    print(f"OTHER CONSULTATION'S FACILITATOR: {len(answers)} doors, {answers}")
    assert all(status in (200, 403) for status in answers.values()), answers
    assert answers["live:create"] == 200  # the form again, with the refusal
    assert all(status == 403 for name, status in answers.items() if name != "live:create")
    assert not changed, changed
