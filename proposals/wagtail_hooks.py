"""Wagtail admin hooks of the consultations app."""

# --------------------------------------------------------------------------- moderation (helper B)
from django.urls import include, path, reverse  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402
from wagtail import hooks  # noqa: E402
from wagtail.admin.menu import MenuItem  # noqa: E402


class ModerationMenuItem(MenuItem):
    """Shown to facilitators (and superusers); each view checks the consultation itself."""

    def is_shown(self, request):
        from accounts.models import Role

        user = request.user
        return user.is_superuser or user.has_role(Role.FACILITATOR)


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [path("moderazione/", include("proposals.moderation_urls", namespace="moderation"))]


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(
        _("Moderazione"), reverse("moderation:index"), icon_name="tasks", order=250
    )


@hooks.register("insert_global_admin_css")
def moderation_admin_css():
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("css/moderation-admin.css"))
