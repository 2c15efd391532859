"""The contest's e-mails, through the notifications app's delivery ledger (one keyed row per
e-mail, sent once): invitation, receipt, jury assignment, result. They are work notices and
receipts (transactional). The juror's e-mail names the entry by its code only."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts.language import in_language_of
from accounts.models import User
from notifications.models import EmailDelivery
from notifications.services import email_queue


def _render(template: str, context: dict) -> str:
    base = settings.BASE_URL.rstrip("/")
    return render_to_string(f"contests/email/{template}.txt", {**context, "base": base})


def _queue(
    person: User, key: str, subject: Callable[[], str], template: str, context: dict
) -> EmailDelivery | None:
    """One transactional e-mail to ``person``, written in their language: ``subject()`` and
    the ``contests/email/<template>.txt`` body (its context gets ``person`` and ``base``)."""
    with in_language_of(person):
        return email_queue(
            user=person,
            key=key,
            subject=subject(),
            body=_render(template, {**context, "person": person}),
            transactional=True,
        )


def invitation_queue(member, invitee: User) -> EmailDelivery | None:
    entry = member.entry
    return _queue(
        invitee,
        f"contests:invitation:{member.pk}",
        lambda: _("Invito in una squadra: %(contest)s") % {"contest": entry.contest.title},
        "invitation",
        {"member": member, "entry": entry},
    )


def receipt_queue(entry, person: User) -> EmailDelivery | None:
    return _queue(
        person,
        f"contests:receipt:{entry.pk}:{person.pk}",
        lambda: _("Ricevuta %(protocol)s") % {"protocol": entry.protocol},
        "receipt",
        {"entry": entry},
    )


def assignment_queue(assignment) -> EmailDelivery | None:
    juror, entry = assignment.juror, assignment.entry
    return _queue(
        juror,
        f"contests:assigned:{assignment.pk}",
        lambda: _("Progetto da valutare: %(code)s") % {"code": entry.code},
        "assigned",
        {"assignment": assignment, "entry": entry},
    )


def result_queue(entry, person: User, *, won: bool) -> EmailDelivery | None:
    return _queue(
        person,
        f"contests:result:{entry.contest_id}:{person.pk}",
        lambda: _("%(contest)s: i risultati") % {"contest": entry.contest.title},
        "result",
        {"entry": entry, "won": won},
    )


def withdrawal_queue(entry, person: User) -> EmailDelivery | None:
    """To every member: the entry is withdrawn (its protocol, if any, stays valid)."""
    return _queue(
        person,
        f"contests:withdrawn:{entry.pk}:{person.pk}",
        lambda: _("%(contest)s: progetto ritirato") % {"contest": entry.contest.title},
        "withdrawn",
        {"entry": entry},
    )


def submission_phase_queue(entry, person: User) -> EmailDelivery | None:
    """The questions are closed: what is left is to submit, by the deadline."""
    contest = entry.contest
    return _queue(
        person,
        f"contests:phase:{contest.pk}:submission:{person.pk}",
        lambda: _("%(contest)s: si consegna entro il termine") % {"contest": contest.title},
        "phase_submission",
        {"entry": entry},
    )


def jury_reminder_queue(contest, juror: User, pending: int) -> EmailDelivery | None:
    """Before the end of the jury's work: how many assigned entries wait (no code, no name)."""
    return _queue(
        juror,
        f"contests:jury-reminder:{contest.pk}:{juror.pk}",
        lambda: _("%(contest)s: valutazioni da inviare") % {"contest": contest.title},
        "jury_reminder",
        {"contest": contest, "pending": pending},
    )


def answer_queue(question) -> EmailDelivery | None:
    """To who asked: the question has its public answer on the contest page."""
    person = question.asker
    if person is None or not person.is_active:
        return None
    return _queue(
        person,
        f"contests:answer:{question.pk}",
        lambda: _("%(contest)s: risposta alla tua domanda") % {"contest": question.contest.title},
        "answer",
        {"question": question},
    )
