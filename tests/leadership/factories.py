"""Factories for the leadership programme: an edition, an open call, applications in any state."""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.pdfgen import canvas

from accounts.models import Role
from leadership.models import (
    CallCriterion,
    CallDocument,
    CallPage,
    CallQuestion,
    CallQuota,
    Category,
    ProgrammePage,
    QuestionKind,
)
from leadership.services.applications import (
    application_save_draft,
    application_start,
    application_submit,
)
from leadership.services.documents import application_upload_document
from psm.models import HomePage
from tests.factories import UserFactory


def pdf_bytes(text: str = "Curriculum vitae") -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, text)
    pdf.save()
    return buffer.getvalue()


def pdf_upload(name: str = "cv.pdf", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else pdf_bytes(), "application/pdf")


def make_programme(edition: int = 2027) -> ProgrammePage:
    existing = ProgrammePage.objects.filter(edition=edition).first()
    if existing:
        return existing
    home = HomePage.objects.get(locale__language_code="it")
    programme = ProgrammePage(
        title=f"Leadership civica {edition}", slug=f"leadership-{edition}", edition=edition
    )
    home.add_child(instance=programme)
    return programme


def make_call(
    *,
    seats: int = 3,
    opens_in: datetime.timedelta = datetime.timedelta(days=-1),
    closes_in: datetime.timedelta = datetime.timedelta(days=10),
    quotas: dict | None = None,
    reviewers_per_application: int = 2,
    slug: str | None = None,
    **fields,
) -> CallPage:
    programme = make_programme()
    now = timezone.now()
    count = CallPage.objects.count()
    call = CallPage(
        title=fields.pop("title", f"Bando {count + 1}"),
        slug=slug or f"bando-{count + 1}",
        opens_at=now + opens_in,
        closes_at=now + closes_in,
        seats=seats,
        reviewers_per_application=reviewers_per_application,
        **fields,
    )
    programme.add_child(instance=call)
    CallDocument.objects.create(call=call, label="Curriculum vitae", required=True, sort_order=0)
    CallDocument.objects.create(call=call, label="Altro", required=False, sort_order=1)
    CallQuestion.objects.create(
        call=call, label="Perché ti candidi?", kind=QuestionKind.LONG, max_chars=500, sort_order=0
    )
    CallQuestion.objects.create(
        call=call,
        label="Come ci hai conosciuto?",
        kind=QuestionKind.CHOICE,
        choices="Scuola\nSocial\nAmici",
        required=False,
        sort_order=1,
    )
    CallCriterion.objects.create(call=call, name="Motivazione", weight=Decimal("2"), sort_order=0)
    CallCriterion.objects.create(call=call, name="Esperienza", weight=Decimal("1"), sort_order=1)
    for kind, value in (quotas or {}).items():
        CallQuota.objects.create(call=call, kind=kind, value=Decimal(value))
    return call


def coordinator():
    return UserFactory(roles=[Role.COORDINATOR], is_staff=True)


def reviewer():
    return UserFactory(roles=[Role.REVIEWER])


def fill_draft(application, category=Category.STUDENT):
    call = application.call
    question = call.questions.get(kind=QuestionKind.LONG)
    application_save_draft(
        application=application,
        actor=application.applicant,
        data={"category": category, question.field_name: "Voglio capire come si decide."},
    )
    application_upload_document(
        application=application,
        requirement=call.documents.get(required=True),
        upload=pdf_upload(),
        actor=application.applicant,
    )
    application.refresh_from_db()
    return application


def submitted_application(call, applicant=None, category=Category.STUDENT, **user_fields):
    applicant = applicant or UserFactory(**user_fields)
    application = application_start(call=call, applicant=applicant)
    fill_draft(application, category=category)
    return application_submit(application=application, actor=applicant)


def close_call(call) -> CallPage:
    """Move the deadline one second into the past (the selection comes after closing)."""
    CallPage.objects.filter(pk=call.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    call.refresh_from_db()
    return call
