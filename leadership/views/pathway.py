"""The pathway after selection: stages and sessions, attendance, QR check-in, completion."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from core.errors import REFUSALS, message_refusal
from core.ids import parse_id
from leadership import certificates
from leadership.forms import SessionForm
from leadership.models import Application, Certificate, Cohort, Session, Stage
from leadership.models import ApplicationStatus as S
from leadership.selectors import (
    attendance_sheet,
    cohort_participant_ids,
    cohort_stages,
    participant_progress,
)
from leadership.services.pathway import (
    attendance_check_in,
    attendance_mark,
    cohort_complete,
    session_checkin_token,
    session_create,
)
from leadership.views.access import cohort_for, coordinator_only


@login_required
def pathway(request, cohort_id):
    cohort, coordinator = cohort_for(request, cohort_id)
    context = {
        "cohort": cohort,
        "is_coordinator": coordinator,
        "stages": cohort_stages(cohort),
        "session_form": SessionForm(),
    }
    application = Application.objects.filter(call_id=cohort.call_id, applicant=request.user).first()
    if application and application.status in (S.ACCEPTED, S.COMPLETED):
        context["progress"] = participant_progress(cohort=cohort, user=request.user)
        context["certificate"] = Certificate.objects.filter(application=application).first()
    if coordinator:
        context["participants"] = User.objects.filter(
            pk__in=cohort_participant_ids(cohort)
        ).order_by("display_name")
    return render(request, "leadership/pathway.html", context)


@login_required
@require_POST
def session_add(request, cohort_id, stage_id):
    coordinator_only(request)
    stage = get_object_or_404(Stage, pk=stage_id, cohort_id=cohort_id)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            session_create(stage=stage, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Incontro aggiunto."))
        except REFUSALS as error:
            message_refusal(request, error)
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return redirect("leadership:pathway", cohort_id=cohort_id)


@login_required
def session_detail(request, session_id):
    session = get_object_or_404(Session.objects.select_related("stage__cohort"), pk=session_id)
    cohort, coordinator = cohort_for(request, session.stage.cohort_id)
    context = {"session": session, "cohort": cohort, "is_coordinator": coordinator}
    if coordinator:
        participants = User.objects.filter(pk__in=cohort_participant_ids(cohort)).order_by(
            "display_name"
        )
        context["sheet"] = attendance_sheet(session, participants)
        token = session_checkin_token(session)
        checkin_url = request.build_absolute_uri(reverse("leadership:checkin", args=[token]))
        context["checkin_url"] = checkin_url
        context["qr_svg"] = certificates.qr_svg(checkin_url)
    return render(request, "leadership/session.html", context)


@login_required
@require_POST
def attendance(request, session_id):
    coordinator_only(request)
    session = get_object_or_404(Session.objects.select_related("stage__cohort"), pk=session_id)
    present = {parse_id(value) for value in request.POST.getlist("present")}
    participants = User.objects.filter(pk__in=cohort_participant_ids(session.stage.cohort))
    try:
        for person in participants:
            attendance_mark(
                session=session,
                participant=person,
                present=person.pk in present,
                actor=request.user,
            )
    except REFUSALS as error:
        message_refusal(request, error)
    else:
        messages.success(request, _("Presenze salvate."))
    return redirect("leadership:session", session_id=session.pk)


@login_required
def checkin(request, token):
    if request.method == "POST":
        try:
            attendance = attendance_check_in(token=token, user=request.user)
        except REFUSALS as error:
            message_refusal(request, error)
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
    coordinator_only(request)
    cohort = get_object_or_404(Cohort, pk=cohort_id)
    try:
        done = cohort_complete(cohort=cohort, actor=request.user)
    except REFUSALS as error:
        message_refusal(request, error)
    else:
        messages.success(
            request,
            _("%(n)d partecipanti hanno completato il percorso e ricevuto l'attestato.")
            % {"n": len(done)},
        )
    return redirect("leadership:pathway", cohort_id=cohort.pk)
