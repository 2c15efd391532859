"""Every write of the leadership programme, with its permission check.

Every state change of an application goes through ``application_transition``, which checks the
state machine and leaves an audit row (who, when, from, to, why). Side effects (e-mails) are
queued with ``transaction.on_commit``.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role, User
from leadership import emails
from leadership.models import (
    DEFAULT_STAGES,
    Application,
    ApplicationDocument,
    ApplicationTransition,
    Attendance,
    AttendanceMethod,
    CallDocument,
    CallPage,
    Certificate,
    Cohort,
    ConflictOfInterest,
    QuestionKind,
    Review,
    SelectionOverride,
    SelectionRun,
    Session,
    Stage,
)
from leadership.models import ApplicationStatus as S
from leadership.pdfcheck import PdfRejected, check_pdf
from leadership.predicates import is_coordinator, is_reviewer

DRAFT_VALUE_LIMIT = 20_000

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.ELIGIBLE, S.INELIGIBLE, S.WITHDRAWN},
    S.ELIGIBLE: {S.UNDER_REVIEW, S.INELIGIBLE, S.WITHDRAWN},
    S.INELIGIBLE: {S.ELIGIBLE},
    S.UNDER_REVIEW: {S.SELECTED, S.WAITLISTED, S.NOT_SELECTED, S.INELIGIBLE, S.WITHDRAWN},
    S.WAITLISTED: {S.SELECTED, S.WITHDRAWN},
    S.SELECTED: {S.ACCEPTED, S.DECLINED, S.WITHDRAWN},
    S.ACCEPTED: {S.COMPLETED, S.WITHDRAWN},
    S.NOT_SELECTED: set(),
    S.DECLINED: set(),
    S.COMPLETED: set(),
    S.WITHDRAWN: set(),
}
NOTIFIED = {S.SELECTED, S.WAITLISTED, S.NOT_SELECTED}
HOLDS_SEAT = (S.SELECTED, S.ACCEPTED, S.COMPLETED)


def _require_coordinator(actor) -> None:
    if not is_coordinator(actor):
        raise PermissionDenied(_("Solo il coordinamento del programma può farlo."))


# --------------------------------------------------------------------------- the state machine


@transaction.atomic
def application_transition(
    *, application: Application, to: str, actor: User | None, reason: str = "", **fields
) -> Application:
    """The one way an application changes state. ``fields`` are saved with the change."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if to not in TRANSITIONS[locked.status]:
        raise ValidationError(
            _("Non è possibile passare da «%(from)s» a «%(to)s».")
            % {"from": S(locked.status).label, "to": S(to).label}
        )
    previous = locked.status
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", *fields])
    ApplicationTransition.objects.create(
        application=locked, actor=actor, from_status=previous, to_status=to, reason=reason
    )
    if to in NOTIFIED:
        emails.outcome_queue(locked)
    for name in ("status", *fields):
        setattr(application, name, getattr(locked, name))
    return locked


# --------------------------------------------------------------------------- applying


def application_start(*, call: CallPage, applicant: User) -> Application:
    """The candidate's application to ``call`` (a new draft the first time)."""
    if not applicant.is_authenticated:
        raise PermissionDenied(_("Accedi per candidarti."))
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


def _require_own_draft(application: Application, actor: User) -> None:
    if application.applicant_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Questa candidatura non è tua."))
    if application.status != S.DRAFT:
        raise ValidationError(_("La candidatura è già stata inviata e non si può più modificare."))


