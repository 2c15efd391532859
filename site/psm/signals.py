"""Receivers that bump the page version (``psm.caching``) whenever the page tree changes.

They write nothing to the database: they only make the cached routes, restriction lists and
page fragments of the previous version unreachable."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from psm.caching import bump_page_version


def _page_tree_changed(sender, instance=None, **kwargs):
    if instance is None or isinstance(instance, (Page, Site, PageViewRestriction)):
        bump_page_version()


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_page_tree_changed, dispatch_uid=f"psm-page-version-{id(signal)}")
    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(_page_tree_changed, dispatch_uid=f"psm-page-version-{id(signal)}")
