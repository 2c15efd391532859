"""Applying: starting, autosaving, submitting and withdrawing an application, eligibility."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.models import User
from core.dates import format_date
from leadership import emails
from leadership.models import Application, CallPage, QuestionKind, Review
from leadership.models import ApplicationStatus as S
from leadership.services.access import (
    require_applicant,
    require_call_visible,
    require_coordinator,
    require_own_draft,
)
from leadership.services.offers import waitlist_promote
from leadership.services.transitions import application_transition
from psm.localisation import attach_reading_rows, reading_words

DRAFT_VALUE_LIMIT = 20_000


def application_start(*, call: CallPage, applicant: User, viewer=None) -> Application:
    """The candidate's application to ``call`` (a new draft the first time).

    ``viewer``: the request acting (a call behind a shared password is accepted through the
    session's pass); the applicant alone when omitted."""
    if not applicant.is_authenticated:
        raise PermissionDenied(_("Accedi per candidarti."))
    require_call_visible(viewer or applicant, call)
    existing = Application.objects.filter(call=call, applicant=applicant).first()
    if existing:
        return existing
    if not call.is_open():
        raise ValidationError(_("Il bando non è aperto: non si possono iniziare candidature."))
    with transaction.atomic():
        application, _created = Application.objects.get_or_create(
            call=call, applicant=applicant, defaults={"draft_saved_at": timezone.now()}
        )
    return application


@transaction.atomic
def application_save_draft(*, application: Application, actor: User, data: dict) -> Application:
    """Autosave: keep everything typed so far (checked fully only on submission)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    require_own_draft(application, actor)
    call = application.call
    if call.is_closed():
        raise ValidationError(_("Il bando è chiuso: la bozza non può più essere modificata."))
    answers = dict(application.answers)
    for question in call.questions.all():
        if question.field_name in data:
            answers[question.field_name] = str(data[question.field_name])[:DRAFT_VALUE_LIMIT]
    category = data.get("category")
    if category is not None:
        application.category = category if category in call.allowed_categories() else ""
    application.answers = answers
    application.draft_saved_at = timezone.now()
    application.save(update_fields=["answers", "category", "draft_saved_at"])
    return application


def eligibility_check(application: Application) -> tuple[bool, str]:
    """Age on the closing date, residence, category: (eligible, reason shown to the person)."""
    call = application.call
    person = application.applicant
    closing_day = timezone.localtime(call.closes_at).date()
    age = person.age_on(closing_day)
    if age is None:
        return False, _("Manca la data di nascita nel profilo.")
    if not call.age_min <= age <= call.age_max:
        return False, _(
            "Alla chiusura del bando avrai %(age)d anni: il bando è per chi ha tra %(min)d e "
            "%(max)d anni."
        ) % {"age": age, "min": call.age_min, "max": call.age_max}
    if call.residence_required and (person.lives_outside_area or person.comune_id is None):
        return False, _(
            "Il bando richiede la residenza in uno dei comuni della Città metropolitana di Torino."
        )
    if application.category not in call.allowed_categories():
        return False, _("La categoria indicata non è tra quelle ammesse dal bando.")
    return True, _(
        "Requisiti verificati: età (%(age)d anni alla chiusura), residenza e categoria."
    ) % {"age": age}


def _profile_missing(application: Application) -> list[str]:
    call, person = application.call, application.applicant
    missing = []
    if person.birth_date is None:
        missing.append(_("La data di nascita nel tuo profilo."))
    if call.residence_required and person.comune_id is None and not person.lives_outside_area:
        missing.append(_("Il comune di residenza nel tuo profilo."))
    if application.category not in call.allowed_categories():
        missing.append(_("La categoria (studente/essa, lavoratore/trice, amministratore/trice)."))
    return missing


class Missing(str):
    """One thing still missing: a sentence quoting a row of the call in the language being read
    (``psm.localisation.reading_words``). As text it is the sentence (a refusal joins them); in
    a template, the quoted words keep their ``lang`` when they are the Italian ones on a page
    read in another language (the call's row is not translated yet)."""

    html: SafeString

    def __new__(cls, message: str, *, row, field: str, key: str = "q", **params):
        words, lang = reading_words(row, field)
        item = super().__new__(cls, message % {key: words, **params})
        quoted = format_html('<span lang="{}">{}</span>', lang, words) if lang else words
        escaped = conditional_escape(message) % {key: conditional_escape(quoted), **params}
        item.html = SafeString(escaped)
        return item

    def __html__(self) -> SafeString:
        return self.html


def _answer_missing(question, value: str) -> list[str]:
    """What is wrong with one answer (empty list = fine)."""
    if not value:
        if question.required:
            return [Missing(_("La risposta a «%(q)s»."), row=question, field="label")]
        return []
    missing = []
    if len(value) > question.limit:
        message = _("La risposta a «%(q)s» supera %(n)d caratteri (ora sono %(len)d).")
        missing.append(
            Missing(message, row=question, field="label", n=question.limit, len=len(value))
        )
    if question.kind == QuestionKind.CHOICE and value not in question.choice_list():
        message = _("Una delle opzioni previste per «%(q)s».")
        missing.append(Missing(message, row=question, field="label"))
    return missing


def application_missing(application: Application) -> list[str]:
    """What still prevents submission, in plain words (empty list = ready): the call's
    questions and documents named in the language being read."""
    call = application.call
    missing = _profile_missing(application)
    for question in attach_reading_rows(call.questions.all()):
        value = (application.answers.get(question.field_name) or "").strip()
        missing.extend(_answer_missing(question, value))
    uploaded = {d.requirement_id for d in application.documents.all()}
    missing.extend(
        Missing(_("Il documento «%(d)s» (PDF)."), row=requirement, field="label", key="d")
        for requirement in attach_reading_rows(call.documents.all())
        if requirement.required and requirement.pk not in uploaded
    )
    return missing


def application_submit(*, application: Application, actor: User) -> Application:
    """Send the application: refused after the deadline (to the second) or if incomplete."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        require_own_draft(application, actor)
        call = application.call
        now = timezone.now()
        if now > call.closes_at:
            closes = timezone.localtime(call.closes_at)
            raise ValidationError(
                _(
                    "Il bando si è chiuso il %(day)s alle %(time)s: la candidatura non può più "
                    "essere inviata."
                )
                % {"day": format_date(closes, "j F Y"), "time": closes.strftime("%H:%M:%S")}
            )
        if now < call.opens_at:
            raise ValidationError(_("Il bando non è ancora aperto."))
        missing = application_missing(application)
        if missing:
            raise ValidationError(
                [_("Prima di inviare completa: %(items)s") % {"items": " ".join(missing)}]
            )
        person = application.applicant
        application = application_transition(
            application=application,
            to=S.SUBMITTED,
            actor=actor,
            reason=_("Inviata da chi si candida."),
            submitted_at=now,
            protocol=f"LC{now.year}-{call.pk}-{application.pk:06d}",
            gender=person.gender,
            comune=person.comune,
        )
        eligible, reason = eligibility_check(application)
        application = application_transition(
            application=application,
            to=S.ELIGIBLE if eligible else S.INELIGIBLE,
            actor=None,
            reason=_("Verifica automatica: %(r)s") % {"r": reason},
            eligibility_reason=reason,
        )
        emails.receipt_queue(application)
    return application


def application_withdraw(*, application: Application, actor: User, reason: str = "") -> None:
    application = Application.objects.get(pk=application.pk)
    require_applicant(application, actor)
    with transaction.atomic():
        held_seat = application.status in (S.SELECTED, S.ACCEPTED)
        application_transition(
            application=application,
            to=S.WITHDRAWN,
            actor=actor,
            reason=reason or _("Ritirata da chi si era candidato/a."),
        )
        Review.objects.filter(application=application, submitted_at__isnull=True).delete()
        if held_seat:
            waitlist_promote(call=application.call)


def application_set_eligibility(
    *, application: Application, actor: User, eligible: bool, reason: str
) -> Application:
    """A coordinator corrects the automatic check, always with a reason."""
    require_coordinator(actor)
    reason = reason.replace("\x00", "").strip()  # PostgreSQL text refuses NUL
    if not reason:
        raise ValidationError(_("Scrivi la motivazione della correzione."))
    return application_transition(
        application=application,
        to=S.ELIGIBLE if eligible else S.INELIGIBLE,
        actor=actor,
        reason=reason,
        eligibility_reason=reason,
    )