@transaction.atomic
def application_save_draft(*, application: Application, actor: User, data: dict) -> Application:
    """Autosave: keep everything typed so far (checked fully only on submission)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_own_draft(application, actor)
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


@transaction.atomic
def application_upload_document(
    *, application: Application, requirement: CallDocument, upload, actor: User
) -> ApplicationDocument:
    _require_own_draft(application, actor)
    if requirement.call_id != application.call_id:
        raise ValidationError(_("Questo documento non è richiesto da questo bando."))
    max_bytes = application.call.max_document_mb * 1024 * 1024
    if upload.size > max_bytes:
        raise ValidationError(
            _("Il file supera la dimensione massima di %(mb)d MB.")
            % {"mb": application.call.max_document_mb}
        )
    data = upload.read(max_bytes + 1)
    try:
        check_pdf(data, max_bytes=max_bytes)
    except PdfRejected as error:
        raise ValidationError(str(error)) from error
    old = ApplicationDocument.objects.filter(application=application, requirement=requirement)
    for document in old:
        document.file.delete(save=False)
    old.delete()
    document = ApplicationDocument(
        application=application,
        requirement=requirement,
        original_name=(upload.name or "documento.pdf")[-200:],
        size=len(data),
    )
    document.file.save(f"{secrets.token_urlsafe(24)}.pdf", ContentFile(data), save=False)
    document.save()
    return document


@transaction.atomic
def application_delete_document(*, document: ApplicationDocument, actor: User) -> None:
    _require_own_draft(document.application, actor)
    document.file.delete(save=False)
    document.delete()


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


def application_missing(application: Application) -> list[str]:
    """What still prevents submission, in plain words (empty list = ready)."""
    call = application.call
    missing = []
    person = application.applicant
    if person.birth_date is None:
        missing.append(_("La data di nascita nel tuo profilo."))
    if call.residence_required and person.comune_id is None and not person.lives_outside_area:
        missing.append(_("Il comune di residenza nel tuo profilo."))
    if application.category not in call.allowed_categories():
        missing.append(_("La categoria (studente/essa, lavoratore/trice, amministratore/trice)."))
    for question in call.questions.all():
        value = (application.answers.get(question.field_name) or "").strip()
        if not value:
            if question.required:
                missing.append(_("La risposta a «%(q)s».") % {"q": question.label})
            continue
        if len(value) > question.limit:
            missing.append(
                _("La risposta a «%(q)s» supera %(n)d caratteri (ora sono %(len)d).")
                % {"q": question.label, "n": question.limit, "len": len(value)}
            )
        if question.kind == QuestionKind.CHOICE and value not in question.choice_list():
            missing.append(_("Una delle opzioni previste per «%(q)s».") % {"q": question.label})
    uploaded = {d.requirement_id for d in application.documents.all()}
    for requirement in call.documents.all():
        if requirement.required and requirement.pk not in uploaded:
            missing.append(_("Il documento «%(d)s» (PDF).") % {"d": requirement.label})
    return missing


def application_submit(*, application: Application, actor: User) -> Application:
    """Send the application: refused after the deadline (to the second) or if incomplete."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _require_own_draft(application, actor)
        call = application.call
        now = timezone.now()
        if now > call.closes_at:
            closes = timezone.localtime(call.closes_at)
            raise ValidationError(
                _(
                    "Il bando si è chiuso il %(day)s alle %(time)s: la candidatura non può più "
                    "essere inviata."
                )
                % {"day": date_format(closes, "j F Y"), "time": closes.strftime("%H:%M:%S")}
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
    if application.applicant_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Questa candidatura non è tua."))
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
    _require_coordinator(actor)
    if not reason.strip():
        raise ValidationError(_("Scrivi la motivazione della correzione."))
    return application_transition(
        application=application,
        to=S.ELIGIBLE if eligible else S.INELIGIBLE,
        actor=actor,
        reason=reason,
        eligibility_reason=reason,
    )


# --------------------------------------------------------------------------- review


def reviewers_all():
    return (
        User.objects.filter(groups__name=Role.REVIEWER.value, is_active=True)
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def reviews_assign_automatically(*, call: CallPage, actor: User) -> dict:
    """Give each eligible application N reviewers, balancing load, never a declared conflict."""
    _require_coordinator(actor)
    reviewers = list(reviewers_all())
    load = defaultdict(int)
    for row in (
        Review.objects.filter(application__call=call).values("reviewer_id").annotate(n=Count("pk"))
    ):
        load[row["reviewer_id"]] = row["n"]
    conflicts = set(
        ConflictOfInterest.objects.filter(call=call).values_list("reviewer_id", "application_id")
    )
    applications = list(
        Application.objects.select_for_update()
        .filter(call=call, status__in=[S.ELIGIBLE, S.UNDER_REVIEW])
        .order_by("pk")
    )
    assigned = defaultdict(set)
    for reviewer_id, application_id in Review.objects.filter(application__call=call).values_list(
        "reviewer_id", "application_id"
    ):
        assigned[application_id].add(reviewer_id)
    created, short = 0, []
    for application in applications:
        have = assigned[application.pk]
        options = [
            r
            for r in reviewers
            if r.pk not in have
            and r.pk != application.applicant_id
            and (r.pk, application.pk) not in conflicts
        ]
        options.sort(key=lambda r: (load[r.pk], r.pk))
        for reviewer in options[: max(0, call.reviewers_per_application - len(have))]:
            Review.objects.create(application=application, reviewer=reviewer, assigned_by=actor)
            load[reviewer.pk] += 1
            have.add(reviewer.pk)
            created += 1
        if len(have) < call.reviewers_per_application:
            short.append(application.pk)
        if have and application.status == S.ELIGIBLE:
            application_transition(
                application=application,
                to=S.UNDER_REVIEW,
                actor=actor,
                reason=_("Assegnata a %(n)d valutatori/trici.") % {"n": len(have)},
            )
    return {"created": created, "short": short}


@transaction.atomic
def review_assign(*, application: Application, reviewer: User, actor: User) -> Review:
    _require_coordinator(actor)
    if not is_reviewer(reviewer):
        raise ValidationError(_("Questa persona non ha il ruolo di valutatore/trice."))
    if reviewer.pk == application.applicant_id:
        raise ValidationError(_("Nessuno può valutare la propria candidatura."))
    if ConflictOfInterest.objects.filter(reviewer=reviewer, application=application).exists():
        raise ValidationError(
            _("Questa persona ha dichiarato un conflitto di interessi su questa candidatura.")
        )
    if application.status not in (S.ELIGIBLE, S.UNDER_REVIEW):
        raise ValidationError(_("Si possono assegnare solo candidature ammissibili."))
    review, _created = Review.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"assigned_by": actor}
    )
    if application.status == S.ELIGIBLE:
        application_transition(
            application=application,
            to=S.UNDER_REVIEW,
            actor=actor,
            reason=_("Assegnata manualmente."),
        )
    return review


