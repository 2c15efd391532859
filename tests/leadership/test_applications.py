"""Applying: drafts, documents, the deadline to the second, eligibility, receipts, withdrawal."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leadership import emails
from leadership.models import ApplicationStatus as S
from leadership.models import ApplicationTransition, Category
from leadership.pdfcheck import PdfRejected, check_pdf
from leadership.services.applications import (
    application_missing,
    application_save_draft,
    application_set_eligibility,
    application_start,
    application_submit,
    application_withdraw,
)
from leadership.services.documents import application_upload_document
from leadership.services.transitions import TRANSITIONS, application_transition
from tests.factories import UserFactory, years_ago
from tests.leadership import factories


def test_draft_is_saved_and_only_by_its_owner(call, user, other_user):
    application = application_start(call=call, applicant=user)
    question = call.questions.first()
    application_save_draft(
        application=application, actor=user, data={question.field_name: "metà frase"}
    )
    application.refresh_from_db()
    assert application.answers[question.field_name] == "metà frase"
    assert application.status == S.DRAFT
    with pytest.raises(PermissionDenied):
        application_save_draft(application=application, actor=other_user, data={})


def test_start_is_idempotent(call, user):
    first = application_start(call=call, applicant=user)
    assert application_start(call=call, applicant=user).pk == first.pk


def test_missing_items_are_listed_before_submission(call, user):
    application = application_start(call=call, applicant=user)
    missing = application_missing(application)
    assert any("categoria" in m for m in missing)
    assert any("Perché ti candidi?" in m for m in missing)
    assert any("Curriculum vitae" in m for m in missing)
    with pytest.raises(ValidationError):
        application_submit(application=application, actor=user)
    factories.fill_draft(application)
    assert application_missing(application) == []


def test_submission_assigns_protocol_checks_eligibility_and_audits(
    call, user, django_capture_on_commit_callbacks
):
    application = application_start(call=call, applicant=user)
    factories.fill_draft(application)
    with django_capture_on_commit_callbacks(execute=True):
        application = application_submit(application=application, actor=user)
    application.refresh_from_db()
    assert application.status == S.ELIGIBLE
    assert application.protocol.startswith("LC")
    history = list(application.transitions.values_list("from_status", "to_status", "actor_id"))
    assert history == [(S.DRAFT, S.SUBMITTED, user.pk), (S.SUBMITTED, S.ELIGIBLE, None)]
    assert len(mail.outbox) == 1
    assert application.protocol in mail.outbox[0].subject
    # one receipt per application, whatever happens next
    assert emails.receipt_queue(application) is None
    assert len(mail.outbox) == 1


def test_submission_one_second_late_is_refused(call, user):
    application = application_start(call=call, applicant=user)
    factories.fill_draft(application)
    late = call.closes_at + datetime.timedelta(seconds=1)
    with time_machine.travel(late), pytest.raises(ValidationError) as error:
        application_submit(application=application, actor=user)
    assert "si è chiuso" in str(error.value)
    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert not ApplicationTransition.objects.filter(application=application).exists()


def test_submission_at_the_closing_second_is_accepted(call, user):
    application = application_start(call=call, applicant=user)
    factories.fill_draft(application)
    with time_machine.travel(call.closes_at):
        application_submit(application=application, actor=user)
    application.refresh_from_db()
    assert application.status == S.ELIGIBLE


def test_draft_cannot_change_after_submission(call, user):
    application = factories.submitted_application(call, user)
    with pytest.raises(ValidationError):
        application_save_draft(application=application, actor=user, data={})


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"birth_date": years_ago(40)}, "40 anni"),
        ({"birth_date": years_ago(16)}, "16 anni"),
        ({"comune": None, "lives_outside_area": True}, "residenza"),
    ],
)
def test_ineligible_candidates_get_the_reason(call, fields, fragment):
    application = factories.submitted_application(call, **fields)
    application.refresh_from_db()
    assert application.status == S.INELIGIBLE
    assert fragment in application.eligibility_reason


def test_age_is_computed_on_the_closing_date(call):
    closing = timezone.localtime(call.closes_at).date()  # the day in Europe/Rome
    birthday = closing.replace(year=closing.year - 36) + datetime.timedelta(days=1)
    application = factories.submitted_application(call, birth_date=birthday)
    application.refresh_from_db()
    assert application.status == S.ELIGIBLE  # still 35 on the closing day


def test_category_not_allowed_is_ineligible(plan):
    call = factories.make_call(allow_administrators=False)
    user = UserFactory()
    application = application_start(call=call, applicant=user)
    factories.fill_draft(application, category=Category.ADMINISTRATOR)
    assert any("categoria" in m for m in application_missing(application))


def test_coordinator_corrects_eligibility_with_reason(call, coordinator):
    application = factories.submitted_application(call, birth_date=years_ago(40))
    with pytest.raises(PermissionDenied):
        application_set_eligibility(
            application=application, actor=application.applicant, eligible=True, reason="x"
        )
    with pytest.raises(ValidationError):
        application_set_eligibility(
            application=application, actor=coordinator, eligible=True, reason=" "
        )
    application_set_eligibility(
        application=application, actor=coordinator, eligible=True, reason="Deroga del bando"
    )
    application.refresh_from_db()
    assert application.status == S.ELIGIBLE
    last = application.transitions.last()
    assert (last.actor, last.reason) == (coordinator, "Deroga del bando")


def test_withdraw(call, user, other_user):
    application = factories.submitted_application(call, user)
    with pytest.raises(PermissionDenied):
        application_withdraw(application=application, actor=other_user)
    application_withdraw(application=application, actor=user)
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    with pytest.raises(ValidationError):
        application_withdraw(application=application, actor=user)


def test_invalid_transition_is_refused_and_not_audited(call, user):
    application = factories.submitted_application(call, user)
    before = application.transitions.count()
    with pytest.raises(ValidationError):
        application_transition(application=application, to=S.COMPLETED, actor=None)
    assert application.transitions.count() == before


# --------------------------------------------------------------------------- documents


def test_upload_stores_pdf_privately_with_random_name(call, user, settings):
    application = application_start(call=call, applicant=user)
    document = application_upload_document(
        application=application,
        requirement=call.documents.first(),
        upload=factories.pdf_upload("Mario Rossi CV.pdf"),
        actor=user,
    )
    assert str(settings.PRIVATE_MEDIA_ROOT) in document.file.path
    assert "Mario" not in document.file.name
    assert str(settings.MEDIA_ROOT) not in document.file.path
    # a second upload replaces the first
    application_upload_document(
        application=application,
        requirement=call.documents.first(),
        upload=factories.pdf_upload(),
        actor=user,
    )
    assert application.documents.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a not a pdf",
        b"",
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\nxref\ntrailer\n%%EOF",
        b"%PDF-1.4\n1 0 obj<</S/Launch/F(calc.exe)>>endobj\nxref\ntrailer\n%%EOF",
        b"%PDF-1.4\n1 0 obj<</S/J#61vaScript>>endobj\nxref\ntrailer\n%%EOF",
        b"%PDF-1.4\nno objects, no end",
    ],
)
def test_bad_pdfs_are_rejected(call, user, data):
    application = application_start(call=call, applicant=user)
    with pytest.raises(ValidationError):
        application_upload_document(
            application=application,
            requirement=call.documents.first(),
            upload=factories.pdf_upload(data=data),
            actor=user,
        )
    assert application.documents.count() == 0


def test_javascript_hidden_in_a_compressed_stream_is_found():
    from tests.leadership.pdf_corpus import HOSTILE

    data, _reason = HOSTILE["javascript in object stream"]
    assert b"/JavaScript" not in data  # only the parser sees it
    with pytest.raises(PdfRejected, match="codice eseguibile"):
        check_pdf(data, max_bytes=10**6)
    check_pdf(factories.pdf_bytes(), max_bytes=10**6)


def test_size_limit(call, user):
    call.max_document_mb = 1
    call.save()
    application = application_start(call=call, applicant=user)
    big = factories.pdf_bytes() + b"%" * (1024 * 1024)
    with pytest.raises(ValidationError) as error:
        application_upload_document(
            application=application,
            requirement=call.documents.first(),
            upload=factories.pdf_upload(data=big),
            actor=user,
        )
    assert "1 MB" in str(error.value)


@pytest.mark.parametrize("start", list(S))
def test_state_machine_allows_exactly_the_listed_transitions(call, user, start):
    from leadership.models import Application

    for target in S:
        application = Application.objects.create(call=call, applicant=UserFactory(), status=start)
        allowed = target in TRANSITIONS[start]
        if allowed:
            application_transition(application=application, to=target, actor=user, reason="test")
            application.refresh_from_db()
            assert application.status == target
            row = application.transitions.get()
            assert (row.from_status, row.to_status, row.actor, row.reason) == (
                start,
                target,
                user,
                "test",
            )
        else:
            with pytest.raises(ValidationError):
                application_transition(application=application, to=target, actor=user)
            assert not application.transitions.exists()


def test_draft_can_be_withdrawn(call, user):
    application = application_start(call=call, applicant=user)
    application_withdraw(application=application, actor=user)
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
