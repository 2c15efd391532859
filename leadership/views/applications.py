"""The candidate's side: applications, the form with autosave, documents, withdrawal, seats."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.autosave import autosave_response
from core.errors import REFUSALS, message_refusal
from leadership.forms import ApplicationForm, DocumentForm
from leadership.models import Application, ApplicationDocument, CallPage
from leadership.services.access import call_visible
from leadership.services.applications import (
    application_missing,
    application_save_draft,
    application_start,
    application_submit,
    application_withdraw,
)
from leadership.services.documents import application_delete_document, application_upload_document
from leadership.services.offers import seat_accept, seat_decline
from leadership.views.access import own_application
from psm.localisation import attach_reading_rows, attach_reading_version


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
    attach_reading_version(call)  # its title in the language being read
    existing = Application.objects.filter(call=call, applicant=request.user).first()
    if existing is None:
        if not call_visible(request, call):
            raise Http404  # a restricted call is not revealed to whoever may not read it
        if request.method != "POST":
            return render(request, "leadership/apply_start.html", {"call": call})
        try:
            existing = application_start(call=call, applicant=request.user, viewer=request)
        except REFUSALS as error:
            message_refusal(request, error)
            return redirect(call.url)
        return redirect("leadership:apply", call_id=call.pk)
    application = existing
    if request.method == "POST" and application.is_draft:
        form = ApplicationForm(request.POST, call=call, application=application)
        form.is_valid()
        try:
            application_save_draft(
                application=application, actor=request.user, data=form.cleaned_data
            )
            messages.success(request, _("Bozza salvata."))
        except REFUSALS as error:
            message_refusal(request, error)
        return redirect("leadership:apply", call_id=call.pk)
    form = ApplicationForm(call=call, application=application)
    documents = {d.requirement_id: d for d in application.documents.all()}
    requirements = [(r, documents.get(r.pk)) for r in attach_reading_rows(call.documents.all())]
    return render(
        request,
        "leadership/apply.html",
        {
            "call": call,
            "application": application,
            "form": form,
            "requirements": requirements,
            "missing": application_missing(application) if application.is_draft else [],
            "history": application.transitions.all(),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def autosave(request, pk):
    application = own_application(request, pk)
    form = ApplicationForm(request.POST, call=application.call, application=application)
    form.is_valid()
    return autosave_response(
        lambda: application_save_draft(
            application=application, actor=request.user, data=form.cleaned_data
        )
    )


@login_required
@require_POST
def upload_document(request, pk):
    application = own_application(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Scegli un file PDF da caricare."))
        return redirect("leadership:apply", call_id=application.call_id)
    requirement = application.call.documents.filter(pk=form.cleaned_data["requirement"]).first()
    if requirement is None:
        raise Http404
    try:
        application_upload_document(
            application=application,
            requirement=requirement,
            upload=form.cleaned_data["file"],
            actor=request.user,
        )
        messages.success(request, _("Documento «%(d)s» caricato.") % {"d": requirement.label})
    except REFUSALS as error:
        message_refusal(request, error)
    return redirect(reverse("leadership:apply", args=[application.call_id]) + "#documenti")


@login_required
@require_POST
def delete_document(request, pk, document_id):
    application = own_application(request, pk)
    document = get_object_or_404(application.documents, pk=document_id)
    try:
        application_delete_document(document=document, actor=request.user)
        messages.success(request, _("Documento eliminato."))
    except REFUSALS as error:
        message_refusal(request, error)
    return redirect(reverse("leadership:apply", args=[application.call_id]) + "#documenti")


@login_required
@require_POST
def submit(request, pk):
    application = own_application(request, pk)
    form = ApplicationForm(request.POST, call=application.call, application=application)
    try:
        if application.is_draft and not application.call.is_closed() and form.is_valid():
            application_save_draft(
                application=application, actor=request.user, data=form.cleaned_data
            )
        application = application_submit(application=application, actor=request.user)
    except REFUSALS as error:
        message_refusal(request, error)
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
    application = own_application(request, pk)
    try:
        application_withdraw(
            application=application, actor=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Candidatura ritirata."))
    except REFUSALS as error:
        message_refusal(request, error)
    return redirect("leadership:my_applications")


@login_required
@require_POST
def seat(request, pk):
    application = own_application(request, pk)
    try:
        if request.POST.get("action") == "accept":
            seat_accept(application=application, actor=request.user)
            messages.success(request, _("Hai accettato il posto: benvenuto/a nel percorso!"))
        else:
            seat_decline(application=application, actor=request.user)
            messages.success(request, _("Hai rinunciato al posto."))
    except REFUSALS as error:
        message_refusal(request, error)
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