@transaction.atomic
def review_unassign(*, review: Review, actor: User) -> None:
    _require_coordinator(actor)
    if review.is_submitted:
        raise ValidationError(_("La valutazione è già stata inviata: non si può togliere."))
    review.delete()


@transaction.atomic
def conflict_declare(*, application: Application, reviewer: User, reason: str) -> None:
    """A reviewer declares a conflict of interest: the assignment is removed, for good."""
    if not is_reviewer(reviewer):
        raise PermissionDenied(_("Solo chi valuta può dichiarare un conflitto di interessi."))
    ConflictOfInterest.objects.get_or_create(
        call=application.call,
        reviewer=reviewer,
        application=application,
        defaults={"reason": reason[:255]},
    )
    Review.objects.filter(application=application, reviewer=reviewer).delete()


@transaction.atomic
def review_submit(*, review: Review, reviewer: User, scores: dict, comment: str) -> Review:
    review = (
        Review.objects.select_for_update().select_related("application__call").get(pk=review.pk)
    )
    if review.reviewer_id != reviewer.pk:
        raise PermissionDenied(_("Questa valutazione non è assegnata a te."))
    if review.is_submitted:
        raise ValidationError(_("Hai già inviato questa valutazione."))
    application = review.application
    if application.status != S.UNDER_REVIEW:
        raise ValidationError(_("La candidatura non è più in valutazione."))
    call = application.call
    clean = {}
    for criterion in call.criteria.all():
        raw = scores.get(str(criterion.pk))
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ValidationError(
                _("Dai un punteggio a «%(c)s».") % {"c": criterion.name}
            ) from None
        if not 0 <= value <= call.score_max:
            raise ValidationError(
                _("Il punteggio di «%(c)s» va da 0 a %(max)d.")
                % {"c": criterion.name, "max": call.score_max}
            )
        clean[str(criterion.pk)] = value
    review.scores = clean
    review.comment = comment.strip()[:5000]
    review.submitted_at = timezone.now()
    review.save(update_fields=["scores", "comment", "submitted_at"])
    return review


