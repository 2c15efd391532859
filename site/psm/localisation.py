"""Pages in both languages through wagtail-localize: the English locale kept in sync with the
Italian tree, and translations written by the editorial team loaded as real translations.

A translation made here is exactly what an editor makes with "Translate this page" in the
admin: a ``TranslationSource`` of the Italian page, a ``Translation`` into English whose
strings are ``StringTranslation`` rows, and the English page saved from them. Editors then
see its status in the admin and keep translating there. Nothing here overwrites an English page
that already exists (an editor's work).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    LocaleSynchronization,
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from core.request_memo import once_per_request

TOOL_NAME = "PSM Giovani"


def default_locale() -> Locale:
    code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    return Locale.objects.get_or_create(language_code=code)[0]


def content_locales_ensure() -> list[Locale]:
    """Every content language has its locale, and each one other than Italian is synchronised
    from Italian (wagtail-localize creates an alias there for every new Italian page, until it
    is translated)."""
    source = default_locale()
    locales = [source]
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        if code == source.language_code:
            continue
        locale = Locale.objects.get_or_create(language_code=code)[0]
        LocaleSynchronization.objects.get_or_create(locale=locale, defaults={"sync_from": source})
        locales.append(locale)
    return locales


def _segment_value(values: dict, path: str, seen: dict[str, int], rows: dict) -> str | None:
    """The translation of the ``seen[...]``-th segment of ``path``: a string for a one-segment
    field, a list of strings (one per paragraph) for a longer rich text. A row of the page
    (``categories.<translation_key>.name``) is found in ``values["categories"]``, a list of
    dicts in the order of the Italian rows (``rows``: relation → list of row keys)."""
    parts = path.split(".")
    if len(parts) >= 3 and isinstance(values.get(parts[0]), list):
        keys = rows.get(parts[0], [])
        position = keys.index(parts[1]) if parts[1] in keys else len(values[parts[0]])
        if position >= len(values[parts[0]]) or not isinstance(values[parts[0]][position], dict):
            return None
        values, field_name = values[parts[0]][position], parts[2]
        counter = ".".join(parts[:3])
    else:
        field_name = counter = parts[0]
    value = values.get(field_name)
    index = seen.get(counter, 0)
    seen[counter] = index + 1
    if isinstance(value, list):
        return value[index] if index < len(value) else None
    return value if index == 0 else None


def _row_keys(page: Page, values: dict) -> dict[str, list[str]]:
    """The keys of the Italian rows of each relation that ``values`` translates, in order."""
    return {
        name: [str(row.translation_key) for row in getattr(page, name).all()]
        for name, value in values.items()
        if isinstance(value, list) and value and isinstance(value[0], dict)
    }


@transaction.atomic
def page_translate(page: Page, locale: Locale, values: dict, *, user=None) -> Page | None:
    """Translate ``page`` into ``locale`` with ``values`` (field name → translated text; a
    field left out keeps its source text, the slug stays the same; the rows of an inline panel
    as a list of dicts, e.g. ``"faqs": [{"question": …, "answer": …}]``), publishing it when the
    source is live. Returns the new translation, or None when ``page`` already has one: it
    is never overwritten."""
    page = page.specific
    existing = page.get_translation_or_none(locale)
    if existing is not None and existing.alias_of_id is None:
        return None
    source, created = TranslationSource.get_or_create_from_instance(page)
    if not created:
        source.update_from_db()  # the Italian page may have changed since
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    values = {"slug": page.slug, **values}
    rows = _row_keys(page, values)
    seen: dict[str, int] = {}
    segments = (
        StringSegment.objects.filter(source=source)
        .select_related("string", "context")
        .order_by("order")
    )
    for segment in segments:
        text = _segment_value(values, segment.context.path, seen, rows)
        if text is None:
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": text,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "tool_name": TOOL_NAME,
                "last_translated_by": user,
                "has_error": False,
                "field_error": "",
            },
        )
    # wagtail-localize publishes on commit, from the page as it was when translated: inside a
    # loader's transaction that would write the parents' stale child counts back over the
    # tree. A draft, then its revision published here from the page as it is now.
    translation.save_target(user=user, publish=False)
    target = page.get_translation(locale)
    if page.live:
        target.get_latest_revision().publish(user=user)
        target.refresh_from_db()
    return target


DEFAULT_LOCALE_KEY = "psm:default-locale-id"


def default_locale_id() -> int:
    """The Italian locale's id, cached (pages compare it on every request)."""
    return once_per_request(DEFAULT_LOCALE_KEY, _read_default_locale_id)


