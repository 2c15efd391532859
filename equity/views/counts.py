"""Where facilitators enter the counts the dashboard cannot see for itself: the people in the
room at a workshop and the paper submissions of a consultation (docs/equity.md).

Every view checks the same permission as its service (``equity.count_workshop`` on the
session, ``equity.count_paper`` on the consultation) before showing anything; every write is a
POST handled by a service, then a redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from consultations.models import ConsultationPage
from core.errors import REFUSALS, message_refusal, refusal_message
from equity import services
from equity.forms import HeadcountForm, PaperTallyForm, WithdrawForm
from equity.models import PaperTally, WorkshopHeadcount
from proposals.moderation.selectors import moderable_consultations
from workshops.models import Admission, LiveSession

#: Workshops listed on the index (newest first).
SESSIONS_SHOWN = 30


def _refuse(request, message: str):
    return render(request, "equity/refused.html", {"message": message}, status=403)


def _save_count(request, form, add, done: str, back: str):
    """On a valid POST, ``add(**form.cleaned_data)``: the redirect to ``back`` once saved, or
    ``None`` (a refusal goes on the form) so that the page is shown again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        add(**form.cleaned_data)
    except REFUSALS as error:
        form.add_error(None, refusal_message(error))
        return None
    messages.success(request, done)
    return redirect(back)


def _entries(queryset):
    entries = list(queryset.select_related("comune", "entered_by", "withdrawn_by"))
    total = sum(e.count for e in entries if not e.is_withdrawn)
    return entries, total


@never_cache
@login_required
@require_GET
def index(request):
    """The workshops this person may count and the consultations whose paper they may count."""
    consultations = list(moderable_consultations(user=request.user))
    candidates = (
        LiveSession.objects.filter(
            Q(facilitator=request.user) | Q(page__in=[c.pk for c in consultations])
        )
        .select_related("page", "comune")
        .order_by("-created_at")[:SESSIONS_SHOWN]
    )
    sessions = [s for s in candidates if request.user.has_perm("equity.count_workshop", s)]
    return render(
        request,
        "equity/counts_index.html",
        {"sessions": sessions, "consultations": consultations},
    )


@never_cache
@login_required
def headcount(request, pk: int):
    session = get_object_or_404(LiveSession.objects.select_related("page", "comune"), pk=pk)
    if not request.user.has_perm("equity.count_workshop", session):
        return _refuse(request, _("Solo chi conduce il laboratorio può registrarne le presenze."))
    form = HeadcountForm(request.POST or None)
    saved = _save_count(
        request,
        form,
        lambda **data: services.headcount_add(user=request.user, session=session, **data),
        _("Presenze registrate."),
        reverse("equity:headcount", args=[session.pk]),
    )
    if saved:
        return saved
    entries, total = _entries(WorkshopHeadcount.objects.filter(session=session))
    return render(
        request,
        "equity/headcount.html",
        {
            "session": session,
            "form": form,
            "entries": entries,
            "total": total,
            "admissions": Admission.objects.filter(session=session).count(),
            "withdraw_form": WithdrawForm(),
        },
    )


@never_cache
@login_required
def paper(request, pk: int):
    consultation = get_object_or_404(ConsultationPage, pk=pk)
    if not request.user.has_perm("equity.count_paper", consultation):
        return _refuse(
            request, _("Solo chi facilita la consultazione può registrarne le schede su carta.")
        )
    form = PaperTallyForm(request.POST or None)
    saved = _save_count(
        request,
        form,
        lambda **data: services.paper_tally_add(
            user=request.user, consultation=consultation, **data
        ),
        _("Schede registrate."),
        reverse("equity:paper", args=[consultation.pk]),
    )
    if saved:
        return saved
    entries, total = _entries(PaperTally.objects.filter(consultation=consultation))
    return render(
        request,
        "equity/paper.html",
        {
            "consultation": consultation,
            "form": form,
            "entries": entries,
            "total": total,
            "withdraw_form": WithdrawForm(),
        },
    )


def _withdraw(request, entry, back: str):
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scrivi perché ritiri il conteggio."))
        return redirect(back)
    try:
        services.count_withdraw(user=request.user, entry=entry, reason=form.cleaned_data["reason"])
    except REFUSALS as error:
        message_refusal(request, error)
    else:
        messages.success(request, _("Conteggio ritirato: resta nell'elenco, ma non conta più."))
    return redirect(back)


@login_required
@require_POST
def headcount_withdraw(request, pk: int, entry_pk: int):
    entry = get_object_or_404(
        WorkshopHeadcount.objects.select_related("session__page"), pk=entry_pk, session_id=pk
    )
    if not request.user.has_perm("equity.count_workshop", entry.session):
        return _refuse(request, _("Solo chi conduce il laboratorio può ritirarne le presenze."))
    return _withdraw(request, entry, reverse("equity:headcount", kwargs={"pk": pk}))


@login_required
@require_POST
def paper_withdraw(request, pk: int, entry_pk: int):
    entry = get_object_or_404(
        PaperTally.objects.select_related("consultation"), pk=entry_pk, consultation_id=pk
    )
    if not request.user.has_perm("equity.count_paper", entry.consultation):
        return _refuse(
            request, _("Solo chi facilita la consultazione può ritirarne le schede su carta.")
        )
    return _withdraw(request, entry, reverse("equity:paper", kwargs={"pk": pk}))
