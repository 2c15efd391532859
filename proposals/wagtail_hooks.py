"""Wagtail admin hooks of proposals: the facilitators' moderation pages and their menu item."""

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from proposals.moderation import urls as moderation_urls
from proposals.moderation.selectors import moderates_any


class ModerationMenuItem(MenuItem):
    """Shown to whoever may moderate at least one consultation; each view checks the
    consultation itself."""

    def is_shown(self, request):
        return moderates_any(request.user)


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [path("moderazione/", include(moderation_urls, namespace="moderation"))]


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(
        _("Moderazione"), reverse("moderation:index"), icon_name="tasks", order=250
    )


@hooks.register("insert_global_admin_css")
def moderation_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/moderation-admin.css"))
