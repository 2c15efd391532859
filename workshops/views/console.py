"""The facilitator's side of a live workshop: creating it, the console and the projector.

The console (``live.facilitate_session``) opens, closes and reveals activities and approves
ideas. The projector shows what the phones see plus the join code, so it is not public: who
conducts the session opens it at ``sessione/<id>/schermo/``, and a classroom computer without
a login opens it through the secret projector link (``schermo/<token>/``), which the console
can regenerate (the old link then stops working). Every write is a POST handled by a
service, then a redirect: everything works without JavaScript. ``?fragment=1`` returns only the
part of a page that live.js refreshes. The projector has a page of its own, without the site's
header and footer (``live/screen_base.html``); the console follows the projector's socket, so
answers, arrivals and results reach it as they happen.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.errors import REFUSALS, message_refusal, refusal_message
from core.ids import parse_id
from workshops import conversation_reads, selectors, services
from workshops.forms import ActivityForm, SessionCreateForm
from workshops.models import Idea, LiveSession
from workshops.views.common import facilitated_session, is_fragment, refuse
from workshops.views.phones import qr_svg


@login_required
def session_create(request):
    form = SessionCreateForm(request.POST or None, initial={"page": request.GET.get("page")})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                page=form.cleaned_data["page"],
                facilitator=request.user,
                title=form.cleaned_data["title"],
                comune=form.cleaned_data["comune"],
            )
        except REFUSALS as error:
            form.add_error(None, refusal_message(error))
        else:
            messages.success(
                request,
                _("Laboratorio creato. Codice di accesso: %(code)s") % {"code": session.code},
            )
            return redirect("live:console", pk=session.pk)
    return render(request, "live/create.html", {"form": form})


def _projector_page(request, session: LiveSession, *, token: str = ""):
    state = selectors.session_public_state(session)
    if token:
        page_url = reverse("live:projector_link", kwargs={"token": token})
        socket = f"/ws/live/{session.pk}/?schermo={token}"
    else:
        page_url = reverse("live:projector", kwargs={"pk": session.pk})
        socket = f"/ws/live/{session.pk}/"
    context = {
        "session": session,
        "activity": session.current_activity,
        "state": state,
        "results": state["activity"]["results"] if state["activity"] else None,
        "join_url": request.build_absolute_uri(reverse("live:join")),
        "page_url": page_url,
        "socket_path": socket,
    }
    if conversation_reads.is_conversation(session.current_activity):
        context.update(conversation_reads.projector_context(session.current_activity))
    if is_fragment(request):
        return render(request, "live/includes/projector_region.html", context)
    if session.is_open:
        context["qr_svg"] = qr_svg(request, session)
    # the site's Referrer-Policy (same-origin) keeps the link's secret from other sites
    return render(request, "live/projector.html", context)


@never_cache
@login_required
@require_GET
def projector(request, pk: int):
    session = facilitated_session(request, pk)
    if session is None:
        return refuse(
            request,
            _(
                "Lo schermo del laboratorio mostra il codice di accesso: lo apre solo chi "
                "conduce, oppure un computer con il collegamento per lo schermo."
            ),
        )
    session = LiveSession.objects.select_related("page", "current_activity").get(pk=session.pk)
    return _projector_page(request, session)


@never_cache
@require_GET
def projector_link(request, token: str):
    session = services.session_by_projector_token(token)
    if session is None:
        raise Http404
    return _projector_page(request, session, token=session.projector_token)


@login_required
@require_POST
def projector_link_renew(request, pk: int):
    session = facilitated_session(request, pk)
    if session is None:
        return refuse(request, _("Solo chi conduce questo laboratorio può farlo."))
    try:
        services.projector_link_renew(session=session, actor=request.user)
    except REFUSALS as error:
        message_refusal(request, error)
    else:
        messages.success(
            request,
            _("Nuovo collegamento per lo schermo creato: quello di prima non funziona più."),
        )
    return redirect(reverse("live:console", kwargs={"pk": session.pk}) + "#schermo")


@never_cache
@login_required
@require_GET
def console(request, pk: int):
    session = facilitated_session(request, pk)
    if session is None:
        return refuse(request, _("Solo chi conduce questo laboratorio può aprire la console."))
    ideas_by_activity: dict[int, list[Idea]] = {}
    for item in selectors.pending_ideas(session):
        ideas_by_activity.setdefault(item.activity_id, []).append(item)
    rows = [
        (activity, results, ideas_by_activity.get(activity.pk, []))
        for activity, results in selectors.session_activities_with_results(session)
    ]
    context = {
        "session": session,
        "rows": rows,
        "projector_link": request.build_absolute_uri(
            reverse("live:projector_link", kwargs={"token": session.projector_token})
        )
        if session.projector_token
        else "",
        "participants": session.admissions.count(),
        "activity_form": ActivityForm(),
        "proposals_available": services.ideas_can_become_proposals(session=session),
    }
    template = "live/includes/console_region.html" if is_fragment(request) else "live/console.html"
    return render(request, template, context)


CONSOLE_ACTIONS = {
    "open",
    "close",
    "show",
    "reveal",
    "hide",
    "approve",
    "unapprove",
    "next",
    "close_session",
}


@login_required
@require_POST
def console_action(request, pk: int):
    session = facilitated_session(request, pk)
    if session is None:
        return refuse(request, _("Solo chi conduce questo laboratorio può farlo."))
    action = request.POST.get("action", "")
    if action not in CONSOLE_ACTIONS:
        messages.error(request, _("Azione non riconosciuta."))
        return redirect("live:console", pk=session.pk)
    if action == "close_session":
        try:
            services.session_close(session=session, actor=request.user)
        except REFUSALS as error:
            message_refusal(request, error)
        else:
            messages.success(request, _("Laboratorio chiuso. I risultati restano consultabili."))
            return redirect("live:archive", pk=session.pk)
        return redirect(reverse("live:console", kwargs={"pk": session.pk}) + "#attivita")
    try:
        _run_console_action(request, session, action)
    except REFUSALS as error:
        message_refusal(request, error)
    return redirect(reverse("live:console", kwargs={"pk": session.pk}) + "#attivita")


def _run_console_action(request, session, action: str) -> None:
    """One console button on the session, an idea or an activity; refusals propagate."""
    user = request.user
    if action == "next":
        services.session_next(session=session, actor=user)
        return
    if action in {"approve", "unapprove"}:
        item = Idea.objects.filter(
            pk=parse_id(request.POST.get("idea")), activity__session=session
        ).first()
        if item is None:
            raise ValidationError(_("Idea non trovata."))
        services.idea_set_approved(idea=item, actor=user, approved=action == "approve")
        return
    activity = session.activities.filter(pk=parse_id(request.POST.get("activity"))).first()
    if activity is None:
        raise ValidationError(_("Attività non trovata."))
    if action == "open":
        services.activity_open(activity=activity, actor=user)
    elif action == "close":
        services.activity_close(activity=activity, actor=user)
    elif action == "show":
        services.activity_show(activity=activity, actor=user)
    else:
        services.activity_set_results_visible(
            activity=activity, actor=user, visible=action == "reveal"
        )


@login_required
@require_POST
def activity_add(request, pk: int):
    session = facilitated_session(request, pk)
    if session is None:
        return refuse(request, _("Solo chi conduce questo laboratorio può farlo."))
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            services.activity_add(
                session=session,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                prompt=form.cleaned_data["prompt"],
                options=form.option_list(),
            )
        except REFUSALS as error:
            form.add_error(None, refusal_message(error))
        else:
            messages.success(request, _("Attività aggiunta."))
            return redirect(reverse("live:console", kwargs={"pk": session.pk}) + "#attivita")
    messages.error(request, _("L'attività non è stata aggiunta: controlla il modulo."))
    for error in form.non_field_errors():
        messages.error(request, error)
    for field in ("kind", "prompt", "options"):
        for error in form.errors.get(field, []):
            messages.error(request, f"{form.fields[field].label}: {error}")
    return redirect(reverse("live:console", kwargs={"pk": session.pk}) + "#nuova-attivita")


@login_required
@require_POST
def ideas_to_proposals(request, pk: int):
    session = facilitated_session(request, pk)
    if session is None:
        return refuse(request, _("Solo chi conduce questo laboratorio può farlo."))
    try:
        created = services.session_ideas_to_proposals(session=session, actor=request.user)
    except REFUSALS as error:
        message_refusal(request, error)
    else:
        messages.success(
            request, _("Proposte create dalle idee approvate: %(n)d.") % {"n": len(created)}
        )
    return redirect("live:archive", pk=session.pk)
