"""A person's language: remembered from the site they read, used for what they receive."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.language import language_of
from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_language_a_person_reads_in_is_remembered(client):
    person = UserFactory()
    assert person.language == "it"
    client.force_login(person)
    # The address says the language: English under /en/, Italian everywhere else.
    assert client.get("/en/").status_code == 200
    assert User.objects.get(pk=person.pk).language == "en"
    client.get("/")
    assert User.objects.get(pk=person.pk).language == "it"


def test_nothing_is_written_when_the_language_does_not_change(client):
    person = UserFactory()
    client.force_login(person)
    client.get("/privacy/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/privacy/")
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]


def test_anonymous_visitors_and_unknown_codes(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/").status_code == 200
    assert language_of(User(language="xx")) == "it"
    assert language_of(None) == "it"


def test_notification_emails_reach_people_in_their_language(
    plan, django_capture_on_commit_callbacks
):
    from proposals.tasks import notify_comment_reply
    from tests.consultations.factories import make_consultation
    from tests.proposals.factories import CommentFactory, ProposalFactory

    english = UserFactory(language="en")
    proposal = ProposalFactory(consultation=make_consultation(phase="voting"))
    parent = CommentFactory(proposal=proposal, author=english)
    reply = CommentFactory(proposal=proposal, parent=parent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_comment_reply(reply.pk)
    assert len(mail.outbox) == 1
    assert "replied to your comment" in mail.outbox[0].subject
    assert mail.outbox[0].body.startswith("Hi ")
