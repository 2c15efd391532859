"""Bursts coalesced (issue 14): at most one event per group per 100 ms, none lost, the last one
built from the data as it stands."""

import pytest

import realtime.broadcast as realtime
from proposals.services.votes import vote_cast
from realtime.coalesce import Coalescer
from tests.consultations.factories import make_consultation
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory


class FakeTime:
    def __init__(self):
        self.now = 1000.0
        self.timers: list[tuple[float, object]] = []

    def clock(self):
        return self.now

    def schedule(self, delay, function):
        self.timers.append((self.now + delay, function))

    def advance(self, seconds):
        self.now += seconds
        due = [t for t in self.timers if t[0] <= self.now]
        self.timers = [t for t in self.timers if t[0] > self.now]
        for _when, function in due:
            function()


def test_a_burst_becomes_one_event_per_window_and_nothing_is_lost():
    fake = FakeTime()
    coalescer = Coalescer(window=0.1, clock=fake.clock, schedule=fake.schedule)
    sent: list[tuple[float, object]] = []
    totals = {}

    def vote(proposal):
        totals[proposal] = totals.get(proposal, 0) + 1
        coalescer.submit(
            "psm.consultation.1",
            proposal,
            lambda p=proposal, n=totals[proposal]: sent.append((fake.now, {p: n})),
            lambda keys: sent.append((fake.now, {k: totals[k] for k in keys})),
        )

    for i in range(1000):  # 1,000 votes a second on 7 proposals, for one second
        vote(i % 7)
        fake.advance(0.001)
    fake.advance(1)
    times = [when for when, _ in sent]
    assert 10 <= len(sent) <= 11
    assert all(b - a >= 0.1 - 1e-9 for a, b in zip(times, times[1:], strict=False))
    last_seen = {}
    for _when, event in sent:
        last_seen.update(event)
    assert last_seen == totals  # the final totals reached the sockets


def test_a_lone_change_goes_out_at_once_and_groups_do_not_wait_for_each_other():
    fake = FakeTime()
    coalescer = Coalescer(window=0.1, clock=fake.clock, schedule=fake.schedule)
    sent = []
    for group in ("a", "b"):
        coalescer.submit(group, 1, lambda g=group: sent.append(g), lambda keys: None)
    assert sent == ["a", "b"]
    assert not fake.timers
    fake.advance(0.2)
    coalescer.submit("a", 1, lambda: sent.append("a again"), lambda keys: None)
    assert sent[-1] == "a again"


def test_the_window_runs_from_the_end_of_a_slow_send():
    """A busy worker took 80 ms to send the leading event, and a vote came meanwhile: the
    trailing event still leaves a full window after the leading one went out."""
    fake = FakeTime()
    coalescer = Coalescer(window=0.1, clock=fake.clock, schedule=fake.schedule)
    sends = []  # (what, started, finished)

    def leading():
        started = fake.now
        fake.now += 0.01
        coalescer.submit("g", 2, lambda: sends.append(("not leading",)), trailing)
        fake.now += 0.07
        sends.append(("leading", started, fake.now))

    def trailing(keys):
        sends.append(("trailing", fake.now, fake.now))

    coalescer.submit("g", 1, leading, trailing)
    fake.advance(0.02)  # the timer set during the send fires at the window's first end
    assert [send[0] for send in sends] == ["leading"]
    fake.advance(0.08)
    assert [send[0] for send in sends] == ["leading", "trailing"]
    assert sends[1][1] - sends[0][2] >= 0.1 - 1e-9


def test_no_trailing_event_while_the_leading_one_is_still_going_out():
    """The window's timer fired while the leading event was still being sent (a worker busy
    for longer than the window): the trailing event waits for that send, then a window."""
    fake = FakeTime()
    coalescer = Coalescer(window=0.1, clock=fake.clock, schedule=fake.schedule)
    sends = []

    def leading():
        coalescer.submit("g", 2, lambda: sends.append(("not leading", 0)), trailing)
        fake.advance(0.15)  # the timer fires during this send
        sends.append(("leading", fake.now))

    def trailing(keys):
        sends.append(("trailing", fake.now))

    coalescer.submit("g", 1, leading, trailing)
    assert [send[0] for send in sends] == ["leading"]
    fake.advance(0.09)
    assert [send[0] for send in sends] == ["leading"]
    fake.advance(0.02)
    assert [send[0] for send in sends] == ["leading", "trailing"]
    assert sends[1][1] - sends[0][1] >= 0.1 - 1e-9


@pytest.mark.django_db
def test_votes_in_a_burst_end_with_fresh_totals(
    plan, monkeypatch, django_capture_on_commit_callbacks
):
    fake = FakeTime()
    monkeypatch.setattr(
        realtime, "coalescer", Coalescer(window=0.1, clock=fake.clock, schedule=fake.schedule)
    )
    sent = []
    monkeypatch.setattr(realtime, "send_now", lambda *args: sent.append(args) or True)
    consultation = make_consultation(phase="voting")
    first, second = (
        ProposalFactory(consultation=consultation),
        ProposalFactory(consultation=consultation),
    )
    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(proposal=first, voter=UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(proposal=second, voter=UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(proposal=second, voter=UserFactory())
    group = f"psm.consultation.{consultation.pk}"
    assert sent == [(group, "proposal.totals", {"proposal": first.pk, "supports": 1})]
    fake.advance(0.1)
    assert sent[1:] == [
        (
            group,
            "proposals.totals",
            {"consultation": consultation.pk, "supports": {str(second.pk): 2}},
        )
    ]
