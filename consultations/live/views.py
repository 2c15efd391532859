"""Live workshop pages: join, phone, projector, facilitator console, archive, exports.

Every write is a POST handled by a service, then a redirect: everything works without
JavaScript. ``?fragment=1`` returns only the part of a page that live.js refreshes.
"""

import csv
import re
import secrets

import qrcode
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from qrcode.image.svg import SvgPathImage
from wagtail.models import Page

from consultations.live import selectors, services
from consultations.live.forms import (
    ActivityForm,
    IdeaForm,
    JoinForm,
    SessionCreateForm,
    answer_form_for,
)
from consultations.live.models import Activity, Answer, Idea, LiveSession
from consultations.live.services import LiveError, Participant

DEVICE_COOKIE = "psm_live_device"
DEVICE_SALT = "live.device"
DEVICE_MAX_AGE = 60 * 60 * 24 * 30
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,32}$")


# --------------------------------------------------------------------------- helpers


def _participant(request) -> tuple[Participant, str | None]:
    """The person (logged in) or the device (a random token, no personal data)."""
    if request.user.is_authenticated:
        return Participant(key=f"u{request.user.pk}", user=request.user), None
    token = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
    new_token = None
    if not token or not _TOKEN.match(token):
        token = new_token = secrets.token_urlsafe(16)
    return Participant(key=f"d{token}"), new_token


def _remember_device(request, response, token: str | None):
    if token:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            token,
            salt=DEVICE_SALT,
            max_age=DEVICE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _refuse(request, message: str, status: int = 403):
    return render(request, "live/refused.html", {"message": message}, status=status)


def _facilitated_session(request, pk: int) -> LiveSession | None:
    session = get_object_or_404(LiveSession.objects.select_related("page"), pk=pk)
    if not services.can_facilitate(user=request.user, session=session):
        return None
    return session


def _is_fragment(request) -> bool:
    return request.GET.get("fragment") == "1"


# --------------------------------------------------------------------------- joining


@require_GET
def join(request):
    form = JoinForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        session = selectors.session_open_by_code(
            code=selectors.normalise_code(form.cleaned_data["code"])
        )
        if session is not None:
            return redirect("live:participate", code=session.code)
        form.add_error(
            "code",
            _(
                "Nessun laboratorio aperto con questo codice. Controlla le lettere sullo "
                "schermo della sala e riprova."
            ),
        )
    sessions = []
    if request.user.is_authenticated:
        sessions = list(
            LiveSession.objects.filter(facilitator=request.user).select_related("page")[:20]
        )
    return render(request, "live/join.html", {"form": form, "my_sessions": sessions})


@login_required
def session_create(request):
    form = SessionCreateForm(request.POST or None, initial={"page": request.GET.get("page")})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                page=form.cleaned_data["page"],
                facilitator=request.user,
                title=form.cleaned_data["title"],
            )
        except LiveError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Laboratorio creato. Codice di accesso: %(code)s") % {"code": session.code},
            )
            return redirect("live:console", pk=session.pk)
    return render(request, "live/create.html", {"form": form})


# --------------------------------------------------------------------------- phone


def _participate_context(request, session: LiveSession, participant: Participant) -> dict:
    activity = session.current_activity
    context: dict = {"session": session, "activity": activity, "state": None}
    if activity is not None:
        state = selectors.session_public_state(session)
        context["state"] = state
        context["results"] = state["activity"]["results"]
        context["answered"] = Answer.objects.filter(
            activity=activity, participant_key=participant.key
        ).exists()
        if activity.kind == Activity.Kind.IDEAS:
            context["my_ideas"] = list(
                Idea.objects.filter(activity=activity, participant_key=participant.key)
            )
            context["ideas_left"] = services.MAX_IDEAS_PER_PARTICIPANT - len(context["my_ideas"])
            context["form"] = IdeaForm()
        else:
            context["form"] = answer_form_for(activity)
    return context


@never_cache
@require_GET
def participate(request, code: str):
    normal = selectors.normalise_code(code)
    if normal != code:
        return redirect("live:participate", code=normal)
    session = selectors.session_open_by_code(code=code)
    if session is None:
        ended = LiveSession.objects.filter(code=code).order_by("-created_at").first()
        return render(request, "live/not_found.html", {"ended": ended, "code": code}, status=404)
    participant, token = _participant(request)
    context = _participate_context(request, session, participant)
    template = (
        "live/includes/participate_region.html"
        if _is_fragment(request)
        else "live/participate.html"
    )
    return _remember_device(request, render(request, template, context), token)


