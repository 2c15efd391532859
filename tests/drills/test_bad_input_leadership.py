"""Drill: bad input in the leadership programme (calls, applications, review, pathway).

Hypothesis against the application form and its autosave, the PDF check and the document
upload service, the review form and scores, the coordinator's ranking correction and the
pathway's session form; each case ends in a saved object or a refusal in Italian
(``ValidationError`` / ``PermissionDenied`` with a message, or the form's errors). Upload
attacks go over HTTP as a candidate: refused with a message and nothing saved, or, for a
valid PDF with a hostile name, saved under a generated name inside the private storage.
"""

import datetime
import re
import zlib
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given, settings
from hypothesis import strategies as st

from leadership.forms import AdjustForm, ApplicationForm, DocumentForm, ReviewForm, SessionForm
from leadership.models import Application, ApplicationDocument, Cohort, Review, Session, Stage
from leadership.models import ApplicationStatus as S
from leadership.pdfcheck import PdfRejected, check_pdf
from leadership.services.applications import application_save_draft, application_start
from leadership.services.documents import application_upload_document
from leadership.services.pathway import attendance_check_in, session_checkin_token, session_create
from leadership.services.reviews import review_assign, review_submit
from leadership.services.selection import selection_adjust
from tests.drills.test_bad_input import assert_answered, fuzz, hostile_texts
from tests.factories import UserFactory
from tests.leadership import factories
from tests.leadership.pdf_corpus import HOSTILE

pytestmark = pytest.mark.django_db

FUZZ = fuzz(500)
texts = hostile_texts(300)
short_texts = hostile_texts(40)
MAX_BYTES = 2 * 1024 * 1024


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def call(plan):
    return factories.make_call()


@pytest.fixture
def candidate(db):
    return UserFactory()


@pytest.fixture
def draft(call, candidate):
    return application_start(call=call, applicant=candidate)


@pytest.fixture
def coordinator(db):
    return factories.coordinator()


@pytest.fixture
def review(call, coordinator):
    """One application under review, assigned to one reviewer."""
    application = factories.submitted_application(call)
    reviewer = factories.reviewer()
    return review_assign(application=application, reviewer=reviewer, actor=coordinator)


def assert_refusal(error: Exception) -> None:
    """A refusal people can read: at least one non-empty message."""
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    assert any(str(m).strip() for m in messages), repr(error)


# --------------------------------------------------------------------------- PDF check
PDF_PARTS = [
    b"%PDF-1.7\n",
    b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
    b"2 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n",
    b"3 0 obj << /S /Launch /F (cmd.exe) >> endobj\n",
    b"/J#61vaScript",
    b"4 0 obj << /Filter /FlateDecode >>\nstream\n"
    + zlib.compress(b"<< /JS (alert(1)) >>")
    + b"\nendstream\nendobj\n",
    b"stream\n\x78\x9c\xff\xff\nendstream",
    b"xref\n0 1\n0000000000 65535 f \n",
    b"trailer << /Root 1 0 R >>\nstartxref\n0\n",
    b"%%EOF\n",
    b"\x00" * 10,
]
pdf_like = st.one_of(
    st.binary(max_size=300),
    st.binary(max_size=512).map(lambda tail: b"%PDF-1.4\n" + tail),
    st.lists(st.sampled_from(PDF_PARTS), max_size=12).map(b"".join),
)


@settings(FUZZ, max_examples=2500)
@given(data=pdf_like)
@example(data=factories.pdf_bytes())
def test_pdf_check_accepts_or_explains(data):
    try:
        check_pdf(data, max_bytes=MAX_BYTES)
    except PdfRejected as refusal:
        assert str(refusal).strip()
    else:
        lowered = data.lower()
        assert b"/javascript" not in lowered
        assert b"/launch" not in lowered


# --------------------------------------------------------------------------- application
def _answers(call):
    names = [q.field_name for q in call.questions.all()]
    return st.dictionaries(st.sampled_from([*names, "category", "extra"]), texts, max_size=4)


@FUZZ
@given(data=st.data())
def test_application_form_and_autosave_service(draft, data):
    values = data.draw(_answers(draft.call))
    form = ApplicationForm(values, call=draft.call, application=draft)
    form.is_valid()
    try:
        saved = application_save_draft(
            application=draft, actor=draft.applicant, data=form.cleaned_data
        )
    except (ValidationError, PermissionDenied) as refusal:
        assert_refusal(refusal)
    else:
        assert Application.objects.get(pk=saved.pk).status == S.DRAFT


@settings(FUZZ, max_examples=150)
@given(data=st.data())
def test_autosave_over_http_answers_json(client, draft, data):
    client.force_login(draft.applicant)
    values = data.draw(_answers(draft.call))
    response = client.post(reverse("leadership:autosave", args=[draft.pk]), values)
    assert_answered(response, 200, 409)
    if response.status_code == 400:
        return
    body = response.json()
    assert body["ok"] or body["error"].strip()


