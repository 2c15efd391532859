"""The juror's side: assigned entries by code only, conflict confirmation, scoring, files.

Nothing here reads the entrants: no name, e-mail or comune reaches these pages or downloads
(the templates get the entry's code, title, description, video link and files, and each file
is served under the code, as the copy without metadata)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contests.models import EntryFile, EntryStatus, JuryAssignment
from contests.predicates import is_assigned_juror
from contests.services.jury import jury_confirm_no_conflict, jury_declare_conflict, jury_submit
from core.errors import REFUSALS, message_refusal
from reviewing.forms import ScoreSheetForm, submit_score_sheet


def _assignment(request, pk) -> JuryAssignment:
    assignment = get_object_or_404(
        JuryAssignment.objects.select_related("entry__contest"),
        pk=pk,
        juror=request.user,
        entry__status=EntryStatus.SUBMITTED,  # never a draft or a withdrawn entry
    )
    if not is_assigned_juror(request.user, assignment):
        raise Http404
    return assignment


@login_required
def jury_list(request):
    assignments = (
        JuryAssignment.objects.filter(
            juror=request.user,
            entry__contest__jurors__user=request.user,
            entry__status=EntryStatus.SUBMITTED,
        )
        .select_related("entry__contest")
        .order_by("submitted_at", "entry__code")
    )
    return render(request, "contests/jury_list.html", {"assignments": assignments})


@login_required
def jury_detail(request, pk):
    assignment = _assignment(request, pk)
    entry, contest = assignment.entry, assignment.entry.contest
    form = ScoreSheetForm(
        request.POST or None,
        criteria=contest.criteria.all(),
        score_max=contest.score_max,
        comment_required=True,
    )
    if submit_score_sheet(
        request,
        form,
        lambda **sheet: jury_submit(assignment=assignment, juror=request.user, **sheet),
        incomplete=_("Dai un punteggio a ogni criterio e scrivi la motivazione."),
    ):
        return redirect("contests:jury_detail", pk=assignment.pk)
    criteria = {str(c.pk): c.name for c in contest.criteria.all()}
    return render(
        request,
        "contests/jury_detail.html",
        {
            "assignment": assignment,
            "code": entry.code,
            "title": entry.title,
            "summary": entry.summary,
            "video_url": entry.video_link,
            "files": [
                {"pk": f.pk, "kind": f.get_kind_display(), "n": i}
                for i, f in enumerate(entry.files.all(), 1)
            ],
            "contest": contest,
            "form": form,
            "own": [(criteria.get(k, k), v) for k, v in assignment.scores.items()],
        },
    )


@login_required
@require_POST
def no_conflict(request, pk):
    assignment = _assignment(request, pk)
    try:
        jury_confirm_no_conflict(assignment=assignment, juror=request.user)
    except REFUSALS as error:
        message_refusal(request, error)
    return redirect("contests:jury_detail", pk=assignment.pk)


@login_required
@require_POST
def conflict(request, pk):
    assignment = _assignment(request, pk)
    if request.POST.get("confirm") != "1":
        # a declaration cannot be taken back: the first POST only asks for confirmation
        return render(
            request,
            "contests/conflict_confirm.html",
            {"assignment": assignment, "reason": request.POST.get("reason", "")[:255]},
        )
    try:
        declared = jury_declare_conflict(
            assignment=assignment, juror=request.user, reason=request.POST.get("reason", "")
        )
    except REFUSALS as error:
        message_refusal(request, error)
        return redirect("contests:jury_detail", pk=assignment.pk)
    if declared.after_submission:
        messages.success(request, _("Conflitto registrato: la tua valutazione resta agli atti."))
        return redirect("contests:jury_detail", pk=assignment.pk)
    messages.success(request, _("Conflitto registrato: il progetto non ti è più assegnato."))
    return redirect("contests:jury_list")


@login_required
def jury_file(request, pk, file_id):
    assignment = _assignment(request, pk)
    if assignment.no_conflict_at is None:
        raise Http404
    item = get_object_or_404(EntryFile, pk=file_id, entry_id=assignment.entry_id)
    number = list(assignment.entry.files.values_list("pk", flat=True)).index(item.pk) + 1
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=f"{assignment.entry.code}-{number}.{item.extension}",
    )
