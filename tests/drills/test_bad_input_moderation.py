"""Drill: bad input in moderation (reports, blocks, official answers).

Hypothesis against the report form and ``report_create`` (as a participant, also over HTTP),
the facilitator's block form and ``participant_block``, and the official answer form and
``proposal_answer``: each case ends in a saved object or a refusal with a message
(``ValidationError``, ``PermissionDenied`` or the form's errors), never a 5xx.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from proposals.forms import ReportForm
from proposals.models import Report
from proposals.moderation.forms import AnswerForm, BlockForm, ReasonForm
from proposals.moderation.services import participant_block, proposal_answer
from proposals.services.reports import report_create
from tests.consultations.factories import make_consultation, make_facilitator
from tests.drills.test_bad_input import assert_answered, fuzz, hostile_texts
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db

FUZZ = fuzz(500)
texts = hostile_texts(300)
reasons = st.one_of(
    st.sampled_from(["spam", "offensive", "personal_data", "off_topic", "other"]), texts
)


@pytest.fixture
def consultation(plan):
    return make_consultation(phases=("proposals",), report_threshold=0)


@pytest.fixture
def facilitator(consultation):
    return make_facilitator(consultation)


@pytest.fixture
def target(consultation):
    return ProposalFactory(consultation=consultation)


def assert_refusal(error: Exception) -> None:
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    assert any(str(m).strip() for m in messages), repr(error)


@settings(FUZZ, max_examples=700)
@given(reason=reasons, text=texts)
def test_report_form_and_service(target, reason, text):
    reporter = UserFactory()
    form = ReportForm({"reason": reason, "text": text})
    if not form.is_valid():
        assert form.errors
        return
    try:
        report = report_create(
            reporter=reporter,
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
            proposal=target,
        )
    except (ValidationError, PermissionDenied) as refusal:
        assert_refusal(refusal)
    else:
        assert Report.objects.filter(pk=report.pk).exists()


@settings(FUZZ, max_examples=150)
@given(reason=reasons, text=texts, kind=st.sampled_from(["proposta", "commento", "altro"]))
def test_report_over_http_never_fails(client, target, reason, text, kind):
    client.force_login(UserFactory())
    response = client.post(
        reverse("proposals:report", args=[kind, target.pk]), {"reason": reason, "text": text}
    )
    assert_answered(response, 200, 302, 404)


@settings(FUZZ, max_examples=500)
@given(
    user_id=st.one_of(st.integers().map(str), texts),
    reason=texts,
    use_target_author=st.booleans(),
)
def test_block_form_and_service(
    consultation, facilitator, target, user_id, reason, use_target_author
):
    data = {"user_id": str(target.author_id) if use_target_author else user_id, "reason": reason}
    form = BlockForm(data)
    if not form.is_valid():
        assert form.errors
        return
    from accounts.models import User

    person = User.objects.filter(pk=form.cleaned_data["user_id"]).first()
    if person is None:
        return  # the view answers 404 for an unknown person
    try:
        block = participant_block(
            actor=facilitator, consultation=consultation, user=person, reason=reason
        )
    except (ValidationError, PermissionDenied) as refusal:
        assert_refusal(refusal)
    else:
        assert block.reason.strip()


@settings(FUZZ, max_examples=600)
@given(
    status=st.one_of(
        st.sampled_from(["in_review", "accepted", "rejected", "implemented", "merged"]), texts
    ),
    answer=texts,
    merged=st.one_of(st.none(), st.just("OTHER"), st.integers().map(str), texts),
)
def test_answer_form_and_service(consultation, facilitator, target, status, answer, merged):
    other = ProposalFactory(consultation=consultation)
    merged = str(other.pk) if merged == "OTHER" else merged
    form = AnswerForm(
        {"status": status, "answer": answer, "merged_into": merged or ""}, proposal=target
    )
    if not form.is_valid():
        assert form.errors
        return
    try:
        change = proposal_answer(
            actor=facilitator,
            proposal=target,
            status=form.cleaned_data["status"],
            answer=form.cleaned_data["answer"],
            merged_into=form.cleaned_data["merged_into"],
        )
    except (ValidationError, PermissionDenied) as refusal:
        assert_refusal(refusal)
    else:
        assert change.to_status == form.cleaned_data["status"]


@settings(FUZZ, max_examples=300)
@given(reason=texts)
def test_reason_form_validates_or_explains(reason):
    form = ReasonForm({"reason": reason})
    assert form.is_valid() or form.errors["reason"]