# --------------------------------------------------------------------------- selection


@transaction.atomic
def selection_adjust(
    *, application: Application, include: bool | None, motivation: str, actor: User
) -> None:
    """Force someone in or out of the proposal (``None`` removes the correction)."""
    _require_coordinator(actor)
    if SelectionRun.objects.filter(call_id=application.call_id).exists():
        raise ValidationError(_("La selezione è già stata confermata."))
    if include is None:
        SelectionOverride.objects.filter(application=application).delete()
        return
    if not motivation.strip():
        raise ValidationError(_("Ogni correzione della graduatoria va motivata."))
    if application.status != S.UNDER_REVIEW:
        raise ValidationError(_("Si possono correggere solo candidature in valutazione."))
    SelectionOverride.objects.update_or_create(
        application=application,
        defaults={"include": include, "motivation": motivation.strip(), "decided_by": actor},
    )


def _suppress(n: int) -> int | str:
    """Small numbers could identify people: show them as "<3"."""
    return "<3" if 0 < n < 3 else n


def selection_report(call: CallPage) -> dict:
    """Anonymised, aggregated figures of the selection (no names, small counts suppressed)."""
    from leadership.selectors import place_of

    rows = list(
        Application.objects.filter(call=call)
        .exclude(status=S.DRAFT)
        .select_related("comune")
        .values_list("status", "gender", "category", "comune_id", "comune__mountain_status")
    )
    selected_states = {S.SELECTED, S.ACCEPTED, S.COMPLETED, S.DECLINED}
    report = {
        "submitted": len(rows),
        "eligible": sum(1 for r in rows if r[0] not in (S.INELIGIBLE, S.SUBMITTED)),
        "selected": sum(1 for r in rows if r[0] in selected_states),
        "waitlisted": sum(1 for r in rows if r[0] == S.WAITLISTED),
        "by_gender": {},
        "by_category": {},
        "by_place": {},
    }
    for key, index in (("by_gender", 1), ("by_category", 2)):
        counts = defaultdict(lambda: [0, 0])
        for row in rows:
            label = row[index] or "non_dichiarato"
            counts[label][0] += 1
            counts[label][1] += row[0] in selected_states
        report[key] = {k: [_suppress(a), _suppress(b)] for k, (a, b) in sorted(counts.items())}
    counts = defaultdict(lambda: [0, 0])
    for row in rows:
        label = place_of(row[3], row[4])
        counts[label][0] += 1
        counts[label][1] += row[0] in selected_states
    report["by_place"] = {k: [_suppress(a), _suppress(b)] for k, (a, b) in sorted(counts.items())}
    return report


