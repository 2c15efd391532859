"""Selection: corrections of the ranking, confirmation (outcomes applied through the state
machine), publication of the anonymised report."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from leadership.models import Application, CallPage, SelectionOverride, SelectionRun
from leadership.models import ApplicationStatus as S
from leadership.selectors import Proposal, selection_proposal
from leadership.services.access import require_coordinator
from leadership.services.reports import quota_effect_report, selection_report
from leadership.services.transitions import application_transition


@transaction.atomic
def selection_adjust(
    *, application: Application, include: bool | None, motivation: str, actor: User
) -> None:
    """Force someone in or out of the proposal (``None`` removes the correction)."""
    require_coordinator(actor)
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


def selection_confirm_error(call: CallPage, proposal: Proposal | None = None) -> str | None:
    """Why the selection cannot be confirmed yet, in Italian; None when it can.

    The one place for the rule: the service refuses with this reason and the coordinator's page
    disables the button and shows it. ``proposal``: the current proposal, if already computed.
    """
    if SelectionRun.objects.filter(call=call).exists():
        return _("La selezione è già stata confermata.")
    if not call.is_closed():
        return _("Le candidature sono ancora aperte: la selezione si conferma dopo la chiusura.")
    unassigned = Application.objects.filter(call=call, status=S.ELIGIBLE).count()
    if unassigned:
        return ngettext(
            "%(n)d candidatura ammissibile non è ancora assegnata a nessun valutatore/trice: "
            "assegnala prima di confermare.",
            "%(n)d candidature ammissibili non sono ancora assegnate a nessun "
            "valutatore/trice: assegnale prima di confermare.",
            unassigned,
        ) % {"n": unassigned}
    proposal = proposal or selection_proposal(call)
    if proposal.unreviewed:
        n = len(proposal.unreviewed)
        return ngettext(
            "%(n)d candidatura in valutazione non ha ancora nessuna valutazione inviata: "
            "completala o ritirane l'assegnazione prima di confermare.",
            "%(n)d candidature in valutazione non hanno ancora nessuna valutazione "
            "inviata: completale o ritirane l'assegnazione prima di confermare.",
            n,
        ) % {"n": n}
    if not proposal.rows:
        return _("Non c'è ancora nessuna candidatura valutata da selezionare.")
    return None


def selection_confirm(*, call: CallPage, actor: User) -> SelectionRun:
    """Apply the proposal: selected / waitlisted / not selected, each with its reason."""
    require_coordinator(actor)
    with transaction.atomic():
        CallPage.objects.select_for_update().filter(pk=call.pk).first()
        proposal = selection_proposal(call)
        refusal = selection_confirm_error(call, proposal)
        if refusal:
            raise ValidationError(refusal)
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
        run = SelectionRun.objects.create(
            call=call,
            confirmed_by=actor,
            report={},
            moves=[
                {"application": m.id, "before": m.before, "after": m.after, "rules": list(m.rules)}
                for m in result.moves
            ],
        )
        run.report = {
            **selection_report(call),
            "infeasible_quotas": result.infeasible,
            "applied_quotas": result.applied_quotas,
            "quota_effects": quota_effect_report(result.moves, result.applied_quotas),
        }
        run.save(update_fields=["report"])
    return run


@transaction.atomic
def selection_publish_report(*, call: CallPage, actor: User, published: bool) -> None:
    require_coordinator(actor)
    updated = SelectionRun.objects.filter(call=call).update(report_published=published)
    if not updated:
        raise ValidationError(_("Non c'è ancora una selezione confermata."))
