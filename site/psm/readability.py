"""The plain-language gate on pages and site texts: which text of a page young people read, the
threshold it must reach, and the scores the editors' dashboard shows.

The computation itself is ``core.readability`` (Gulpease). Thresholds come from
``settings.PLAIN_LANGUAGE``: ``DEFAULT_THRESHOLD``, ``THRESHOLDS`` by page model label
(``"psm.actionpage"``) or text kind (``"answer"``), and ``TEMPLATES``, the site texts kept in
templates (privacy notice, e-mails) with their own thresholds.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.template.loader import get_template
from django.urls import reverse
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from core.readability import Readability, analyse, median_score, plain_text

DEFAULT_THRESHOLD = 60
TEMPLATE_TRANSLATE = re.compile(r"""\{%\s*translate\s+(["'])(.*?)\1[^%]*%\}""", re.DOTALL)
TEMPLATE_SYNTAX = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)


def _config() -> dict:
    return getattr(settings, "PLAIN_LANGUAGE", {})


def threshold_for(kind: str) -> float:
    """The score a text of this kind must reach: a page model label or a text kind."""
    config = _config()
    return config.get("THRESHOLDS", {}).get(
        kind.lower(), config.get("DEFAULT_THRESHOLD", DEFAULT_THRESHOLD)
    )


def _options(model: type[models.Model]):
    """The model's ``_meta`` (Django's documented Options API, underscore and all)."""
    return model._meta  # noqa: SLF001


def page_kind(model: type[Page]) -> str:
    return _options(model).label_lower


def readability_fields(model: type[Page]) -> list[str]:
    """The fields of a page that young people read. A page model may list them itself
    (``readability_fields``: the plan's official wording stays out of the gate); otherwise every
    text, rich text and stream field the model adds to Wagtail's Page."""
    declared = getattr(model, "readability_fields", None)
    if declared is not None:
        return list(declared)
    return [
        field.name
        for field in _options(model).get_fields()
        if getattr(field, "concrete", False)
        and field.model is not Page
        and isinstance(field, models.TextField | StreamField)
    ]


def field_text(page: Page, name: str) -> str:
    field = _options(type(page)).get_field(name)
    value = getattr(page, name)
    if isinstance(field, StreamField):
        return "\n".join(plain_text(str(part)) for part in field.get_searchable_content(value))
    if isinstance(field, RichTextField):
        return plain_text(value or "")
    return str(value or "")


def page_text(page: Page) -> str:
    page = page.specific
    parts = (field_text(page, name) for name in readability_fields(type(page)))
    return "\n".join(part for part in parts if part.strip())


@dataclass(frozen=True)
class Scored:
    """A text of the site with its readability and the threshold it must reach."""

    label: str
    readability: Readability
    threshold: float
    url: str = ""

    @property
    def passes(self) -> bool:
        return self.readability.passes(self.threshold)


def page_readability(page: Page) -> Scored:
    page = page.specific
    return Scored(
        label=page.title,
        readability=analyse(page_text(page)),
        threshold=threshold_for(page_kind(type(page))),
    )


def template_text(template_name: str) -> str:
    """What a template says, without its template syntax: translated strings as written."""
    source = get_template(template_name).template.source
    source = TEMPLATE_TRANSLATE.sub(lambda match: match.group(2), source)
    return plain_text(TEMPLATE_SYNTAX.sub(" ", source))


def site_texts() -> list[Scored]:
    """The texts kept in templates (privacy notice, e-mails), each with its threshold."""
    default = _config().get("DEFAULT_THRESHOLD", DEFAULT_THRESHOLD)
    return [
        Scored(
            label=entry["label"],
            readability=analyse(template_text(entry["template"])),
            threshold=entry.get("threshold", default),
        )
        for entry in _config().get("TEMPLATES", [])
    ]


@dataclass(frozen=True)
class Summary:
    pages: list[Scored]
    texts: list[Scored]

    @property
    def scored(self) -> list[Scored]:
        return [item for item in self.pages if item.readability.score is not None]

    @property
    def passing_share(self) -> int | None:
        scored = self.scored
        if not scored:
            return None
        return round(100 * sum(item.passes for item in scored) / len(scored))

    @property
    def median(self) -> float | None:
        return median_score([item.readability.score for item in self.scored])

    def worst(self, count: int = 10) -> list[Scored]:
        failing = [item for item in self.scored if not item.passes]
        return sorted(failing, key=lambda item: item.readability.score)[:count]


def readability_summary() -> Summary:
    """Every live Italian page with text for young people, scored; and the site texts. (The
    Gulpease index measures Italian: English translations are not scored.)"""
    from psm.localisation import default_locale_id

    pages = []
    italian = Page.objects.live().exclude(depth=1).filter(locale_id=default_locale_id())
    for page in italian.specific().iterator(chunk_size=200):
        if not readability_fields(type(page)):
            continue
        scored = page_readability(page)
        pages.append(
            Scored(
                label=scored.label,
                readability=scored.readability,
                threshold=scored.threshold,
                url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
            )
        )
    return Summary(pages=pages, texts=site_texts())
