"""Drill: bad input in live workshops (join code, answers, ideas, activities).

Hypothesis against the join form over HTTP, the answer forms built for each activity kind
and ``answer_submit``, ideas (form, service and HTTP) and the facilitator's activity form
and ``activity_add``: each case ends in a saved object or a refusal (``ValidationError``) in
Italian (or the form's errors), never another exception or a 5xx. Ids arrive as Unicode digits
("²", "١٢"), overflowing numbers and signs in the console's ``activity``/``idea`` fields and in
the phones' URLs (issue 11, finding 12): a message or a redirect, nothing changed. The join form
may also answer 429 once the generated codes trip the guessing throttle.
"""

import itertools

import pytest
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from core.errors import REFUSALS, refusal_message
from tests.drills.test_bad_input import assert_answered, fuzz, hostile_texts
from tests.factories import UserFactory
from tests.workshops.factories import ActivityFactory, LiveSessionFactory
from workshops import services
from workshops.forms import (
    ActivityForm,
    IdeaForm,
    JoinForm,
    SessionCreateForm,
    answer_form_for,
)
from workshops.models import Activity
from workshops.services import Participant

pytestmark = pytest.mark.django_db

FUZZ = fuzz(500)
texts = hostile_texts(300)
_devices = itertools.count()
VALUES = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    texts,
    st.lists(st.one_of(st.integers(-3, 12).map(str), texts), max_size=12),
)


# Ids as people (or tools) type them: Unicode digits of any script, overflowing numbers, signs.
UNICODE_DIGITS = st.text(
    st.characters(categories=["Nd", "No"], exclude_characters="0123456789"),
    min_size=1,
    max_size=24,
)
ID_TEXTS = st.one_of(
    UNICODE_DIGITS,
    st.integers(10**18, 10**40).map(str),
    st.integers(-(10**20), -1).map(str),
    st.sampled_from(["²", "١٢", "٣", "①", "0x1", "1e3", "1.0", "", "+1"]),
)
CONSOLE_ACTIONS = ["open", "close", "show", "reveal", "hide", "approve", "unapprove"]


def device() -> Participant:
    return Participant(key=f"ddrill-{next(_devices):08d}")


@pytest.fixture
def session(plan):
    return LiveSessionFactory()


@pytest.fixture
def activities(session):
    options = ["La stazione", "Il cortile", "Il mercato"]
    return [
        ActivityFactory(
            session=session, kind=kind, options=[] if kind in ("ideas", "scale_1_5") else options
        )
        for kind in Activity.Kind.values
    ]


def _post_data(activity, raw):
    """Form data for ``activity`` from a generated value: lists become repeated fields."""
    names = {
        "single_choice": ["choice"],
        "multiple_choice": ["choices"],
        "scale_1_5": ["scale"],
        "ranking": [f"position_{p}" for p in range(1, len(activity.options) + 1)],
    }.get(activity.kind, ["text"])
    values = raw if isinstance(raw, list) else [raw]
    if activity.kind == "multiple_choice":
        return {"choices": values}
    return {name: values[i % len(values)] if values else "" for i, name in enumerate(names)}


@settings(FUZZ, max_examples=1000)
@given(index=st.integers(0, 4), raw=VALUES)
def test_answer_forms_and_service(activities, index, raw):
    activity = activities[index]
    form = answer_form_for(activity, _post_data(activity, raw))
    # what the form refuses goes to the service as is: it must refuse it too
    usable = activity.kind != Activity.Kind.IDEAS and form.is_valid()
    value = form.value() if usable else raw
    try:
        answer = services.answer_submit(activity=activity, participant=device(), value=value)
    except REFUSALS as refusal:
        assert refusal_message(refusal).strip()
    else:
        assert answer.pk
        assert answer.value is not None


