"""Cached page routing and view-restriction look-ups, keyed by a version of the page tree.

Wagtail routes a URL one segment at a time (two queries a level: six levels deep, thirteen
queries with the site look-up) and reads the view restrictions of every ancestor on each
request. Neither changes per person, so both are cached under the current **page version**: a
token stored in the cache and replaced whenever a page, a site or a view restriction is saved,
deleted, published, unpublished or moved (``psm.signals``). A new token makes every older
entry unreachable at once; nothing is ever served from a version older than the last change.

``psm.views.serve`` wraps Wagtail's own view: it puts the cached route (the site and the page, a pickled
instance) on the request where Wagtail looks for it, then lets Wagtail serve the page as usual
(``before_serve_page`` hooks, view restrictions, ``Page.serve``).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Q
from django.utils import translation
from wagtail.models import Page, PageViewRestriction, Site

from core.request_memo import once_per_request
from core.versions import read_version, replace_version

PAGE_VERSION_KEY = "psm:pages:version"
TIMEOUT = 60 * 60 * 24


def page_version() -> str:
    """The current page-tree version (a new random token after each change); read once per
    request (``core.request_memo``)."""
    return once_per_request(PAGE_VERSION_KEY, _read_page_version)


def _read_page_version() -> str:
    return read_version(PAGE_VERSION_KEY, TIMEOUT)


def bump_page_version() -> None:
    """Every cached route, restriction list and page fragment becomes unreachable."""
    replace_version(PAGE_VERSION_KEY, TIMEOUT)


def _request_version(request) -> str:
    version = getattr(request, "psm_page_version", None)
    if version is None:
        version = request.psm_page_version = page_version()
    return version


def cached_route(request, path: str):
    """Wagtail's route result for ``path`` (site and page from the cache when they can be).

    The same path leads to a different page in each language (``/piano/`` and ``/en/piano/``
    both arrive here as ``piano/``; Wagtail routes from the home page of the active language),
    so the language is part of the key."""
    host = request.get_host()
    key = f"psm:route:{_request_version(request)}:{translation.get_language()}:{host}:{path}"
    hit = cache.get(key)
    if hit is not None:
        site, route = hit
        # Where Site.find_for_request and Page.route_for_request keep their per-request result.
        request._wagtail_site = site  # noqa: SLF001
        request._wagtail_route_for_request = route  # noqa: SLF001
        return route
    route = Page.route_for_request(request, path)
    if route is not None:
        cache.set(key, (Site.find_for_request(request), route), TIMEOUT)
    return route


def restricted_paths(version: str | None = None) -> tuple[list[str], list[str]]:
    """Tree paths of the pages with a view restriction, and of the alias pages (whose
    restrictions are their source's), under the current page version (``version`` when the
    caller has just read it)."""
    key = f"psm:restricted:{version or page_version()}"
    value = cache.get(key)
    if value is None:
        value = (
            list(PageViewRestriction.objects.values_list("page__path", flat=True)),
            list(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)),
        )
        cache.set(key, value, TIMEOUT)
    return value


def without_restricted(pages):
    """``pages`` (a page queryset) without those under a view restriction: Wagtail's
    ``.public()``, from the cached restricted paths instead of a query (for lists every
    visitor sees, such as the open calls on the home page)."""
    restricted, _aliases = restricted_paths()
    if not restricted:
        return pages
    under = Q()
    for path in restricted:
        under |= Q(path__startswith=path)
    return pages.exclude(under)


class CachedViewRestrictionsMixin:
    """``get_view_restrictions`` without a query for the (usual) page that neither has a
    restriction on itself or an ancestor nor sits under an alias: an empty queryset, which
    Wagtail's privacy hook and the admin use as they use the real one."""

    def get_view_restrictions(self):
        if self.alias_of_id is None:
            # Remembered on the instance with the page version it holds for: while that is
            # current, one cache read (the version) instead of two.
            version = page_version()
            if getattr(self, "_psm_unrestricted_under", None) == version:
                return PageViewRestriction.objects.none()
            restricted, aliases = restricted_paths(version)
            if not any(self.path.startswith(p) for p in (*restricted, *aliases)):
                self._psm_unrestricted_under = version
                return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
