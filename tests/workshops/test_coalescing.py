"""A class answering at once: the screens get at most one push per coalescing window, and the
last push of a burst shows every answer (issue 14, live fan-out)."""

import pytest

import workshops.announce as announce
import workshops.services as services
from realtime.coalesce import Coalescer
from tests.realtime.test_coalesce import FakeTime
from tests.workshops.factories import ActivityFactory
from workshops.admissions import Participant

pytestmark = pytest.mark.django_db


def test_a_burst_of_answers_sends_one_push_then_one_with_all_of_them(
    plan, monkeypatch, django_capture_on_commit_callbacks
):
    fake = FakeTime()
    monkeypatch.setattr(
        announce, "coalescer", Coalescer(window=0.1, clock=fake.clock, schedule=fake.schedule)
    )
    pushed = []
    monkeypatch.setattr(
        announce,
        "send_state",
        lambda session_id: pushed.append(
            services.Answer.objects.filter(activity__session_id=session_id).count()
        ),
    )
    activity = ActivityFactory()
    for n in range(30):  # each answer commits on its own, as from 30 phones
        with django_capture_on_commit_callbacks(execute=True):
            services.answer_submit(
                activity=activity,
                participant=Participant(key=f"dtoken-{n:04d}-abcdefgh"),
                value=n % 3,
            )
    assert pushed == [1]  # the first answer at once, the other 29 wait for the window's end
    fake.advance(0.1)
    assert pushed == [1, 30]  # one push for the burst, built after every answer
