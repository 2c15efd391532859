"""The Wagtail permission policy of implementation records: the admin asks the django-rules
permissions of ``accountability.rules`` instead of Django's per-model permissions, so a
facilitator sees, edits and publishes only the records of their own actions."""

from __future__ import annotations

from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from accountability.models import ImplementationRecord
from accountability.rules import actions_managed_by, is_editor, manages_some_records
from accounts.models import Role, User

ACTIONS = frozenset({"add", "change", "delete", "publish", "unpublish", "lock", "unlock"})


class RecordPermissionPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return action in ACTIONS and manages_some_records(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return action in ACTIONS and user.has_perm("accountability.change_record", instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not ACTIONS.intersection(actions):
            return ImplementationRecord.objects.none()
        if is_editor(user):
            return ImplementationRecord.objects.all()
        return ImplementationRecord.objects.filter(action__in=actions_managed_by(user))

    def users_with_any_permission(self, actions):
        if not ACTIONS.intersection(actions):
            return User.objects.none()
        return User.objects.filter(
            Q(is_superuser=True) | Q(groups__name__in=[Role.EDITOR.value, Role.FACILITATOR.value]),
            is_active=True,
        ).distinct()

    def users_with_any_permission_for_instance(self, actions, instance):
        return User.objects.filter(
            pk__in=[
                user.pk
                for user in self.users_with_any_permission(actions)
                if self.user_has_any_permission_for_instance(user, actions, instance)
            ]
        )