@settings(FUZZ, max_examples=400)
@given(name=short_texts, content=pdf_like, requirement=st.integers(-(2**40), 2**40))
def test_document_form_and_upload_service(draft, name, content, requirement):
    call = draft.call
    real = call.documents.first()
    try:
        upload = SimpleUploadedFile(name or "x.pdf", content, "application/pdf")
    except SuspiciousFileOperation:  # ".", "..": Django's upload handling drops the name first
        return
    form = DocumentForm({"requirement": str(requirement)}, {"file": upload})
    if not form.is_valid():
        assert form.errors
        return
    try:
        document = application_upload_document(
            application=draft,
            requirement=real,
            upload=form.cleaned_data["file"],
            actor=draft.applicant,
        )
    except ValidationError as refusal:
        assert_refusal(refusal)
    else:
        assert_safely_stored(document)


def assert_safely_stored(document: ApplicationDocument) -> None:
    from django.conf import settings as django_settings

    root = Path(django_settings.PRIVATE_MEDIA_ROOT).resolve()
    path = Path(document.file.path).resolve()
    assert path.is_relative_to(root), path
    assert re.fullmatch(r"leadership/\d{4}/\d{2}/[A-Za-z0-9_-]{32}\.pdf", document.file.name)
    assert path.read_bytes().startswith(b"%PDF-")


# --------------------------------------------------------------------------- review
def _scores(call):
    keys = [f"c{c.pk}" for c in call.criteria.all()]
    values = st.one_of(
        st.integers(-5, 20).map(str), short_texts, st.sampled_from(["", "1e9", "0x1", " 3 "])
    )
    return st.dictionaries(st.sampled_from([*keys, "comment", "c0"]), values, max_size=4)


@settings(FUZZ, max_examples=600)
@given(data=st.data(), comment=texts)
def test_review_form_and_scores(review, data, comment):
    call = review.application.call
    values = {**data.draw(_scores(call)), "comment": comment}
    form = ReviewForm(values, call=call)
    if not form.is_valid():
        assert form.errors
        return
    Review.objects.filter(pk=review.pk).update(submitted_at=None)
    try:
        saved = review_submit(
            review=review, reviewer=review.reviewer, scores=form.scores(), comment=comment
        )
    except (ValidationError, PermissionDenied) as refusal:
        assert_refusal(refusal)
    else:
        assert saved.is_submitted
        assert all(0 <= v <= call.score_max for v in saved.scores.values())


# --------------------------------------------------------------------------- coordination
@settings(FUZZ, max_examples=600)
@given(include=short_texts | st.sampled_from(["in", "out", "none"]), motivation=texts)
def test_adjust_form_and_service(review, coordinator, include, motivation):
    form = AdjustForm({"include": include, "motivation": motivation})
    if not form.is_valid():
        assert form.errors
        return
    try:
        selection_adjust(
            application=review.application,
            include={"in": True, "out": False}.get(form.cleaned_data["include"]),
            motivation=form.cleaned_data["motivation"],
            actor=coordinator,
        )
    except (ValidationError, PermissionDenied) as refusal:
        assert_refusal(refusal)


@pytest.fixture
def stage(call):
    cohort = Cohort.objects.create(call=call, name="Gruppo di prova")
    return Stage.objects.create(cohort=cohort, order=1, name="Prima tappa")


datetimes = st.one_of(
    st.datetimes(  # naive bounds: hypothesis wants them so, and the form reads local time
        min_value=datetime.datetime(1, 1, 2),  # noqa: DTZ001
        max_value=datetime.datetime(9999, 12, 30),  # noqa: DTZ001
    ).map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    short_texts,
)


@settings(FUZZ, max_examples=600)
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "title": texts,
            "starts_at": datetimes,
            "ends_at": datetimes,
            "place": texts,
            "online_url": short_texts | st.sampled_from(["javascript:alert(1)", "//x", "ftp://a"]),
            "materials": texts,
            "reflection_prompt": texts,
        },
    )
)
def test_session_form_and_service(stage, coordinator, data):
    form = SessionForm(data)
    if not form.is_valid():
        assert form.errors
        return
    try:
        session = session_create(stage=stage, actor=coordinator, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as refusal:
        assert_refusal(refusal)
    else:
        assert Session.objects.filter(pk=session.pk).exists()
        assert not session.online_url.lower().startswith("javascript")


@settings(FUZZ, max_examples=300)
@given(token=texts)
def test_checkin_tokens_are_refused_with_a_message(candidate, token):
    with pytest.raises((ValidationError, PermissionDenied)) as refusal:
        attendance_check_in(token=token, user=candidate)
    assert_refusal(refusal.value)


@settings(FUZZ, max_examples=150)
@given(code=short_texts)
def test_certificate_verification_never_fails(client, plan, code):
    response = client.get(reverse("leadership:verify"), {"code": code})
    assert_answered(response, 200)


# --------------------------------------------------------------------------- upload attacks
def _pdf_with(extra: bytes) -> bytes:
    """A small, well-formed PDF carrying ``extra`` in one of its objects."""
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + extra + b" >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"xref\n0 3\n0000000000 65535 f \ntrailer << /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"
    )


