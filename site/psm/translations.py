"""The same page in the other language: hreflang alternates and the language switch.

Pages exist once per language (wagtail-localize translations, or the aliases its tree
synchronisation creates until an editor translates them); every other route has the same name
in both languages, with ``/en/`` in front for English (``config.urls``). Given the address
someone is reading, these functions find its address in each language.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Locale, Page, Site

from psm.caching import TIMEOUT, page_version

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _serve_views():
    from psm.views import serve

    return (serve, wagtail_views.serve)


def page_translation_paths(page: Page) -> dict[str, tuple[str, bool]]:
    """``{language: (path, is_alias)}`` for the live versions of ``page`` (itself included),
    cached under the page-tree version: an alias is a page that is not translated yet."""
    key = f"psm:translations:{page_version()}:{page.pk}"
    paths = cache.get(key)
    if paths is None:
        paths = {}
        versions = (
            Page.objects.filter(translation_key=page.translation_key, live=True)
            .select_related("locale")
            .only("id", "url_path", "alias_of_id", "locale__language_code", "translation_key")
        )
        for version in versions:
            url = version.get_url()
            if url:
                paths[version.locale.language_code] = (url, version.alias_of_id is not None)
        cache.set(key, paths, TIMEOUT)
    return paths


def _home_path(language: str) -> str:
    with translation.override(language):
        return reverse("wagtail_serve", args=[""])


def _page_at(request, language: str, path: str) -> Page | None:
    """The page served at ``path`` (below the home page) in ``language``."""
    site = Site.find_for_request(request)
    locale = Locale.objects.filter(language_code=language).first()
    if site is None or locale is None:
        return None
    root = site.root_page.get_translation_or_none(locale) or site.root_page
    return Page.objects.filter(url_path=f"{root.url_path}{path}").first()


def path_in_language(request, path: str, language: str) -> str | None:
    """Where ``path`` (an address of this site, with its query) is in ``language``: the
    translated page when there is one (else that language's home page), the same route with the
    other prefix for every other view; None when ``path`` is no route of this site."""
    parts = urlsplit(path)
    source = translation.get_language_from_path(parts.path) or settings.LANGUAGE_CODE
    with translation.override(source):
        try:
            match = resolve(parts.path)
        except Resolver404:
            return None
    if match.func in _serve_views():
        page = _page_at(request, source, match.args[0] if match.args else "")
        if page is None:
            return _home_path(language)
        found = page_translation_paths(page).get(language)
        return found[0] if found else _home_path(language)
    with translation.override(language):
        try:
            target = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return None
    return f"{target}?{parts.query}" if parts.query else target


def alternates(request, page: Page | None = None) -> list[tuple[str, str]]:
    """``[(hreflang, absolute URL)]`` of what ``request`` shows, in every language it exists
    in (an untranslated alias does not count), then ``x-default`` (the Italian one)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return []
    paths: dict[str, str] = {}
    if match.func in _serve_views():
        if not isinstance(page, Page):
            return []
        paths = {
            code: path
            for code, (path, is_alias) in page_translation_paths(page).items()
            if not is_alias
        }
    else:
        for code in LANGUAGE_CODES:
            with translation.override(code):
                try:
                    paths[code] = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
                except NoReverseMatch:
                    return []
        if len(set(paths.values())) < len(paths):  # a route outside the language prefixes
            return []
    if len(paths) < 2:
        return []
    links = [
        (code, request.build_absolute_uri(paths[code])) for code in LANGUAGE_CODES if code in paths
    ]
    if settings.LANGUAGE_CODE in paths:
        links.append(("x-default", request.build_absolute_uri(paths[settings.LANGUAGE_CODE])))
    return links
