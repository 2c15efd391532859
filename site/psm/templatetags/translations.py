"""``{% language_alternates %}``: the hreflang links of what the page shows (psm.translations);
``{% reading row "field" %}``: a page row's text in the language being read."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from wagtail.models import Page

from psm.localisation import reading_words
from psm.translations import alternates, page_translation_paths

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context):
    request = context.get("request")
    if request is None:
        return []
    return alternates(request, context.get("page"))


@register.simple_tag
def reading(row, field: str):
    """``field`` of ``row`` in the language being read: its translation when
    ``psm.localisation.attach_reading_rows`` found one; otherwise the Italian text, marked
    ``lang="it"`` when the page is read in another language (screen readers switch voice)."""
    text, lang = reading_words(row, field)
    if lang is None:
        return text
    return format_html('<span lang="{}">{}</span>', lang, text)


@register.simple_tag(takes_context=True)
def untranslated_original(context) -> str:
    """The address of the Italian page when the page shown is an alias (not translated yet into
    the language being read: its words are Italian), else "". Cached with the page tree."""
    page = context.get("page")
    if not isinstance(page, Page) or page.alias_of_id is None:
        return ""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return ""
    path, _is_alias = page_translation_paths(page).get(settings.LANGUAGE_CODE, ("", False))
    return path


@register.simple_tag(takes_context=True)
def content_lang(context):
    """`` lang="it"`` on an element showing the page's own words when they are Italian on a
    page read in another language (``untranslated`` is set by base.html)."""
    if not context.get("untranslated"):
        return ""
    return format_html(' lang="{}"', settings.LANGUAGE_CODE)


@register.simple_tag
def written_lang():
    """`` lang="it"`` on an element showing words that exist only in Italian, as they were
    written (an implementation record and its updates: staff records, not pages, so not
    translated), when the site is read in another language."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return ""
    return format_html(' lang="{}"', settings.LANGUAGE_CODE)
