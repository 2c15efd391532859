"""Who reaches a live workshop: projector and its link, code guessing, device bounds, and the
moderation right on the consultation behind every facilitator action (issue 11, findings 1
and 4)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from proposals.models import Proposal
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory
from tests.workshops.factories import ActivityFactory, LiveSessionFactory
from workshops import admissions, services
from workshops.models import Activity, Admission, Idea, LiveSession
from workshops.services import Participant
from workshops.views import phones

pytestmark = pytest.mark.django_db


def participate_url(session) -> str:
    return reverse("live:participate", kwargs={"code": session.code})


def phone(address: str = "10.0.0.1") -> Client:
    """A fresh cookie jar from a client address."""
    return Client(REMOTE_ADDR=address)


# --------------------------------------------------------------------------- projector


def test_projector_is_not_public(client, plan, user):
    session = LiveSessionFactory()
    url = reverse("live:projector", kwargs={"pk": session.pk})
    anonymous = client.get(url)
    assert anonymous.status_code == 302  # to the login page
    assert session.code not in anonymous.content.decode()
    client.force_login(user)
    refused = client.get(url)
    assert refused.status_code == 403
    assert session.code not in refused.content.decode()
    assert "solo chi" in refused.content.decode().lower()
    client.force_login(session.facilitator)
    page = client.get(url)
    assert page.status_code == 200
    assert session.code in page.content.decode()
    assert "<svg" in page.content.decode()  # the QR code, inline: no code-keyed request


def test_projector_link_opens_the_screen_without_a_login(client, plan):
    session = services.session_create(
        page=LiveSessionFactory().page,
        facilitator=UserFactory(roles=[Role.FACILITATOR]),
        title="Aula magna",
    )
    assert len(session.projector_token) >= 40
    url = reverse("live:projector_link", kwargs={"token": session.projector_token})
    page = client.get(url)
    assert page.status_code == 200
    assert session.code in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"  # the secret never leaves for other sites
    assert f"?schermo={session.projector_token}" in page.content.decode()
    fragment = client.get(url, {"fragment": "1"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    guessed = reverse("live:projector_link", kwargs={"token": "x" * 43})
    assert client.get(guessed).status_code == 404


def test_regenerating_the_link_revokes_the_old_one(client, plan, user):
    session = LiveSessionFactory(projector_token="a" * 43)
    old = reverse("live:projector_link", kwargs={"token": "a" * 43})
    renew = reverse("live:projector_link_renew", kwargs={"pk": session.pk})
    client.force_login(user)
    assert client.post(renew).status_code == 403
    assert LiveSession.objects.get(pk=session.pk).projector_token == "a" * 43
    client.force_login(session.facilitator)
    response = client.post(renew, follow=True)
    assert "Nuovo collegamento per lo schermo" in response.content.decode()
    session.refresh_from_db()
    assert session.projector_token != "a" * 43
    assert session.projector_token in response.content.decode()  # shown in the console
    assert Client().get(old).status_code == 404
    new = reverse("live:projector_link", kwargs={"token": session.projector_token})
    assert Client().get(new).status_code == 200


def test_a_session_without_a_link_has_no_link_page(client, plan):
    LiveSessionFactory(projector_token="")
    for token in ("abc", "%20", "0" * 64, "²" * 40):
        assert client.get(f"/laboratori/schermo/{token}/").status_code == 404


# --------------------------------------------------------------------------- code guessing


def test_code_guessing_is_throttled_per_network(plan):
    session = LiveSessionFactory(code="HKMNPR")
    guesser = phone("203.0.113.7")
    join = reverse("live:join")
    for n in range(phones.CODE_GUESSES.limit):
        assert guesser.get(join, {"code": f"XXXX{n:02d}"}).status_code == 200
    throttled = guesser.get(join, {"code": session.code})  # even the right code, now
    assert throttled.status_code == 429
    assert "Troppi codici sbagliati" in throttled.content.decode()
    assert guesser.get(participate_url(session)).status_code == 429
    qr = reverse("live:qr", kwargs={"code": session.code})
    assert guesser.get(qr).status_code == 429
    # another network is not affected
    assert phone("198.51.100.1").get(join, {"code": session.code}).status_code == 302


def test_a_throttled_network_keeps_its_admitted_devices(plan):
    session = LiveSessionFactory(code="HKMNPR")
    student = phone("203.0.113.8")
    assert student.get(participate_url(session)).status_code == 200
    for n in range(phones.CODE_GUESSES.limit):
        phone("203.0.113.8").get(reverse("live:join"), {"code": f"XXXX{n:02d}"})
    assert student.get(participate_url(session)).status_code == 200
    assert phone("203.0.113.8").get(participate_url(session)).status_code == 429


def test_ended_session_code_is_refused_with_a_message(plan):
    session = LiveSessionFactory(code="HKMNPR", closed=True)
    response = phone().get(reverse("live:join"), {"code": "HKMNPR"})
    assert "è terminato" in response.content.decode()
    assert phone().get(participate_url(session)).status_code == 404
    activity = ActivityFactory(session=session, state=Activity.State.CLOSED)
    url = reverse("live:answer", kwargs={"code": session.code, "activity_pk": activity.pk})
    phone().post(url, {"choice": "0"})
    assert not activity.answers.exists()
    assert not Admission.objects.exists()


def test_ended_session_codes_do_not_count_as_guesses(plan):
    LiveSessionFactory(code="HKMNPR", closed=True)
    for _n in range(phones.CODE_GUESSES.limit + 5):
        response = phone("203.0.113.9").get(reverse("live:join"), {"code": "HKMNPR"})
        assert response.status_code == 200


# --------------------------------------------------------------------------- device bounds


def test_fresh_cookie_jars_beyond_the_network_bound_are_refused(plan, monkeypatch):
    monkeypatch.setattr(admissions, "MAX_DEVICES_PER_NETWORK", 3)
    activity = ActivityFactory()
    url = reverse("live:answer", kwargs={"code": activity.session.code, "activity_pk": activity.pk})
    for _n in range(3):
        assert phone("192.0.2.10").post(url, {"choice": "1"}).status_code == 302
    refused = phone("192.0.2.10").post(url, {"choice": "1"}, follow=True)
    assert "sono già entrati 3 dispositivi" in refused.content.decode()
    page = phone("192.0.2.10").get(participate_url(activity.session))
    assert page.status_code == 403
    assert "sono già entrati 3 dispositivi" in page.content.decode()
    assert activity.answers.count() == 3
    # another network, and people logged in, still come in
    assert phone("192.0.2.11").post(url, {"choice": "1"}).status_code == 302
    member = phone("192.0.2.10")
    member.force_login(UserFactory())
    member.post(url, {"choice": "1"})
    assert activity.answers.count() == 5


def test_session_bound_counts_every_device_and_person(plan, monkeypatch):
    monkeypatch.setattr(admissions, "MAX_ADMISSIONS_PER_SESSION", 2)
    session = LiveSessionFactory()
    for n in range(2):
        services.session_admit(session=session, participant=Participant(key=f"dbound-{n:04d}"))
    with pytest.raises(ValidationError, match="numero massimo di partecipanti"):
        services.session_admit(session=session, participant=Participant(key="dbound-late"))
    # who is in already stays in
    services.session_admit(session=session, participant=Participant(key="dbound-0000"))
    assert session.admissions.count() == 2


def test_closing_forgets_the_networks(plan):
    session = LiveSessionFactory()
    services.session_admit(
        session=session, participant=Participant(key="dnet-0001"), network="192.0.2.1"
    )
    stored = Admission.objects.get().network
    assert stored
    assert "192.0.2.1" not in stored  # a keyed hash, not the address
    services.session_close(session=session, actor=session.facilitator)
    assert Admission.objects.get().network == ""


def test_a_class_of_200_behind_one_nat_gets_in(plan):
    activity = ActivityFactory()
    for n in range(200):
        services.answer_submit(
            activity=activity,
            participant=Participant(key=f"dclass-{n:04d}"),
            value=n % 3,
            network="192.0.2.200",
        )
    assert activity.answers.count() == 200


# --------------------------------------------------------------------------- finding 4


@pytest.fixture
def two_consultations(plan):
    own, other = make_consultation(), make_consultation()
    return own, other, make_facilitator(own, is_staff=True), make_facilitator(other, is_staff=True)


def test_facilitator_cannot_open_a_workshop_on_another_consultation(two_consultations):
    own, other, facilitator, _other_facilitator = two_consultations
    with pytest.raises(PermissionDenied):
        services.session_create(page=other, facilitator=facilitator, title="Intrusione")
    assert not LiveSession.objects.exists()
    assert services.session_create(page=own, facilitator=facilitator, title="Mio").pk


def test_ideas_reach_only_a_consultation_the_actor_moderates(two_consultations):
    _own, other, facilitator, other_facilitator = two_consultations
    # a session run on B by someone who does not moderate B (e.g. made before the fix)
    session = LiveSessionFactory(page=other, facilitator=facilitator)
    activity = ActivityFactory(session=session, kind=Activity.Kind.IDEAS, options=[])
    services.idea_submit(activity=activity, participant=Participant(key="didea-1"), text="Orto")
    Idea.objects.update(approved=True)
    for action in (
        lambda: services.session_ideas_to_proposals(session=session, actor=facilitator),
        lambda: services.activity_close(activity=activity, actor=facilitator),
        lambda: services.idea_set_approved(
            idea=Idea.objects.get(), actor=facilitator, approved=False
        ),
        lambda: services.session_close(session=session, actor=facilitator),
        lambda: services.projector_link_renew(session=session, actor=facilitator),
        lambda: services.activity_add(
            session=session, actor=facilitator, kind="ideas", prompt="Altro?"
        ),
    ):
        with pytest.raises(PermissionDenied):
            action()
    assert not Proposal.objects.exists()
    assert LiveSession.objects.get().is_open
    # B's own moderators (staff) may still conduct it, and close it
    assert services.can_facilitate(user=other_facilitator, session=session)


def test_facilitator_of_another_consultation_is_refused_at_every_door(client, two_consultations):
    _own, other, facilitator, other_facilitator = two_consultations
    session = LiveSessionFactory(page=other, facilitator=other_facilitator)
    ActivityFactory(session=session, kind=Activity.Kind.IDEAS, options=[])
    client.force_login(facilitator)
    pk = {"pk": session.pk}
    for name in ("live:console", "live:projector", "live:results_csv"):
        assert client.get(reverse(name, kwargs=pk)).status_code == 403, name
    for name in (
        "live:ideas_to_proposals",
        "live:console_action",
        "live:activity_add",
        "live:projector_link_renew",
    ):
        assert client.post(reverse(name, kwargs=pk), {"action": "next"}).status_code == 403
    assert not Proposal.objects.exists()


def test_a_withdrawn_grant_ends_the_conduct(two_consultations):
    own, _other, facilitator, _other_facilitator = two_consultations
    session = services.session_create(page=own, facilitator=facilitator, title="Mio")
    facilitator.groups.filter(name__startswith="Facilitazione").delete()
    facilitator = type(facilitator).objects.get(pk=facilitator.pk)
    assert not services.can_facilitate(user=facilitator, session=session)


# --------------------------------------------------------------------------- finding 12


def test_console_action_with_unicode_digits_is_a_message(client, plan):
    session = ActivityFactory().session
    client.force_login(session.facilitator)
    url = reverse("live:console_action", kwargs={"pk": session.pk})
    for raw in ("²", "١٢", "9" * 25, "-1", ""):
        response = client.post(url, {"action": "open", "activity": raw}, follow=True)
        assert response.status_code == 200
        assert "Attività non trovata" in response.content.decode()


def test_overflowing_activity_id_in_the_phone_url(plan):
    session = ActivityFactory().session
    url = f"/laboratori/{session.code}/attivita/{'9' * 30}/risposta/"
    response = phone().post(url, {"choice": "0"})
    assert response.status_code == 302


def test_a_persons_admissions_are_exported_and_erased(plan, user):
    from accounts.services import user_delete, user_export_data

    session = LiveSessionFactory(title="Laboratorio di via Roma")
    services.session_admit(session=session, participant=Participant(key=f"u{user.pk}", user=user))
    exported = user_export_data(user=user)["live"]["joined_sessions"]
    assert exported[0]["session__title"] == "Laboratorio di via Roma"
    user_delete(user=user)
    assert not Admission.objects.exists()