def _open_activity(code: str, activity_pk) -> Activity | None:
    session = selectors.session_open_by_code(code=selectors.normalise_code(code))
    if session is None:
        return None
    return (
        Activity.objects.select_related("session").filter(pk=activity_pk, session=session).first()
    )


def _activity_gone(request, code: str):
    """The session closed (or the activity is not in it) while the phone was on the page."""
    messages.error(request, _("Questa attività non è più disponibile."))
    return redirect("live:participate", code=selectors.normalise_code(code))


@require_POST
def answer(request, code: str, activity_pk: int):
    activity = _open_activity(code, activity_pk)
    if activity is None:
        return _activity_gone(request, code)
    participant, token = _participant(request)
    form = answer_form_for(activity, request.POST)
    if not form.is_valid():
        messages.error(request, _("Scegli una risposta tra quelle proposte prima di inviare."))
    else:
        try:
            services.answer_submit(activity=activity, participant=participant, value=form.value())
        except LiveError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Risposta registrata, grazie!"))
    response = redirect("live:participate", code=activity.session.code)
    return _remember_device(request, response, token)


@require_POST
def idea(request, code: str, activity_pk: int):
    activity = _open_activity(code, activity_pk)
    if activity is None:
        return _activity_gone(request, code)
    participant, token = _participant(request)
    form = IdeaForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scrivi un'idea di al massimo 280 caratteri."))
    else:
        try:
            services.idea_submit(
                activity=activity, participant=participant, text=form.cleaned_data["text"]
            )
        except LiveError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Idea inviata! Comparirà sullo schermo quando sarà approvata.")
            )
    response = redirect("live:participate", code=activity.session.code)
    return _remember_device(request, response, token)


@require_GET
def qr_code(request, code: str):
    session = selectors.session_open_by_code(code=selectors.normalise_code(code))
    if session is None:
        raise Http404
    url = request.build_absolute_uri(reverse("live:participate", kwargs={"code": session.code}))
    image = qrcode.make(url, image_factory=SvgPathImage, box_size=12, border=2)
    response = HttpResponse(image.to_string(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=600"
    return response


# --------------------------------------------------------------------------- projector


@never_cache
@require_GET
def projector(request, pk: int):
    session = get_object_or_404(
        LiveSession.objects.select_related("page", "current_activity"), pk=pk
    )
    state = selectors.session_public_state(session)
    context = {
        "session": session,
        "activity": session.current_activity,
        "state": state,
        "results": state["activity"]["results"] if state["activity"] else None,
        "join_url": request.build_absolute_uri(reverse("live:join")),
    }
    template = (
        "live/includes/projector_region.html" if _is_fragment(request) else "live/projector.html"
    )
    return render(request, template, context)


# --------------------------------------------------------------------------- console


@never_cache
@login_required
@require_GET
def console(request, pk: int):
    session = _facilitated_session(request, pk)
    if session is None:
        return _refuse(request, _("Solo chi conduce questo laboratorio può aprire la console."))
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
        "activity_form": ActivityForm(),
        "proposals_available": services.ideas_can_become_proposals(session=session),
    }
    template = "live/includes/console_region.html" if _is_fragment(request) else "live/console.html"
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
    session = _facilitated_session(request, pk)
    if session is None:
        return _refuse(request, _("Solo chi conduce questo laboratorio può farlo."))
    action = request.POST.get("action", "")
    if action not in CONSOLE_ACTIONS:
        messages.error(request, _("Azione non riconosciuta."))
        return redirect("live:console", pk=session.pk)
    user = request.user
    try:
        if action == "next":
            services.session_next(session=session, actor=user)
        elif action == "close_session":
            services.session_close(session=session, actor=user)
            messages.success(request, _("Laboratorio chiuso. I risultati restano consultabili."))
            return redirect("live:archive", pk=session.pk)
        elif action in {"approve", "unapprove"}:
            item = Idea.objects.filter(
                pk=_int(request.POST.get("idea")), activity__session=session
            ).first()
            if item is None:
                raise LiveError(_("Idea non trovata."))
            services.idea_set_approved(idea=item, actor=user, approved=action == "approve")
        else:
            activity = session.activities.filter(pk=_int(request.POST.get("activity"))).first()
            if activity is None:
                raise LiveError(_("Attività non trovata."))
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
    except LiveError as error:
        messages.error(request, str(error))
    return redirect(reverse("live:console", kwargs={"pk": session.pk}) + "#attivita")


def _int(raw) -> int | None:
    """A database id from a form field, or None (absurd values included)."""
    text = str(raw or "").strip()
    if not text.isdigit() or len(text) > 18:
        return None
    return int(text)


@login_required
@require_POST
def activity_add(request, pk: int):
    session = _facilitated_session(request, pk)
    if session is None:
        return _refuse(request, _("Solo chi conduce questo laboratorio può farlo."))
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
        except LiveError as error:
            form.add_error(None, str(error))
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
    session = _facilitated_session(request, pk)
    if session is None:
        return _refuse(request, _("Solo chi conduce questo laboratorio può farlo."))
    try:
        created = services.session_ideas_to_proposals(session=session, actor=request.user)
    except LiveError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Proposte create dalle idee approvate: %(n)d.") % {"n": len(created)}
        )
    return redirect("live:archive", pk=session.pk)


