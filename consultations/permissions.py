"""The Wagtail permission policy of consultation templates: the admin asks the django-rules
permission ``consultations.manage_templates`` (editors and the programme's coordination)
instead of Django's per-model permissions, which no role group holds."""

from __future__ import annotations

from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from accounts.models import Role, User

ACTIONS = frozenset({"add", "change", "delete"})


class TemplatePermissionPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return action in ACTIONS and user.has_perm("consultations.manage_templates")

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if not ACTIONS.intersection(actions):
            return User.objects.none()
        return User.objects.filter(
            Q(is_superuser=True) | Q(groups__name__in=[Role.EDITOR.value, Role.COORDINATOR.value]),
            is_active=True,
        ).distinct()
