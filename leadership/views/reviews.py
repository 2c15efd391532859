"""The reviewer's area: assigned applications, scoring, conflicts of interest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import REFUSALS, message_refusal
from leadership.forms import ReviewForm
from leadership.models import ConflictOfInterest, Review
from leadership.selectors import peer_reviews_visible, reviewer_assignments
from leadership.services.reviews import conflict_declare, review_submit
from leadership.views.access import reviewer_only
from reviewing.forms import submit_score_sheet


@login_required
def review_list(request):
    reviewer_only(request)
    reviews = reviewer_assignments(request.user)
    return render(request, "leadership/review_list.html", {"reviews": reviews})


@login_required
def review_detail(request, pk):
    reviewer_only(request)
    review = get_object_or_404(
        Review.objects.select_related("application__call"), pk=pk, reviewer=request.user
    )
    application = review.application
    call = application.call
    form = ReviewForm(request.POST or None, call=call)
    if submit_score_sheet(
        request,
        form,
        lambda **sheet: review_submit(review=review, reviewer=request.user, **sheet),
        incomplete=_("Dai un punteggio a ogni criterio."),
    ):
        return redirect("leadership:review_detail", pk=review.pk)
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
        for i, p in enumerate(peer_reviews_visible(review), start=1)
    ]
    own = [(criteria[k].name, v) for k, v in review.scores.items() if k in criteria]
    declared = ConflictOfInterest.objects.filter(
        reviewer=request.user, application=application
    ).first()
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
            "declared": declared,
        },
    )


@login_required
@require_POST
def conflict(request, pk):
    reviewer_only(request)
    review = get_object_or_404(
        Review.objects.select_related("application__call"), pk=pk, reviewer=request.user
    )
    if request.POST.get("confirm") != "1":
        # a declaration cannot be taken back: the first POST only asks for confirmation
        return render(
            request,
            "leadership/conflict_confirm.html",
            {
                "review": review,
                "application": review.application,
                "call": review.application.call,
                "reason": request.POST.get("reason", "")[:255],
            },
        )
    try:
        declared = conflict_declare(
            application=review.application,
            reviewer=request.user,
            reason=request.POST.get("reason", ""),
        )
    except REFUSALS as error:
        message_refusal(request, error)
        return redirect("leadership:review_detail", pk=review.pk)
    if declared.after_submission:
        messages.success(
            request,
            _(
                "Conflitto di interessi registrato: la tua valutazione resta agli atti e il "
                "coordinamento ne è informato."
            ),
        )
        return redirect("leadership:review_detail", pk=review.pk)
    messages.success(
        request, _("Conflitto di interessi registrato: la candidatura non ti è più assegnata.")
    )
    return redirect("leadership:review_list")
