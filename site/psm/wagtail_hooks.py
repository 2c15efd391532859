"""Wagtail admin hooks of the plan: the plain-language gate (live score in every admin form that
asks for it, confirmation before publishing a page under its threshold, editors' dashboard)."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from psm.readability_views import before_publish, readability_check, readability_dashboard


@hooks.register("register_admin_urls")
def register_readability_urls():
    return [
        path("leggibilita/", readability_dashboard, name="psm_readability"),
        path("leggibilita/verifica/", readability_check, name="psm_readability_check"),
    ]


@hooks.register("register_reports_menu_item")
def register_readability_report():
    return MenuItem(
        _("Leggibilità dei testi"), reverse("psm_readability"), icon_name="doc-full", order=900
    )


@hooks.register("insert_global_admin_js")
def readability_js():
    return format_html(
        '<script src="{}" data-readability-url="{}" data-title="{}" defer></script>',
        static("js/readability.js"),
        reverse("psm_readability_check"),
        _("Leggibilità (indice Gulpease)"),
    )


@hooks.register("insert_global_admin_js")
def editor_labels_js():
    """Rich-text editors named after their field's label (static/js/admin-editor-labels.js)."""
    return format_html('<script src="{}" defer></script>', static("js/admin-editor-labels.js"))


@hooks.register("insert_global_admin_css")
def readability_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/readability.css"))


hooks.register("before_publish_page", before_publish)