def _object_stream(hidden: bytes) -> bytes:
    packed = zlib.compress(b"5 0 obj << " + hidden + b" >> endobj")
    return _pdf_with(b"").replace(
        b"xref",
        b"3 0 obj\n<< /Type /ObjStm /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
        + packed
        + b"\nendstream\nendobj\nxref",
    )


DOCUMENT_ATTACKS = {
    "oversize": ("grande.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 1)),
    "png renamed": ("cv.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
    "html renamed": ("cv.pdf", b"<html><script>alert(1)</script></html>"),
    "exe renamed": ("cv.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200),
    "elf renamed": ("cv.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200),
    "zip renamed": ("cv.pdf", b"PK\x03\x04\x14\x00" + b"\x00" * 200),
    "javascript": ("cv.pdf", _pdf_with(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")),
    "js": ("cv.pdf", _pdf_with(b"/AA << /O << /JS (app.alert(1)) >> >>")),
    "launch": ("cv.pdf", _pdf_with(b"/OpenAction << /S /Launch /F (calc.exe) >>")),
    "hex-escaped javascript": ("cv.pdf", _pdf_with(b"/OpenAction << /S /J#61vaScript >>")),
    "javascript in object stream": ("cv.pdf", _object_stream(b"/S /JavaScript /JS (x)")),
    "truncated": ("cv.pdf", factories.pdf_bytes()[:200]),
    "empty": ("cv.pdf", b""),
    # the hostile corpus: files that parse, carrying code, data actions, attachments, XFA,
    # rich media or encryption (NUL-separated and #xx-escaped names, object streams)
    **{f"corpus: {name}": ("cv.pdf", data) for name, (data, _reason) in HOSTILE.items()},
}
HOSTILE_NAMES = [
    "../../etc/passwd.pdf",
    "..\\..\\win.pdf",
    "/etc/x.pdf",
    "cv\x00.exe.pdf",
    "a" * 300 + ".pdf",
    "curriculum-àèìòù-日本語-😀.pdf",
    "<script>alert(1)</script>.pdf",
]


def _upload(client, application, name, content):
    requirement = application.call.documents.get(required=True)
    client.force_login(application.applicant)
    return client.post(
        reverse("leadership:upload", args=[application.pk]),
        {
            "requirement": requirement.pk,
            "file": SimpleUploadedFile(name, content, "application/pdf"),
        },
        follow=True,
    )


@pytest.mark.parametrize("attack", sorted(DOCUMENT_ATTACKS))
def test_document_attack_over_http_is_refused_in_italian(client, draft, attack):
    name, content = DOCUMENT_ATTACKS[attack]
    response = _upload(client, draft, name, content)
    assert response.status_code == 200
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert errors, f"{attack}: no message"
    assert re.search(r"\b(il|la|file|PDF|non|è)\b", " ".join(errors)), errors
    if attack.startswith("corpus: "):  # refused for what it carries, not as a broken file
        assert HOSTILE[attack.removeprefix("corpus: ")][1] in " ".join(errors), errors
    assert not ApplicationDocument.objects.filter(application=draft).exists()


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_file_name_is_stored_under_a_generated_name(client, draft, name, tmp_path):
    response = _upload(client, draft, name, factories.pdf_bytes())
    assert response.status_code == 200
    document = ApplicationDocument.objects.filter(application=draft).first()
    if document is None:  # refused (e.g. a name the server cannot take): with a message
        assert [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
        return
    assert_safely_stored(document)
    assert not Path("/etc/x.pdf").exists()
    html = client.get(reverse("leadership:apply", args=[draft.call_id])).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_a_real_pdf_is_accepted_over_http(client, draft):
    response = _upload(client, draft, "curriculum.pdf", factories.pdf_bytes())
    assert response.status_code == 200
    assert_safely_stored(ApplicationDocument.objects.get(application=draft))


def _closed_session_token(stage, coordinator):
    now = timezone.now()
    session = session_create(
        stage=stage,
        actor=coordinator,
        title="Incontro passato",
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=1),
    )
    return session_checkin_token(session)


def test_checkin_outside_the_session_is_refused(stage, coordinator, candidate):
    with pytest.raises(ValidationError) as refusal:
        attendance_check_in(token=_closed_session_token(stage, coordinator), user=candidate)
    assert "incontro" in str(refusal.value)
