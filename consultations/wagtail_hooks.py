"""Wagtail admin hooks of consultations: the page where editors and coordinators assign
facilitators, and its menu item."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from consultations.facilitation import urls as facilitation_urls


class FacilitationMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("consultations.assign_facilitators")


@hooks.register("register_admin_urls")
def register_facilitation_urls():
    return [path("facilitazioni/", include(facilitation_urls, namespace="facilitation"))]


@hooks.register("register_admin_menu_item")
def register_facilitation_menu_item():
    return FacilitationMenuItem(
        _("Facilitazioni"), reverse("facilitation:index"), icon_name="group", order=260
    )
