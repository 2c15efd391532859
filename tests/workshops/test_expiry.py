"""A workshop left running ends by itself LIVE_SESSION_MAX_HOURS after it started."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.workshops.factories import ActivityFactory, LiveSessionFactory
from workshops import services
from workshops.expiry import end_overdue_sessions
from workshops.models import Activity, Admission, LiveSession
from workshops.tasks import end_overdue_sessions as end_overdue_task

pytestmark = pytest.mark.django_db


def age(session: LiveSession, hours: float) -> LiveSession:
    LiveSession.objects.filter(pk=session.pk).update(
        created_at=timezone.now() - timedelta(hours=hours)
    )
    session.refresh_from_db()
    return session


def test_a_session_is_open_until_its_lifetime_ends(settings, plan):
    settings.LIVE_SESSION_MAX_HOURS = 12
    session = age(LiveSessionFactory(), 11.9)
    assert session.is_open
    assert LiveSession.objects.running().filter(pk=session.pk).exists()
    session = age(session, 12.1)
    assert not session.is_open
    assert not LiveSession.objects.running().filter(pk=session.pk).exists()
    assert LiveSession.objects.overdue().filter(pk=session.pk).exists()


def test_the_lifetime_is_a_setting(settings, plan):
    session = age(LiveSessionFactory(), 2)
    settings.LIVE_SESSION_MAX_HOURS = 3
    assert session.is_open
    settings.LIVE_SESSION_MAX_HOURS = 1
    assert not session.is_open
    assert session.expires_at == session.created_at + timedelta(hours=1)


def test_the_code_stops_working_on_access_before_the_task_runs(client, settings, plan):
    settings.LIVE_SESSION_MAX_HOURS = 12
    activity = ActivityFactory()
    session = age(activity.session, 13)
    assert session.status == LiveSession.Status.OPEN  # the periodic task has not run yet

    page = client.get(reverse("live:participate", kwargs={"code": session.code}))
    assert page.status_code == 404
    assert "Il laboratorio è terminato" in page.content.decode()
    joined = client.get(reverse("live:join"), {"code": session.code})
    assert "terminato" in joined.content.decode()
    answered = client.post(
        reverse("live:answer", kwargs={"code": session.code, "activity_pk": activity.pk}),
        {"choice": "0"},
    )
    assert answered.status_code == 302
    assert not activity.answers.exists()
    with pytest.raises(ValidationError):
        services.answer_submit(
            activity=activity, participant=services.Participant(key="dexpired-0001"), value=0
        )
    with pytest.raises(ValidationError):
        services.activity_add(
            session=session, actor=session.facilitator, kind="scale_1_5", prompt="Ancora?"
        )


def test_the_console_shows_an_overdue_session_as_closed(client, settings, plan):
    settings.LIVE_SESSION_MAX_HOURS = 12
    session = age(ActivityFactory().session, 13)
    client.force_login(session.facilitator)
    page = client.get(reverse("live:console", kwargs={"pk": session.pk})).content.decode()
    assert "Laboratorio chiuso" in page
    assert 'value="close_session"' not in page
    assert 'value="open"' not in page


def test_the_periodic_task_ends_overdue_sessions_the_way_a_facilitator_does(settings, plan):
    settings.LIVE_SESSION_MAX_HOURS = 12
    activity = ActivityFactory()
    services.session_admit(
        session=activity.session,
        participant=services.Participant(key="dexpiry-phone-1"),
        network="203.0.113.0/24",
    )
    overdue = age(activity.session, 12.5)
    fresh = LiveSessionFactory()

    assert end_overdue_sessions() == 1
    overdue.refresh_from_db()
    activity.refresh_from_db()
    fresh.refresh_from_db()
    assert overdue.status == LiveSession.Status.CLOSED
    assert overdue.closed_at == overdue.expires_at  # it ended at its expiry, not at the run
    assert activity.state == Activity.State.CLOSED
    assert not Admission.objects.filter(session=overdue).exclude(network="").exists()
    assert fresh.status == LiveSession.Status.OPEN
    assert end_overdue_sessions() == 0  # idempotent

    # the code is free again for a new session
    reused = LiveSessionFactory(code=overdue.code)
    assert reused.is_open


def test_the_celery_task_runs_the_same_rule(settings, plan):
    settings.LIVE_SESSION_MAX_HOURS = 12
    session = age(LiveSessionFactory(), 20)
    assert end_overdue_task.delay().get() == 1
    session.refresh_from_db()
    assert session.status == LiveSession.Status.CLOSED


def test_closing_an_overdue_session_by_hand_still_ends_it(settings, plan):
    settings.LIVE_SESSION_MAX_HOURS = 12
    session = age(LiveSessionFactory(), 13)
    services.session_close(session=session, actor=session.facilitator)
    session.refresh_from_db()
    assert session.status == LiveSession.Status.CLOSED


def test_the_console_says_when_the_session_will_end(client, settings, plan):
    settings.LIVE_SESSION_MAX_HOURS = 12
    session = LiveSessionFactory()
    client.force_login(session.facilitator)
    page = client.get(reverse("live:console", kwargs={"pk": session.pk})).content.decode()
    assert "si chiude da solo" in page


def test_the_demo_gets_a_new_workshop_once_the_old_one_expired(settings, plan):
    import io

    from accounts.models import Role
    from tests.factories import UserFactory
    from workshops.demo import live_demo_load

    settings.LIVE_SESSION_MAX_HOURS = 12
    accounts = {"facilitator": UserFactory(roles=[Role.FACILITATOR])}
    live_demo_load(accounts=accounts, stdout=io.StringIO())
    live_demo_load(accounts=accounts, stdout=io.StringIO())
    first = LiveSession.objects.get()
    age(first, 13)
    live_demo_load(accounts=accounts, stdout=io.StringIO())
    assert LiveSession.objects.count() == 2
    assert LiveSession.objects.running().get().pk != first.pk