def selection_confirm(*, call: CallPage, actor: User) -> SelectionRun:
    """Apply the proposal: selected / waitlisted / not selected, each with its reason."""
    from leadership.selectors import selection_proposal

    _require_coordinator(actor)
    with transaction.atomic():
        CallPage.objects.select_for_update().filter(pk=call.pk).first()
        if SelectionRun.objects.filter(call=call).exists():
            raise ValidationError(_("La selezione è già stata confermata."))
        if not call.is_closed():
            raise ValidationError(
                _("Le candidature sono ancora aperte: la selezione si conferma dopo la chiusura.")
            )
        unassigned = Application.objects.filter(call=call, status=S.ELIGIBLE).count()
        if unassigned:
            raise ValidationError(
                _(
                    "%(n)d candidature ammissibili non sono ancora assegnate a nessun "
                    "valutatore/trice: assegnale prima di confermare."
                )
                % {"n": unassigned}
            )
        proposal = selection_proposal(call)
        if proposal.unreviewed:
            raise ValidationError(
                _(
                    "%(n)d candidature in valutazione non hanno ancora nessuna valutazione "
                    "inviata: completale o ritirane l'assegnazione prima di confermare."
                )
                % {"n": len(proposal.unreviewed)}
            )
        result = proposal.result
        applications = Application.objects.in_bulk(
            [*result.selected, *result.waitlist, *result.not_selected]
        )
        deadline = timezone.now() + timedelta(days=call.acceptance_days)
        for pk in result.selected:
            application_transition(
                application=applications[pk],
                to=S.SELECTED,
                actor=actor,
                reason=result.reasons.get(pk, ""),
                offer_expires_at=deadline,
            )
        for position, pk in enumerate(result.waitlist, start=1):
            application_transition(
                application=applications[pk],
                to=S.WAITLISTED,
                actor=actor,
                reason=result.reasons.get(pk, ""),
                waitlist_position=position,
            )
        for pk in result.not_selected:
            application_transition(
                application=applications[pk],
                to=S.NOT_SELECTED,
                actor=actor,
                reason=result.reasons.get(pk, ""),
            )
        run = SelectionRun.objects.create(call=call, confirmed_by=actor, report={})
        run.report = {
            **selection_report(call),
            "infeasible_quotas": result.infeasible,
            "applied_quotas": result.applied_quotas,
        }
        run.save(update_fields=["report"])
    return run


@transaction.atomic
def selection_publish_report(*, call: CallPage, actor: User, published: bool) -> None:
    _require_coordinator(actor)
    updated = SelectionRun.objects.filter(call=call).update(report_published=published)
    if not updated:
        raise ValidationError(_("Non c'è ancora una selezione confermata."))


# --------------------------------------------------------------------------- seats and waitlist


def seat_accept(*, application: Application, actor: User) -> Application:
    application = Application.objects.get(pk=application.pk)
    if application.applicant_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Questa candidatura non è tua."))
    if application.status != S.SELECTED:
        raise ValidationError(_("Non c'è un posto da accettare."))
    if application.offer_expires_at and timezone.now() > application.offer_expires_at:
        raise ValidationError(_("Il termine per accettare il posto è scaduto."))
    return application_transition(
        application=application, to=S.ACCEPTED, actor=actor, reason=_("Posto accettato.")
    )


def seat_decline(*, application: Application, actor: User, reason: str = "") -> None:
    if application.applicant_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Questa candidatura non è tua."))
    with transaction.atomic():
        application_transition(
            application=application,
            to=S.DECLINED,
            actor=actor,
            reason=reason or _("Posto rifiutato da chi era stato/a selezionato/a."),
        )
        waitlist_promote(call=application.call)


