"""Admin menu links to the front-end areas of the leadership programme."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from leadership.predicates import is_coordinator, is_reviewer


class _RoleMenuItem(MenuItem):
    def __init__(self, *args, predicate, **kwargs):
        super().__init__(*args, **kwargs)
        self.predicate = predicate

    def is_shown(self, request):
        return self.predicate(request.user)


@hooks.register("register_admin_menu_item")
def leadership_coordination_menu_item():
    return _RoleMenuItem(
        _("Leadership: coordinamento"),
        reverse("leadership:coordination"),
        icon_name="group",
        order=900,
        predicate=is_coordinator,
    )


@hooks.register("register_admin_menu_item")
def leadership_review_menu_item():
    return _RoleMenuItem(
        _("Leadership: valutazione"),
        reverse("leadership:review_list"),
        icon_name="tick",
        order=901,
        predicate=is_reviewer,
    )
