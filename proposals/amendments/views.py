"""The change set's review screen (moderation area, Wagtail admin) and the public page of a
published change. Thin: every write goes through :mod:`proposals.amendments.services`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import REFUSALS, message_refusal
from core.ids import parse_id
from proposals import rules as proposal_rules
from proposals.amendments import selectors, services
from proposals.amendments.forms import ChangeSetPublishForm, ConflictRemoveForm, ConflictResolveForm
from proposals.models import Amendment, ChangeSet, ChangeSetState, Proposal
from proposals.selectors import word_diff


def _amendment_in(request, change_set: ChangeSet) -> Amendment:
    amendment = Amendment.objects.filter(
        pk=parse_id(request.POST.get("amendment", "")) or 0, change_set=change_set
    ).first()
    if amendment is None:
        raise ValidationError(_("L'emendamento non è in attesa in questa modifica."))
    return amendment


@require_http_methods(["GET", "POST"])
def change_set_review(request, change_set_id: int):
    """Review a change to an action's text: resolve conflicts, take amendments out, publish."""
    change_set = get_object_or_404(ChangeSet.objects.select_related("action"), pk=change_set_id)
    if error := proposal_rules.change_set_review_error(request.user, change_set):
        raise PermissionDenied(error)
    publish_form = ChangeSetPublishForm()
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "publish":
                publish_form = ChangeSetPublishForm(request.POST)
                if publish_form.is_valid():
                    services.changeset_publish(actor=request.user, change_set=change_set)
                    messages.success(
                        request,
                        _(
                            "Nuovo testo dell'azione pubblicato: gli emendamenti risultano "
                            "integrati e chi li ha proposti riceve una notifica."
                        ),
                    )
                    return redirect(request.path)
            elif op == "resolve":
                form = ConflictResolveForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Scrivi il testo con l'emendamento integrato."))
                services.changeset_resolve(
                    actor=request.user,
                    change_set=change_set,
                    amendment=_amendment_in(request, change_set),
                    text=form.cleaned_data["text"],
                )
                messages.success(
                    request, _("Conflitto risolto: il testo in preparazione è aggiornato.")
                )
                return redirect(request.path)
            elif op == "remove":
                form = ConflictRemoveForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Scrivi la risposta ufficiale: sarà pubblica."))
                services.changeset_remove(
                    actor=request.user,
                    change_set=change_set,
                    amendment=_amendment_in(request, change_set),
                    answer=form.cleaned_data["answer"],
                )
                messages.success(
                    request, _("Emendamento tolto dalla modifica: torna in valutazione.")
                )
                return redirect(request.path)
            else:
                raise ValidationError(_("Azione sconosciuta."))
        except REFUSALS as error:
            message_refusal(request, error)
        change_set.refresh_from_db()
    context = selectors.change_set_review(change_set=change_set)
    context.update(
        {
            "publish_form": publish_form,
            "resolve_initial": change_set.text,
            "header_title": _("Modifica al testo dell'azione %(code)s")
            % {"code": change_set.action.code},
        }
    )
    return render(request, "proposals/moderation/change_set.html", context)


@require_http_methods(["GET"])
def change_set_public(request, pk: int):
    """A published change to an action's text: the text before and after, word by word, and
    the amendments it incorporated (those the viewer may see)."""
    change_set = get_object_or_404(
        ChangeSet.objects.select_related("action", "published_revision"),
        pk=pk,
        state=ChangeSetState.PUBLISHED,
    )
    if not change_set.action.live:
        raise Http404
    proposals = (
        Proposal.objects.visible_to(request)
        .filter(amendment__change_set=change_set)
        .select_related("author")
        .order_by("pk")
    )
    return render(
        request,
        "proposals/change_set.html",
        {
            "change_set": change_set,
            "action": change_set.action,
            "diff": word_diff(change_set.previous_text, change_set.published_text),
            "proposals": list(proposals),
        },
    )
