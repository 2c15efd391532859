"""The admin form of a record: the action list holds only the actions the person manages,
so a facilitator cannot file (or move) a record under somebody else's action."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from accountability.rules import actions_managed_by, may_manage_action


class RecordAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "action" in self.fields and self.for_user is not None:
            self.fields["action"].queryset = actions_managed_by(self.for_user).order_by("code")

    def clean_action(self):
        action = self.cleaned_data.get("action")
        if self.for_user is not None and not may_manage_action(self.for_user, action):
            raise ValidationError(_("Non puoi gestire gli interventi di questa azione."))
        return action
