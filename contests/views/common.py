"""What every contest door shares: the contest behind the id in the path."""

from django.http import Http404

from contests.models import ContestPage
from contests.selectors import contest_behind


def contest_or_404(contest_id: int, *, public: bool = True) -> ContestPage:
    """The Italian contest behind ``contest_id`` (an English copy's id maps to it), or 404."""
    contest = contest_behind(contest_id, public=public)
    if contest is None:
        raise Http404
    return contest