@settings(FUZZ, max_examples=500)
@given(text=texts)
def test_idea_form_and_service(activities, text):
    """As the view does it: the form first (it refuses NUL characters), then the service."""
    activity = activities[Activity.Kind.values.index("ideas")]
    form = IdeaForm({"text": text})
    if not form.is_valid():
        assert form.errors["text"]
        return
    try:
        idea = services.idea_submit(
            activity=activity, participant=device(), text=form.cleaned_data["text"]
        )
    except REFUSALS as refusal:
        assert refusal_message(refusal).strip()
    else:
        assert idea.text.strip()
        assert len(idea.text) <= 280


@settings(FUZZ, max_examples=200)
@given(code=st.one_of(texts, st.text("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", min_size=6, max_size=6)))
@example(code="\x00\x00\x00\x00\x00\x00")
def test_join_code_over_http_never_fails(client, session, code):
    assert JoinForm({"code": code}).is_valid() in (True, False)
    response = client.get(reverse("live:join"), {"code": code})
    assert_answered(response, 200, 302, 429)


@settings(FUZZ, max_examples=200)
@given(index=st.integers(0, 4), raw=VALUES)
def test_answers_and_ideas_over_http_never_fail(client, activities, index, raw):
    activity = activities[index]
    code = activity.session.code
    name = "live:idea" if activity.kind == Activity.Kind.IDEAS else "live:answer"
    response = client.post(reverse(name, args=[code, activity.pk]), _post_data(activity, raw))
    assert_answered(response, 302, 404, 410)


@settings(FUZZ, max_examples=400)
@given(kind=st.one_of(st.sampled_from(Activity.Kind.values), texts), prompt=texts, options=texts)
def test_activity_form_and_service(session, kind, prompt, options):
    form = ActivityForm({"kind": kind, "prompt": prompt, "options": options})
    if not form.is_valid():
        assert form.errors
        return
    try:
        activity = services.activity_add(
            session=session,
            actor=session.facilitator,
            kind=form.cleaned_data["kind"],
            prompt=form.cleaned_data["prompt"],
            options=form.option_list(),
        )
    except REFUSALS as refusal:
        assert refusal_message(refusal).strip()
    else:
        assert activity.prompt.strip()


@settings(FUZZ, max_examples=150)
@given(title=texts)
def test_session_form_and_create(plan, title):
    from psm.models import ActionPage

    page = ActionPage.objects.live().order_by("path").first()
    form = SessionCreateForm({"page": page.pk, "title": title})
    if not form.is_valid():
        assert form.errors
        return
    facilitator = UserFactory(roles=[Role.FACILITATOR])
    try:
        created = services.session_create(
            page=page, facilitator=facilitator, title=form.cleaned_data["title"]
        )
    except REFUSALS as refusal:
        assert refusal_message(refusal).strip()
    else:
        assert created.code
        assert created.title.strip()


@settings(FUZZ, max_examples=300)
@given(action=st.sampled_from(CONSOLE_ACTIONS), raw=ID_TEXTS)
@example(action="open", raw="²")
@example(action="approve", raw="9" * 30)
def test_console_ids_never_fail(client, activities, action, raw):
    session = activities[0].session
    client.force_login(session.facilitator)
    before = list(session.activities.order_by("pk").values_list("state", "results_visible"))
    field = "idea" if action in {"approve", "unapprove"} else "activity"
    url = reverse("live:console_action", kwargs={"pk": session.pk})
    response = client.post(url, {"action": action, field: raw})
    assert_answered(response, 302)
    after = list(session.activities.order_by("pk").values_list("state", "results_visible"))
    assert after == before  # no generated value is the id of one of them


@settings(FUZZ, max_examples=150)
@given(raw=st.integers(10**18, 10**40), kind=st.sampled_from(["risposta", "idea"]))
def test_overflowing_activity_ids_in_phone_urls_never_fail(client, session, raw, kind):
    url = f"/laboratori/{session.code}/attivita/{raw}/{kind}/"
    assert_answered(client.post(url, {"choice": "0", "text": "Un'idea"}), 302)
