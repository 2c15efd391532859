"""Addresses the header promises that no single page owns: ``/leadership/`` leads to the
civic leadership programme's current edition (the most recent live one)."""

from django.shortcuts import redirect, render
from wagtail.models import Locale

from leadership.models import ProgrammePage


def leadership_index(request):
    editions = ProgrammePage.objects.live().order_by("-edition", "-first_published_at")
    # The edition in the language being read, else the Italian one.
    programme = editions.filter(locale=Locale.get_active()).first() or editions.first()
    url = programme.url if programme is not None else None  # None outside every site's tree
    if url:
        return redirect(url)
    return render(request, "pages/leadership_unpublished.html")
