"""Who may open a page: checks shared by the leadership views."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from leadership.models import Application, Cohort
from leadership.selectors import cohort_participant_ids


def coordinator_only(request) -> None:
    if not request.user.has_perm("leadership.coordinate"):
        raise PermissionDenied(_("Solo il coordinamento del programma può aprire questa pagina."))


def reviewer_only(request) -> None:
    """Checked at every request of the review area, not only on the list: a person whose
    reviewer role is taken away is refused on the review pages they still have open."""
    if not request.user.has_perm("leadership.review"):
        raise PermissionDenied(_("L'area di valutazione è riservata a chi valuta."))


def own_application(request, pk) -> Application:
    application = get_object_or_404(Application.objects.select_related("call", "applicant"), pk=pk)
    if application.applicant_id != request.user.pk:
        raise Http404  # never reveal that someone else's application exists
    return application


def cohort_for(request, cohort_id) -> tuple[Cohort, bool]:
    """The cohort and whether the person coordinates it (404 for anyone outside it)."""
    cohort = get_object_or_404(Cohort.objects.select_related("call"), pk=cohort_id)
    coordinator = request.user.has_perm("leadership.coordinate")
    participant = request.user.pk in cohort_participant_ids(cohort)
    if not (coordinator or participant):
        raise Http404
    return cohort, coordinator
