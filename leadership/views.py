"""Thin views: read through selectors, write through services, explain refusals in Italian."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Gender, User
from leadership import certificates, selectors, services
from leadership.forms import AdjustForm, ApplicationForm, DocumentForm, ReviewForm, SessionForm
from leadership.models import (
    Application,
    ApplicationDocument,
    CallPage,
    Category,
    Certificate,
    Cohort,
    Review,
    SelectionRun,
    Session,
    Stage,
)
from leadership.models import ApplicationStatus as S
from leadership.predicates import is_coordinator, is_reviewer


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _coordinator_only(request) -> None:
    if not is_coordinator(request.user):
        raise PermissionDenied(_("Solo il coordinamento del programma può aprire questa pagina."))


def _own_application(request, pk) -> Application:
    application = get_object_or_404(Application.objects.select_related("call", "applicant"), pk=pk)
    if application.applicant_id != request.user.pk:
        raise Http404  # never reveal that someone else's application exists
    return application


# --------------------------------------------------------------------------- candidates


@login_required
def my_applications(request):
    applications = (
        Application.objects.filter(applicant=request.user)
        .select_related("call")
        .order_by("-created_at")
    )
    return render(request, "leadership/my_applications.html", {"applications": applications})


@login_required
def apply(request, call_id):
    call = get_object_or_404(CallPage.objects.live(), pk=call_id)
    existing = Application.objects.filter(call=call, applicant=request.user).first()
    if existing is None:
        if request.method != "POST":
            return render(request, "leadership/apply_start.html", {"call": call})
        try:
            existing = services.application_start(call=call, applicant=request.user)
        except ValidationError as error:
            _errors(request, error)
            return redirect(call.url)
        return redirect("leadership:apply", call_id=call.pk)
    application = existing
    if request.method == "POST" and application.is_draft:
        form = ApplicationForm(request.POST, call=call, application=application)
        form.is_valid()
        try:
            services.application_save_draft(
                application=application, actor=request.user, data=form.cleaned_data
            )
            messages.success(request, _("Bozza salvata."))
        except ValidationError as error:
            _errors(request, error)
        return redirect("leadership:apply", call_id=call.pk)
    form = ApplicationForm(call=call, application=application)
    documents = {d.requirement_id: d for d in application.documents.all()}
    requirements = [(r, documents.get(r.pk)) for r in call.documents.all()]
    return render(
        request,
        "leadership/apply.html",
        {
            "call": call,
            "application": application,
            "form": form,
            "requirements": requirements,
            "missing": services.application_missing(application) if application.is_draft else [],
            "history": application.transitions.all(),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def autosave(request, pk):
    application = _own_application(request, pk)
    form = ApplicationForm(request.POST, call=application.call, application=application)
    form.is_valid()
    try:
        application = services.application_save_draft(
            application=application, actor=request.user, data=form.cleaned_data
        )
    except ValidationError as error:
        return JsonResponse({"ok": False, "error": " ".join(error.messages)}, status=409)
    saved = timezone.localtime(application.draft_saved_at)
    return JsonResponse(
        {
            "ok": True,
            "saved_at": saved.isoformat(),
            "message": _("Bozza salvata alle %(time)s.") % {"time": saved.strftime("%H:%M:%S")},
        }
    )


@login_required
@require_POST
def upload_document(request, pk):
    application = _own_application(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Scegli un file PDF da caricare."))
        return redirect("leadership:apply", call_id=application.call_id)
    requirement = application.call.documents.filter(pk=form.cleaned_data["requirement"]).first()
    if requirement is None:
        raise Http404
    try:
        services.application_upload_document(
            application=application,
            requirement=requirement,
            upload=form.cleaned_data["file"],
            actor=request.user,
        )
        messages.success(request, _("Documento «%(d)s» caricato.") % {"d": requirement.label})
    except ValidationError as error:
        _errors(request, error)
    return redirect(reverse("leadership:apply", args=[application.call_id]) + "#documenti")


@login_required
@require_POST
def delete_document(request, pk, document_id):
    application = _own_application(request, pk)
    document = get_object_or_404(application.documents, pk=document_id)
    try:
        services.application_delete_document(document=document, actor=request.user)
        messages.success(request, _("Documento eliminato."))
    except ValidationError as error:
        _errors(request, error)
    return redirect(reverse("leadership:apply", args=[application.call_id]) + "#documenti")


@login_required
@require_POST
def submit(request, pk):
    application = _own_application(request, pk)
    form = ApplicationForm(request.POST, call=application.call, application=application)
    try:
        if application.is_draft and not application.call.is_closed() and form.is_valid():
            services.application_save_draft(
                application=application, actor=request.user, data=form.cleaned_data
            )
        application = services.application_submit(application=application, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect("leadership:apply", call_id=application.call_id)
    messages.success(
        request,
        _("Candidatura inviata. Numero di protocollo: %(p)s. Ti abbiamo inviato una ricevuta.")
        % {"p": application.protocol},
    )
    return redirect("leadership:apply", call_id=application.call_id)


@login_required
@require_POST
def withdraw(request, pk):
    application = _own_application(request, pk)
    try:
        services.application_withdraw(
            application=application, actor=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Candidatura ritirata."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("leadership:my_applications")


@login_required
@require_POST
def seat(request, pk):
    application = _own_application(request, pk)
    try:
        if request.POST.get("action") == "accept":
            services.seat_accept(application=application, actor=request.user)
            messages.success(request, _("Hai accettato il posto: benvenuto/a nel percorso!"))
        else:
            services.seat_decline(application=application, actor=request.user)
            messages.success(request, _("Hai rinunciato al posto."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("leadership:my_applications")


@login_required
def document(request, document_id):
    document = get_object_or_404(
        ApplicationDocument.objects.select_related("application__call"), pk=document_id
    )
    if not request.user.has_perm("leadership.view_document", document.application):
        raise Http404
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="documento-{document.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --------------------------------------------------------------------------- reviewers


@login_required
def review_list(request):
    if not is_reviewer(request.user):
        raise PermissionDenied(_("L'area di valutazione è riservata a chi valuta."))
    reviews = selectors.reviewer_assignments(request.user)
    return render(request, "leadership/review_list.html", {"reviews": reviews})


@login_required
def review_detail(request, pk):
    review = get_object_or_404(
        Review.objects.select_related("application__call"), pk=pk, reviewer=request.user
    )
    application = review.application
    call = application.call
    form = ReviewForm(request.POST or None, call=call)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.review_submit(
                    review=review,
                    reviewer=request.user,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
                messages.success(request, _("Valutazione inviata."))
                return redirect("leadership:review_detail", pk=review.pk)
            except ValidationError as error:
                _errors(request, error)
        else:
            messages.error(request, _("Dai un punteggio a ogni criterio."))
    answers = [(q.label, application.answers.get(q.field_name, "")) for q in call.questions.all()]
    documents = (
        application.documents.select_related("requirement")
        if (call.documents_reveal_identity)
        else []
    )
    criteria = {str(c.pk): c for c in call.criteria.all()}
    peers = [
        {
            "scores": [(criteria[k].name, v) for k, v in p.scores.items() if k in criteria],
            "comment": p.comment,
            "n": i,
        }
        for i, p in enumerate(selectors.peer_reviews_visible(review), start=1)
    ]
    own = [(criteria[k].name, v) for k, v in review.scores.items() if k in criteria]
    return render(
        request,
        "leadership/review_detail.html",
        {
            "review": review,
            "application": application,
            "call": call,
            "form": form,
            "answers": answers,
            "documents": documents,
            "peers": peers,
            "own": own,
        },
    )


@login_required
@require_POST
def conflict(request, pk):
    review = get_object_or_404(Review, pk=pk, reviewer=request.user)
    services.conflict_declare(
        application=review.application,
        reviewer=request.user,
        reason=request.POST.get("reason", ""),
    )
    messages.success(
        request, _("Conflitto di interessi registrato: la candidatura non ti è più assegnata.")
    )
    return redirect("leadership:review_list")


# --------------------------------------------------------------------------- coordination


@login_required
def coordination(request):
    _coordinator_only(request)
    calls = CallPage.objects.live().order_by("-closes_at")
    return render(request, "leadership/coordination.html", {"calls": calls})


@login_required
def dashboard(request, call_id):
    _coordinator_only(request)
    call = get_object_or_404(CallPage, pk=call_id)
    counts = {s: 0 for s in S.values}
    for status in Application.objects.filter(call=call).values_list("status", flat=True):
        counts[status] += 1
    run = SelectionRun.objects.filter(call=call).first()
    proposal = None if run else selectors.selection_proposal(call)
    scores = selectors.call_scores(call)
    applications = list(
        Application.objects.filter(call=call)
        .exclude(status=S.DRAFT)
        .select_related("applicant", "comune")
        .order_by("pk")
    )
    for application in applications:
        application.score_entry = scores.get(application.pk)
    return render(
        request,
        "leadership/dashboard.html",
        {
            "call": call,
            "counts": [(S(k).label, v) for k, v in counts.items() if v],
            "progress": selectors.reviewer_progress(call),
            "proposal": proposal,
            "run": run,
            "scores": scores,
            "applications": applications,
            "flagged": [s for s in scores.values() if s.flagged],
            "cohort": Cohort.objects.filter(call=call).first(),
            "adjust_form": AdjustForm(),
        },
    )


def _call_action(request, call_id, action, success):
    _coordinator_only(request)
    call = get_object_or_404(CallPage, pk=call_id)
    try:
        action(call)
        messages.success(request, success)
    except ValidationError as error:
        _errors(request, error)
    return redirect("leadership:dashboard", call_id=call.pk)


@login_required
@require_POST
def assign(request, call_id):
    def run(call):
        outcome = services.reviews_assign_automatically(call=call, actor=request.user)
        if outcome["short"]:
            messages.warning(
                request,
                _("%(n)d candidature hanno meno valutatori/trici del previsto.")
                % {"n": len(outcome["short"])},
            )

    return _call_action(request, call_id, run, _("Assegnazioni aggiornate."))


@login_required
@require_POST
def adjust(request, call_id, application_id):
    form = AdjustForm(request.POST)
    application = get_object_or_404(Application, pk=application_id, call_id=call_id)
    choice = request.POST.get("include")
    include = {"in": True, "out": False}.get(choice)

    def run(call):
        if not form.is_valid():
            raise ValidationError(_("Scegli una correzione."))
        services.selection_adjust(
            application=application,
            include=include,
            motivation=form.cleaned_data["motivation"],
            actor=request.user,
        )

    return _call_action(request, call_id, run, _("Graduatoria corretta."))


@login_required
@require_POST
def confirm(request, call_id):
    return _call_action(
        request,
        call_id,
        lambda call: services.selection_confirm(call=call, actor=request.user),
        _("Selezione confermata: gli esiti vengono inviati per e-mail."),
    )


@login_required
@require_POST
def publish_report(request, call_id):
    published = request.POST.get("published") == "1"
    return _call_action(
        request,
        call_id,
        lambda call: services.selection_publish_report(
            call=call, actor=request.user, published=published
        ),
        _("Resoconto pubblicato.") if published else _("Resoconto ritirato."),
    )


@login_required
@require_POST
def create_cohort(request, call_id):
    return _call_action(
        request,
        call_id,
        lambda call: services.cohort_create(call=call, actor=request.user),
        _("Gruppo del percorso creato con le sei tappe."),
    )


@login_required
def coordinator_application(request, pk):
    _coordinator_only(request)
    application = get_object_or_404(
        Application.objects.select_related("call", "applicant", "comune"), pk=pk
    )
    if request.method == "POST" and request.POST.get("action") in ("assign", "unassign"):
        try:
            if request.POST["action"] == "assign":
                reviewer = get_object_or_404(User, pk=request.POST.get("reviewer") or 0)
                services.review_assign(
                    application=application, reviewer=reviewer, actor=request.user
                )
                messages.success(request, _("Valutatore/trice assegnato/a."))
            else:
                review = get_object_or_404(application.reviews, pk=request.POST.get("review") or 0)
                services.review_unassign(review=review, actor=request.user)
                messages.success(request, _("Assegnazione tolta."))
        except ValidationError as error:
            _errors(request, error)
        return redirect("leadership:coordinator_application", pk=pk)
    if request.method == "POST":
        try:
            services.application_set_eligibility(
                application=application,
                actor=request.user,
                eligible=request.POST.get("eligible") == "1",
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Ammissibilità corretta."))
        except ValidationError as error:
            _errors(request, error)
        return redirect("leadership:coordinator_application", pk=pk)
    call = application.call
    return render(
        request,
        "leadership/coordinator_application.html",
        {
            "application": application,
            "call": call,
            "answers": [
                (q.label, application.answers.get(q.field_name, "")) for q in call.questions.all()
            ],
            "documents": application.documents.select_related("requirement"),
            "history": application.transitions.select_related("actor"),
            "reviews": application.reviews.select_related("reviewer"),
            "reviewers": services.reviewers_all().exclude(
                pk__in=application.reviews.values("reviewer_id")
            ),
        },
    )


def public_report(request, call_id):
    call = get_object_or_404(CallPage.objects.live(), pk=call_id)
    run = SelectionRun.objects.filter(call=call, report_published=True).first()
    if run is None:
        raise Http404
    genders = dict(Gender.choices)
    categories = dict(Category.choices)
    places = {
        "torino": _("Torino città"),
        "outside": _("Altri comuni"),
        "mountain": _("Comuni montani"),
    }
    tables = [
        (_("Per genere dichiarato"), _("Genere"), run.report.get("by_gender", {}), genders),
        (_("Per categoria"), _("Categoria"), run.report.get("by_category", {}), categories),
        (_("Per territorio"), _("Territorio"), run.report.get("by_place", {}), places),
    ]
    tables = [
        (caption, head, [(labels.get(key, key), v[0], v[1]) for key, v in rows.items()])
        for caption, head, rows, labels in tables
    ]
    return render(request, "leadership/report.html", {"call": call, "run": run, "tables": tables})


# --------------------------------------------------------------------------- pathway


def _cohort_for(request, cohort_id):
    cohort = get_object_or_404(Cohort.objects.select_related("call"), pk=cohort_id)
    coordinator = is_coordinator(request.user)
    participant = request.user.pk in services.cohort_participant_ids(cohort)
    if not (coordinator or participant):
        raise Http404
    return cohort, coordinator


@login_required
def pathway(request, cohort_id):
    cohort, coordinator = _cohort_for(request, cohort_id)
    context = {
        "cohort": cohort,
        "is_coordinator": coordinator,
        "stages": selectors.cohort_stages(cohort),
        "session_form": SessionForm(),
    }
    application = Application.objects.filter(call_id=cohort.call_id, applicant=request.user).first()
    if application and application.status in (S.ACCEPTED, S.COMPLETED):
        context["progress"] = selectors.participant_progress(cohort=cohort, user=request.user)
        context["certificate"] = Certificate.objects.filter(application=application).first()
    if coordinator:
        context["participants"] = User.objects.filter(
            pk__in=services.cohort_participant_ids(cohort)
        ).order_by("display_name")
    return render(request, "leadership/pathway.html", context)


@login_required
@require_POST
def session_add(request, cohort_id, stage_id):
    _coordinator_only(request)
    stage = get_object_or_404(Stage, pk=stage_id, cohort_id=cohort_id)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_create(stage=stage, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Incontro aggiunto."))
        except ValidationError as error:
            _errors(request, error)
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return redirect("leadership:pathway", cohort_id=cohort_id)


@login_required
def session_detail(request, session_id):
    session = get_object_or_404(Session.objects.select_related("stage__cohort"), pk=session_id)
    cohort, coordinator = _cohort_for(request, session.stage.cohort_id)
    context = {"session": session, "cohort": cohort, "is_coordinator": coordinator}
    if coordinator:
        participants = User.objects.filter(pk__in=services.cohort_participant_ids(cohort)).order_by(
            "display_name"
        )
        context["sheet"] = selectors.attendance_sheet(session, participants)
        token = services.session_checkin_token(session)
        checkin_url = request.build_absolute_uri(reverse("leadership:checkin", args=[token]))
        context["checkin_url"] = checkin_url
        context["qr_svg"] = certificates.qr_svg(checkin_url)
    return render(request, "leadership/session.html", context)


@login_required
@require_POST
def attendance(request, session_id):
    _coordinator_only(request)
    session = get_object_or_404(Session.objects.select_related("stage__cohort"), pk=session_id)
    present = set(request.POST.getlist("present"))
    participants = User.objects.filter(pk__in=services.cohort_participant_ids(session.stage.cohort))
    for person in participants:
        services.attendance_mark(
            session=session,
            participant=person,
            present=str(person.pk) in present,
            actor=request.user,
        )
    messages.success(request, _("Presenze salvate."))
    return redirect("leadership:session", session_id=session.pk)


@login_required
def checkin(request, token):
    if request.method == "POST":
        try:
            attendance = services.attendance_check_in(token=token, user=request.user)
        except ValidationError as error:
            _errors(request, error)
            return render(request, "leadership/checkin.html", {"token": token, "failed": True})
        messages.success(
            request,
            _("Presenza registrata: %(s)s.") % {"s": attendance.session.title},
        )
        return redirect("leadership:pathway", cohort_id=attendance.session.stage.cohort_id)
    return render(request, "leadership/checkin.html", {"token": token})


@login_required
@require_POST
def complete(request, cohort_id):
    _coordinator_only(request)
    cohort = get_object_or_404(Cohort, pk=cohort_id)
    done = services.cohort_complete(cohort=cohort, actor=request.user)
    messages.success(
        request,
        _("%(n)d partecipanti hanno completato il percorso e ricevuto l'attestato.")
        % {"n": len(done)},
    )
    return redirect("leadership:pathway", cohort_id=cohort.pk)


# --------------------------------------------------------------------------- certificates


@login_required
def certificate_pdf(request, code):
    certificate = get_object_or_404(
        Certificate.objects.select_related("application"), code=code, revoked_at__isnull=True
    )
    if not (
        certificate.application.applicant_id == request.user.pk or is_coordinator(request.user)
    ):
        raise Http404
    verify_url = request.build_absolute_uri(reverse("leadership:verify_code", args=[code]))
    data = certificates.certificate_pdf(certificate, verify_url=verify_url)
    return FileResponse(
        io.BytesIO(data),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"attestato-{code}.pdf",
    )


def verify(request, code=None):
    code = (code or request.GET.get("code", "")).strip().upper()
    certificate = None
    if code:
        certificate = Certificate.objects.filter(code=code).first()
    return render(
        request,
        "leadership/verify.html",
        {"code": code, "certificate": certificate, "searched": bool(code)},
    )
