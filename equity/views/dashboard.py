from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from core.disclosure import MIN_BREAKDOWN, MIN_CELL
from equity.selectors import cached_territorial_participation


@require_GET
def territory(request):
    """The public dashboard of participation across the territory (docs/equity.md); the page
    itself is not cached (its header is per person), its figures are."""
    return render(
        request,
        "equity/territory.html",
        {
            "dashboard": cached_territorial_participation(get_language()),
            "MIN_CELL": MIN_CELL,
            "MIN_BREAKDOWN": MIN_BREAKDOWN,
        },
    )
