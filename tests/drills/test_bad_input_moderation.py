"""Drill: bad input in moderation (reports, blocks, official answers, version compare) and
report abuse (reports from accounts that may not take part never hide nor flag content).

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

from consultations.services import participation_record
from proposals.forms import ReportForm
from proposals.models import ModerationAction, ModerationVerb, Report, Visibility
from proposals.moderation.forms import AnswerForm, BlockForm, ReasonForm
from proposals.moderation.services import participant_block, proposal_answer
from proposals.services.reports import report_create
from tests.consultations.factories import make_consultation, make_facilitator
from tests.drills.test_bad_input import assert_answered, fuzz, hostile_texts
from tests.factories import UserFactory, years_ago
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


# --------------------------------------------------------------------------- report abuse
# Issue 11, finding 7: reports from accounts that may not take part (suspended, inactive,
# new, unverified, outside the age range) never count, and no number of reports hides
# content by itself: reaching the threshold only flags it for a moderator.
REPORTER_KINDS = ["established", "suspended", "inactive", "new", "unverified", "too_old"]


def _reporter(kind: str, consultation, facilitator):
    extra = {
        "established": {"established": True},
        "suspended": {"established": True},
        "inactive": {"established": True, "is_active": False},
        "new": {},
        "unverified": {"established": True, "verified": False},
        "too_old": {"established": True, "birth_date": years_ago(60)},
    }[kind]
    person = UserFactory(**extra)
    if kind == "suspended":
        # Only someone who took part can be suspended: they had commented, say.
        participation_record(consultation=consultation, user=person)
        participant_block(actor=facilitator, consultation=consultation, user=person, reason="x")
    return person


@pytest.fixture
def guarded(plan):
    return make_consultation(phases=("proposals",), report_threshold=3)


def test_three_suspended_reporters_cannot_hide_over_http(client, guarded):
    facilitator = make_facilitator(guarded)
    proposal = ProposalFactory(consultation=guarded, title="Una proposta scomoda")
    for _ in range(3):
        client.force_login(_reporter("suspended", guarded, facilitator))
        response = client.post(
            reverse("proposals:report", args=["proposta", proposal.pk]),
            {"reason": "offensive", "text": ""},
        )
        assert_answered(response, 200, 302)
    proposal.refresh_from_db()
    assert proposal.visibility == Visibility.PUBLISHED
    assert not ModerationAction.objects.filter(
        proposal=proposal, action__in=[ModerationVerb.FLAG, ModerationVerb.HIDE]
    ).exists()
    client.logout()
    assert "Una proposta scomoda" in client.get(proposal.get_absolute_url()).content.decode()


@settings(FUZZ, max_examples=40)
@given(kinds=st.lists(st.sampled_from(REPORTER_KINDS), min_size=1, max_size=6))
def test_no_mix_of_reporters_hides_and_only_established_ones_flag(guarded, kinds):
    facilitator = make_facilitator(guarded)
    proposal = ProposalFactory(consultation=guarded)
    for kind in kinds:
        try:
            report_create(
                reporter=_reporter(kind, guarded, facilitator), reason="spam", proposal=proposal
            )
        except (ValidationError, PermissionDenied) as refusal:
            assert_refusal(refusal)
    proposal.refresh_from_db()
    assert proposal.visibility == Visibility.PUBLISHED
    flagged = ModerationAction.objects.filter(proposal=proposal, action=ModerationVerb.FLAG).count()
    assert flagged == (1 if kinds.count("established") >= 3 else 0)


@settings(FUZZ, max_examples=150)
@given(
    old=texts, new=texts, version=texts, op=st.one_of(st.sampled_from(["approve", "reject"]), texts)
)
def test_versions_page_never_fails(
    client, consultation, facilitator, target, old, new, version, op
):
    url = reverse(
        "moderation:versions",
        kwargs={"consultation_id": consultation.pk, "proposal_id": target.pk},
    )
    client.force_login(facilitator)
    assert_answered(client.get(url, {"da": old, "a": new}), 200)
    assert_answered(client.post(url, {"op": op, "version": version, "reason": old}), 302, 404)
