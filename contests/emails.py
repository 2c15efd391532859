"""The contest's e-mails, through the notifications app's delivery ledger (one keyed row per
e-mail, sent once): invitation, receipt, jury assignment, result. They are work notices and
receipts (transactional). The juror's e-mail names the entry by its code only."""

from __future__ import annotations

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


def invitation_queue(member, invitee: User) -> EmailDelivery | None:
    entry = member.entry
    with in_language_of(invitee):
        return email_queue(
            user=invitee,
            key=f"contests:invitation:{member.pk}",
            subject=_("Invito in una squadra: %(contest)s") % {"contest": entry.contest.title},
            body=_render("invitation", {"member": member, "entry": entry, "person": invitee}),
            transactional=True,
        )


def receipt_queue(entry, person: User) -> EmailDelivery | None:
    with in_language_of(person):
        return email_queue(
            user=person,
            key=f"contests:receipt:{entry.pk}:{person.pk}",
            subject=_("Ricevuta %(protocol)s") % {"protocol": entry.protocol},
            body=_render("receipt", {"entry": entry, "person": person}),
            transactional=True,
        )


def assignment_queue(assignment) -> EmailDelivery | None:
    juror, entry = assignment.juror, assignment.entry
    with in_language_of(juror):
        return email_queue(
            user=juror,
            key=f"contests:assigned:{assignment.pk}",
            subject=_("Progetto da valutare: %(code)s") % {"code": entry.code},
            body=_render("assigned", {"assignment": assignment, "entry": entry, "person": juror}),
            transactional=True,
        )


def result_queue(entry, person: User, *, won: bool) -> EmailDelivery | None:
    with in_language_of(person):
        return email_queue(
            user=person,
            key=f"contests:result:{entry.contest_id}:{person.pk}",
            subject=_("%(contest)s: i risultati") % {"contest": entry.contest.title},
            body=_render("result", {"entry": entry, "person": person, "won": won}),
            transactional=True,
        )


def withdrawal_queue(entry, person: User) -> EmailDelivery | None:
    """To every member: the entry is withdrawn (its protocol, if any, stays valid)."""
    with in_language_of(person):
        return email_queue(
            user=person,
            key=f"contests:withdrawn:{entry.pk}:{person.pk}",
            subject=_("%(contest)s: progetto ritirato") % {"contest": entry.contest.title},
            body=_render("withdrawn", {"entry": entry, "person": person}),
            transactional=True,
        )


def submission_phase_queue(entry, person: User) -> EmailDelivery | None:
    """The questions are closed: what is left is to submit, by the deadline."""
    contest = entry.contest
    with in_language_of(person):
        return email_queue(
            user=person,
            key=f"contests:phase:{contest.pk}:submission:{person.pk}",
            subject=_("%(contest)s: si consegna entro il termine") % {"contest": contest.title},
            body=_render("phase_submission", {"entry": entry, "person": person}),
            transactional=True,
        )


def jury_reminder_queue(contest, juror: User, pending: int) -> EmailDelivery | None:
    """Before the end of the jury's work: how many assigned entries wait (no code, no name)."""
    with in_language_of(juror):
        return email_queue(
            user=juror,
            key=f"contests:jury-reminder:{contest.pk}:{juror.pk}",
            subject=_("%(contest)s: valutazioni da inviare") % {"contest": contest.title},
            body=_render(
                "jury_reminder", {"contest": contest, "person": juror, "pending": pending}
            ),
            transactional=True,
        )


def answer_queue(question) -> EmailDelivery | None:
    """To who asked: the question has its public answer on the contest page."""
    person = question.asker
    if person is None or not person.is_active:
        return None
    with in_language_of(person):
        return email_queue(
            user=person,
            key=f"contests:answer:{question.pk}",
            subject=_("%(contest)s: risposta alla tua domanda")
            % {"contest": question.contest.title},
            body=_render("answer", {"question": question, "person": person}),
            transactional=True,
        )