# --------------------------------------------------------------------------- after the session


@require_GET
def archive(request, pk: int):
    session = get_object_or_404(LiveSession.objects.select_related("page"), pk=pk)
    rows = [
        (activity, results)
        for activity, results in selectors.session_activities_with_results(session)
        if not session.is_open or activity.results_visible
    ]
    can_facilitate = services.can_facilitate(user=request.user, session=session)
    return render(
        request,
        "live/archive.html",
        {
            "session": session,
            "rows": rows,
            "can_facilitate": can_facilitate,
            "proposals_available": can_facilitate
            and services.ideas_can_become_proposals(session=session),
        },
    )


@login_required
@require_GET
def results_csv(request, pk: int):
    session = _facilitated_session(request, pk)
    if session is None:
        return _refuse(request, _("Solo chi conduce questo laboratorio può scaricare i risultati."))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="laboratorio-{session.pk}.csv"'
    response.write("\ufeff")  # spreadsheet programs then read UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("attività"),
            _("tipo"),
            _("domanda"),
            _("voce"),
            _("conteggio"),
            _("percentuale"),
            _("risposte"),
        ]
    )
    for activity, results in selectors.session_activities_with_results(session):
        if activity.kind == Activity.Kind.IDEAS:
            for item in results["ideas"]:
                writer.writerow(
                    [
                        activity.order,
                        activity.get_kind_display(),
                        _safe(activity.prompt),
                        _safe(item["text"]),
                        "",
                        "",
                        results["total"],
                    ]
                )
            continue
        for item in results["items"]:
            writer.writerow(
                [
                    activity.order,
                    activity.get_kind_display(),
                    _safe(activity.prompt),
                    _safe(item["label"]),
                    item["count"],
                    item["percent"],
                    results["total"],
                ]
            )
    return response


def _safe(text: str) -> str:
    """Spreadsheet formula injection: text starting with = + - @ is prefixed with '."""
    return f"'{text}" if text[:1] in {"=", "+", "-", "@"} else text


# --------------------------------------------------------------------------- consultation pages


@require_GET
def consultation_totals(request, pk: int):
    """Re-sync after a reconnection: supports per published proposal of a consultation."""
    if not Page.objects.live().public().filter(pk=pk).exists():
        raise Http404
    totals: dict[str, int] = {}
    try:
        proposal_model = apps.get_model("proposals", "Proposal")
    except LookupError:
        proposal_model = None
    if proposal_model is not None:
        queryset = proposal_model._default_manager.filter(consultation_id=pk)
        if hasattr(queryset, "published"):
            queryset = queryset.published()
        if hasattr(queryset, "annotate_support_count"):
            rows = queryset.annotate_support_count().values_list("pk", "support_count")
            totals = {str(pk_): count or 0 for pk_, count in rows}
    response = JsonResponse({"consultation": pk, "supports": totals})
    response["Cache-Control"] = "no-store"
    return response
