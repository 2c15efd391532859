"""Page permissions of the plan's action pages.

A facilitator of an action (``consultations.services.facilitation_grant`` on an action page)
holds Wagtail's add, change and publish permissions on the action's subtree: they create,
edit and publish the consultations under it. The action's own text belongs to the editors, so
on the action page itself only the permissions inherited from *above* it count (the editors'
on the whole site); the ones attached to the action page itself only reach its children
(adding a consultation, publishing it straight away).
"""

from __future__ import annotations

from collections.abc import Callable

from wagtail.models import PagePermissionTester


class ActionPagePermissionTester(PagePermissionTester):
    def __init__(self, user, page):
        super().__init__(user, page)
        if user.is_active and not user.is_superuser:
            self.subtree_permissions = self.permissions
            self.permissions = {
                perm.permission.codename.rsplit("_", maxsplit=1)[0]
                for perm in self.permission_policy.get_cached_permissions_for_user(user)
                if page.path.startswith(perm.page.path) and len(perm.page.path) < len(page.path)
            }
        else:
            self.subtree_permissions = set()

    def _for_children(self, check: Callable[[], bool]) -> bool:
        own, self.permissions = self.permissions, self.subtree_permissions
        try:
            return check()
        finally:
            self.permissions = own

    def can_add_subpage(self) -> bool:
        if self.user.is_superuser:
            return super().can_add_subpage()
        return self._for_children(super().can_add_subpage)

    def can_publish_subpage(self) -> bool:
        if self.user.is_superuser:
            return super().can_publish_subpage()
        return self._for_children(super().can_publish_subpage)