def _read_default_locale_id() -> int:
    from django.core.cache import cache

    locale_id = cache.get(DEFAULT_LOCALE_KEY)
    if locale_id is None:
        locale_id = default_locale().pk
        cache.set(DEFAULT_LOCALE_KEY, locale_id, 60 * 60)
    return locale_id


def in_source_language(page: Page) -> Page:
    """The Italian version of ``page`` (itself when it is Italian, or has none): the one that
    proposals, votes, applications and phases belong to. A translation is the same thing told
    in another language."""
    locale_id = default_locale_id()
    if page.locale_id == locale_id:
        return page
    source = type(page).objects.filter(translation_key=page.translation_key, locale_id=locale_id)
    return source.first() or page


def attach_reading_versions(pages) -> None:
    """Give each page of a list its live version in the language being read as ``.reading``
    (None when the list is read in its own language, or that version does not exist yet): one
    query for the whole list, none in Italian. Templates show ``page.reading|default:page``."""
    from django.utils import translation

    pages = list(pages)
    for page in pages:
        page.reading = None
    language = translation.get_language()
    if language == settings.LANGUAGE_CODE:  # lists hold Italian pages
        return
    active = Locale.objects.filter(language_code=language).first()
    others = [page for page in pages if active is not None and page.locale_id != active.pk]
    if not others:
        return
    versions = {
        version.translation_key: version
        for version in Page.objects.live()
        .filter(locale=active, translation_key__in=[p.translation_key for p in others])
        .specific()
    }
    for page in others:
        page.reading = versions.get(page.translation_key)


def attach_reading_rows(rows) -> list:
    """Give each row of an Italian page (a category, a call's document, question, criterion
    or FAQ) its translation in the language being read as ``.reading``: the row with the same
    ``translation_key`` on the live, translated (not alias) page of that language, or None.
    One query for the whole list, none in Italian. The Italian rows stay the ones that count
    (proposals, answers and uploads point at them); the translation only gives the words."""
    from django.utils import translation
    from modelcluster.fields import ParentalKey

    rows = list(rows)
    for row in rows:
        row.reading = None
    language = translation.get_language()
    if not rows or language == settings.LANGUAGE_CODE:
        return rows
    model = type(rows[0])
    parent = next(f.name for f in model._meta.fields if isinstance(f, ParentalKey))  # noqa: SLF001
    found = model.objects.filter(
        locale__language_code=language,
        translation_key__in=[row.translation_key for row in rows],
        **{f"{parent}__live": True, f"{parent}__alias_of__isnull": True},
    )
    versions = {row.translation_key: row for row in found}
    for row in rows:
        row.reading = versions.get(row.translation_key)
    return rows


def attach_reading_version(page: Page) -> Page:
    """Give one Italian page its translation in the language being read as ``.reading``: the
    live, translated page (an alias still has the Italian words), or None; no query in Italian.
    ``{% reading page "title" %}`` then prints the translated title, or the Italian one marked
    ``lang="it"``."""
    from django.utils import translation

    page.reading = None
    language = translation.get_language()
    if language != settings.LANGUAGE_CODE:
        page.reading = (
            type(page)
            .objects.live()
            .filter(
                translation_key=page.translation_key,
                locale__language_code=language,
                alias_of__isnull=True,
            )
            .exclude(pk=page.pk)
            .first()
        )
    return page


def reading_words(row, field: str) -> tuple[str, str | None]:
    """``field`` of a row (or page) given ``.reading`` by ``attach_reading_rows`` (or
    ``attach_reading_version``), in the language being read, with the language to mark it with:
    its translation (None: the language of the page), or the Italian text, marked "it" when
    read in another language (screen readers switch voice: WCAG 3.1.2)."""
    from django.utils import translation

    version = getattr(row, "reading", None)
    if version is not None:
        return getattr(version, field), None
    text = getattr(row, field)
    if not text or translation.get_language() == settings.LANGUAGE_CODE:
        return text, None
    return text, settings.LANGUAGE_CODE


DEMO_JSON = "demo.en.json"


def demo_pages_translate(pages, *, stdout=None) -> list[Page]:
    """Translate demo pages into English from ``data/demo.en.json`` (by the Italian page's
    slug); pages without an entry, or already translated, are left alone."""
    import json

    path = settings.DATA_DIR / DEMO_JSON
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        texts = json.load(handle)
    content_locales_ensure()
    english = Locale.objects.get(language_code="en")
    translated = []
    for page in pages:
        values = texts.get(page.slug)
        if values and page_translate(page, english, values) is not None:
            translated.append(page)
    if stdout is not None and translated:
        stdout.write(f"Tradotte in inglese: {', '.join(page.title for page in translated)}")
    return translated
