"""Dates as Italian writes them: month and weekday names in lower case ("18 dicembre",
"lunedì"). Django's Italian catalogue capitalises them ("18 Dicembre").

``format_date`` is for Python code; the template filter ``date`` (this module is a template
builtin, settings ``TEMPLATES[0]["OPTIONS"]["builtins"]``) replaces Django's own in every template,
so ``{{ value|date:"j F Y" }}`` needs no change. Other languages are left as Django writes them
(English capitalises month names).
"""

import re
from functools import lru_cache

from django import template
from django.template.defaultfilters import date as django_date
from django.utils import dates
from django.utils.formats import date_format
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=8)
def _names_pattern(language: str) -> re.Pattern:
    """The names as the active ``language`` writes them (Django's lazy strings, evaluated now)."""
    tables = (
        dates.MONTHS,
        dates.MONTHS_ALT,
        dates.MONTHS_3,
        dates.MONTHS_AP,
        dates.WEEKDAYS,
        dates.WEEKDAYS_ABBR,
    )
    names = {str(name) for table in tables for name in table.values()}
    names |= {name.title() for name in names}  # "M" is the three-letter name, title-cased
    names = sorted((name for name in names if name[:1].isupper()), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(name) for name in names) + r")(?!\w)")


def lower_names(text: str) -> str:
    """Month and weekday names in lower case, when the active language is Italian."""
    language = get_language() or "it"
    if not text or not language.startswith("it"):
        return text
    return _names_pattern(language).sub(lambda match: match.group(1).lower(), text)


def format_date(value, fmt: str | None = None) -> str:
    return lower_names(date_format(value, fmt))


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's ``date`` filter, with Italian month and weekday names in lower case."""
    return lower_names(django_date(value, arg))
