"""The pathway after selection: cohort and sessions, attendance (by the coordinator or by QR
code), the day-before reminders, completion and certificates."""

import secrets
from datetime import datetime, time, timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from leadership import emails
from leadership.models import (
    DEFAULT_STAGES,
    Application,
    Attendance,
    AttendanceMethod,
    CallPage,
    Certificate,
    Cohort,
    SelectionRun,
    Session,
    Stage,
)
from leadership.models import ApplicationStatus as S
from leadership.selectors import cohort_participant_ids, participant_progress
from leadership.services.access import require_coordinator
from leadership.services.transitions import application_transition


@transaction.atomic
def cohort_create(*, call: CallPage, actor: User, name: str = "") -> Cohort:
    require_coordinator(actor)
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
    require_coordinator(actor)
    session = Session(stage=stage, **fields)
    if session.ends_at <= session.starts_at:
        raise ValidationError(_("L'incontro deve finire dopo l'inizio."))
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def attendance_mark(*, session: Session, participant: User, present: bool, actor: User):
    require_coordinator(actor)
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
    require_coordinator(actor)
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
