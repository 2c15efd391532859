"""The accessibility declaration and its feedback form: it reaches the staff, says so, refuses
an empty message and too many messages from one network."""

import pytest
from django.urls import reverse

from accounts.models import Role
from notifications.feedback import FEEDBACK_WINDOW
from notifications.models import Notification, NotificationKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/accessibilita/"


@pytest.fixture
def staff(db):
    return [UserFactory(roles=[Role.EDITOR]), UserFactory(is_superuser=True, is_staff=True)]


def test_the_declaration_states_the_checks_and_the_last_check_date(client, settings):
    import datetime

    settings.ACCESSIBILITY_LAST_CHECK = datetime.date(2026, 12, 18)
    html = client.get(URL).content.decode()
    assert "parzialmente conforme" in html
    assert "Ultimo controllo: 18 dicembre 2026." in html
    assert "360 pixel" in html
    assert 'name="message"' in html
    assert reverse("accessibility") in client.get("/privacy/").content.decode()  # footer link


def test_feedback_reaches_the_staff_and_is_confirmed(
    client, staff, django_capture_on_commit_callbacks, mailoutbox
):
    bystander = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {
                "message": "Il calendario delle fasi non si legge con il lettore di schermo.",
                "page_url": "/partecipa/1/",
                "reply_to": "chi.scrive@example.org",
            },
            follow=True,
        )
    assert "Grazie: la tua segnalazione è arrivata" in response.content.decode()
    notes = Notification.objects.filter(kind=NotificationKind.ACCESSIBILITY_FEEDBACK)
    assert {note.user for note in notes} == set(staff)
    assert not notes.filter(user=bystander).exists()
    assert "chi.scrive@example.org" in notes[0].body
    assert "/partecipa/1/" in notes[0].body
    assert len(mailoutbox) == 2


def test_an_empty_message_is_refused_and_nothing_is_sent(client, staff):
    response = client.post(URL, {"message": "   "})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Notification.objects.exists()


def test_a_bad_email_is_a_clear_error(client, staff):
    response = client.post(URL, {"message": "Problema", "reply_to": "non-una-mail"})
    assert response.status_code == 200
    assert not Notification.objects.exists()


def test_too_many_messages_from_one_network_are_refused(client, staff):
    for _ in range(FEEDBACK_WINDOW.limit):
        assert client.post(URL, {"message": "Non vedo il pulsante."}).status_code == 302
    response = client.post(URL, {"message": "Non vedo il pulsante."})
    assert response.status_code == 200
    assert "riprova tra un" in response.content.decode()
    assert Notification.objects.count() == FEEDBACK_WINDOW.limit * len(staff)
