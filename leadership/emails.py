"""The programme's e-mails: a receipt, each outcome, the day-before reminder.

They go through the notifications app's delivery queue (one row per e-mail, keyed, sent once,
retried on transport errors and swept again if a worker lost them). They are transactional:
a person who turned notification e-mails off still gets their receipt and outcome.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts.language import in_language_of
from accounts.models import User
from leadership.models import Application, CallPage, Review, Session
from notifications.models import EmailDelivery
from notifications.services import email_queue


def _render(template: str, context: dict) -> str:
    base = settings.BASE_URL.rstrip("/")
    return render_to_string(f"leadership/email/{template}.txt", {**context, "base": base})


def receipt_queue(application: Application) -> EmailDelivery | None:
    """The submission receipt with its protocol number (None if already queued)."""
    with in_language_of(application.applicant):
        return email_queue(
            user=application.applicant,
            key=f"leadership:receipt:{application.pk}",
            subject=_("Ricevuta %(protocol)s") % {"protocol": application.protocol},
            body=_render("receipt", {"application": application}),
            transactional=True,
        )


def outcome_queue(application: Application) -> EmailDelivery | None:
    """Selected, waitlisted or not selected: one e-mail for each outcome reached."""
    with in_language_of(application.applicant):
        return email_queue(
            user=application.applicant,
            key=f"leadership:outcome:{application.pk}:{application.status}",
            subject=_("%(call)s: esito della selezione") % {"call": application.call.title},
            body=_render("outcome", {"application": application}),
            transactional=True,
        )


def _reminder_key(session: Session, person_id: int) -> str:
    return f"leadership:reminder:{session.pk}:{person_id}"


def reminded_ids(session: Session) -> set[int]:
    """The people whose reminder for ``session`` is already queued or sent."""
    prefix = _reminder_key(session, 0)[:-1]
    return set(
        EmailDelivery.objects.filter(idempotency_key__startswith=prefix).values_list(
            "user_id", flat=True
        )
    )


def reminder_queue(session: Session, person: User) -> EmailDelivery | None:
    """The reminder the day before a session, once per session and person."""
    with in_language_of(person):
        return email_queue(
            user=person,
            key=_reminder_key(session, person.pk),
            subject=_("Domani: %(title)s") % {"title": session.title},
            body=_render("reminder", {"session": session, "person": person}),
            transactional=True,
        )


def assignment_queue(review: Review) -> EmailDelivery | None:
    """Tell a reviewer an application was assigned to them, once per assignment.

    A work notice, sent whatever the person's notification preferences (like the receipts).
    The application is named only by its anonymous label: the review stays blind.
    """
    reviewer, application = review.reviewer, review.application
    with in_language_of(reviewer):
        return email_queue(
            user=reviewer,
            key=f"leadership:assigned:{review.pk}",
            subject=_("Nuova candidatura da valutare: %(label)s")
            % {"label": application.anonymous_label},
            body=_render(
                "review_assigned",
                {
                    "review": review,
                    "reviewer": reviewer,
                    "application": application,
                    "call": application.call,
                },
            ),
            transactional=True,
        )


def review_reminder_queue(call: CallPage, reviewer: User, pending: list[Review]):
    """Remind a reviewer of the reviews still to send before the call's review deadline, once
    per call and person."""
    with in_language_of(reviewer):
        return email_queue(
            user=reviewer,
            key=f"leadership:review-reminder:{call.pk}:{reviewer.pk}",
            subject=_("Promemoria: valutazioni da inviare per «%(call)s»") % {"call": call.title},
            body=_render(
                "review_reminder", {"call": call, "reviewer": reviewer, "pending": pending}
            ),
            transactional=True,
        )
