"""Wagtail admin: start a live workshop from an action or consultation page."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from workshops.services import can_create_session

WORKSHOP_PAGE_MODELS = {"actionpage", "consultationpage"}


def _workshop_button(page, user, priority: int):
    if page.content_type.model not in WORKSHOP_PAGE_MODELS:
        return None
    if not can_create_session(user=user, page=page):
        return None
    url = reverse("live:create") + "?" + urlencode({"page": page.pk})
    return Button(_("Laboratorio dal vivo"), url=url, icon_name="group", priority=priority)


@hooks.register("register_page_listing_more_buttons")
def live_workshop_listing_button(page, user, next_url=None, **kwargs):
    button = _workshop_button(page, user, priority=70)
    if button is not None:
        yield button


@hooks.register("register_page_header_buttons")
def live_workshop_header_button(page, user, view_name=None, next_url=None, **kwargs):
    button = _workshop_button(page, user, priority=80)
    if button is not None:
        yield button