@transaction.atomic
def waitlist_promote(*, call: CallPage) -> list[int]:
    """Offer every free seat to the waitlist: the first in line whose promotion keeps the call's
    quotas achievable (or simply the first in line, saying so, if no one can)."""
    from leadership import selection
    from leadership.selectors import call_quotas, candidate_of

    CallPage.objects.select_for_update().filter(pk=call.pk).first()
    holders = list(
        Application.objects.filter(call=call, status__in=HOLDS_SEAT).select_related("comune")
    )
    queue = list(
        Application.objects.filter(call=call, status=S.WAITLISTED)
        .select_related("comune")
        .order_by("waitlist_position", "pk")
    )
    quotas = call_quotas(call)
    promoted = []
    while len(holders) < call.seats and queue:
        index, kept = selection.next_for_seat(
            [candidate_of(a, 0.0) for a in holders],
            [candidate_of(a, 0.0) for a in queue],
            seats=call.seats,
            quotas=quotas,
        )
        application = queue.pop(index)
        if index == 0 and kept:
            reason = _("Posto liberato: offerto alla prima persona in lista d'attesa.")
        elif kept:
            reason = _(
                "Posto liberato: offerto alla prima persona in lista d'attesa che permette di "
                "rispettare le quote del bando."
            )
        else:
            reason = _(
                "Posto liberato: offerto alla prima persona in lista d'attesa (nessuna "
                "permetteva di rispettare tutte le quote)."
            )
        application_transition(
            application=application,
            to=S.SELECTED,
            actor=None,
            reason=reason,
            offer_expires_at=timezone.now() + timedelta(days=call.acceptance_days),
            waitlist_position=None,
        )
        holders.append(application)
        promoted.append(application.pk)
    return promoted


def offers_expire(*, now=None) -> int:
    """Seats not accepted in time are declined and offered to the waitlist (periodic task)."""
    now = now or timezone.now()
    expired = 0
    calls = set()
    for application in Application.objects.filter(status=S.SELECTED, offer_expires_at__lt=now):
        with transaction.atomic():
            try:
                application_transition(
                    application=application,
                    to=S.DECLINED,
                    actor=None,
                    reason=_("Termine per accettare il posto scaduto."),
                )
            except ValidationError:
                continue  # changed meanwhile
        expired += 1
        calls.add(application.call_id)
    for call in CallPage.objects.filter(pk__in=calls):
        waitlist_promote(call=call)
    return expired


# --------------------------------------------------------------------------- pathway


@transaction.atomic
def cohort_create(*, call: CallPage, actor: User, name: str = "") -> Cohort:
    _require_coordinator(actor)
    if not SelectionRun.objects.filter(call=call).exists():
        raise ValidationError(_("Il gruppo si forma dopo la conferma della selezione."))
    cohort, created = Cohort.objects.get_or_create(call=call, defaults={"name": name or call.title})
    if created:
        Stage.objects.bulk_create(
            Stage(cohort=cohort, order=i, name=str(label))
            for i, label in enumerate(DEFAULT_STAGES, start=1)
        )
    return cohort


@transaction.atomic
def session_create(*, stage: Stage, actor: User, **fields) -> Session:
    _require_coordinator(actor)
    session = Session(stage=stage, **fields)
    if session.ends_at <= session.starts_at:
        raise ValidationError(_("L'incontro deve finire dopo l'inizio."))
    session.full_clean()
    session.save()
    return session


def cohort_participant_ids(cohort: Cohort) -> set[int]:
    return set(
        Application.objects.filter(
            call_id=cohort.call_id, status__in=[S.ACCEPTED, S.COMPLETED]
        ).values_list("applicant_id", flat=True)
    )


@transaction.atomic
def attendance_mark(*, session: Session, participant: User, present: bool, actor: User):
    _require_coordinator(actor)
    if participant.pk not in cohort_participant_ids(session.stage.cohort):
        raise ValidationError(_("Questa persona non fa parte del gruppo."))
    attendance, _created = Attendance.objects.update_or_create(
        session=session,
        participant=participant,
        defaults={"present": present, "method": AttendanceMethod.COORDINATOR, "marked_by": actor},
    )
    return attendance


CHECKIN_SALT = "leadership.checkin"


def session_checkin_token(session: Session) -> str:
    return signing.dumps({"s": session.pk}, salt=CHECKIN_SALT, compress=True)


@transaction.atomic
def attendance_check_in(*, token: str, user: User) -> Attendance:
    """A participant scans the session's QR code: valid only while the session runs."""
    try:
        payload = signing.loads(token, salt=CHECKIN_SALT)
    except signing.BadSignature:
        raise ValidationError(_("Il codice QR non è valido.")) from None
    session = Session.objects.select_related("stage__cohort").filter(pk=payload.get("s")).first()
    if session is None:
        raise ValidationError(_("L'incontro non esiste più."))
    if not session.is_running():
        raise ValidationError(
            _("Il codice vale solo durante l'incontro (dalle %(start)s alle %(end)s).")
            % {
                "start": timezone.localtime(session.starts_at).strftime("%H:%M"),
                "end": timezone.localtime(session.ends_at).strftime("%H:%M"),
            }
        )
    if user.pk not in cohort_participant_ids(session.stage.cohort):
        raise PermissionDenied(_("Non risulti tra le e i partecipanti di questo percorso."))
    attendance, _created = Attendance.objects.update_or_create(
        session=session,
        participant=user,
        defaults={"present": True, "method": AttendanceMethod.QR, "marked_by": user},
    )
    return attendance


def _certificate_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def cohort_complete(*, cohort: Cohort, actor: User) -> list[int]:
    """Mark as completed whoever meets the programme's completion rule; issue certificates."""
    from leadership.selectors import participant_progress

    _require_coordinator(actor)
    completed = []
    call = cohort.call
    programme = call.programme
    with transaction.atomic():
        for application in Application.objects.filter(call=call, status=S.ACCEPTED).select_related(
            "applicant"
        ):
            progress = participant_progress(cohort=cohort, user=application.applicant)
            if not progress["complete"]:
                continue
            application_transition(
                application=application,
                to=S.COMPLETED,
                actor=actor,
                reason=_("Percorso completato secondo la regola del programma."),
            )
            Certificate.objects.create(
                application=application,
                code=_certificate_code(),
                holder_name=application.applicant.public_name,
                programme_title=f"{programme.title} — {call.title}",
            )
            completed.append(application.pk)
    return completed


def reminders_send(*, now=None) -> int:
    """E-mail each participant the day before each session, once per session and person."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    day_start = timezone.make_aware(datetime.combine(tomorrow, time.min))
    day_end = day_start + timedelta(days=1)
    sent = 0
    for session in Session.objects.select_related("stage__cohort").filter(
        starts_at__gte=day_start, starts_at__lt=day_end
    ):
        people = User.objects.filter(pk__in=cohort_participant_ids(session.stage.cohort)).exclude(
            pk__in=emails.reminded_ids(session)
        )  # the hourly run renders only new ones
        for person in people:
            if emails.reminder_queue(session, person) is not None:
                sent += 1
    return sent


# --------------------------------------------------------------------------- personal data


def personal_data_export(user: User) -> dict:
    return {
        "applications": [
            {
                "call": a.call.title,
                "status": a.status,
                "protocol": a.protocol,
                "category": a.category,
                "answers": a.answers,
                "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
                "documents": [d.original_name for d in a.documents.all()],
                "history": [
                    {"from": t.from_status, "to": t.to_status, "at": t.created_at.isoformat()}
                    for t in a.transitions.all()
                ],
            }
            for a in Application.objects.filter(applicant=user).select_related("call")
        ],
        "reviews_written": Review.objects.filter(reviewer=user).count(),
        "attendances": [
            {"session": a.session.title, "present": a.present}
            for a in Attendance.objects.filter(participant=user).select_related("session")
        ],
        "certificates": [c.code for c in Certificate.objects.filter(application__applicant=user)],
    }


@transaction.atomic
def personal_data_anonymise(user: User) -> None:
    for document in ApplicationDocument.objects.filter(application__applicant=user):
        document.file.delete(save=False)
        document.delete()
    Application.objects.filter(applicant=user).update(answers={}, gender="", comune=None)
    Review.objects.filter(reviewer=user).update(comment="")
    Certificate.objects.filter(application__applicant=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), holder_name=""
    )
