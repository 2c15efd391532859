"""Who may manage implementation records (see docs/permissions.md, "Interventi").

- editors (the *Redazione* role) and superusers manage every record;
- facilitators manage the records of the actions where they facilitate a consultation
  (``consultations.rules.is_facilitator_of`` on a consultation page under the action);
- nobody else: participants, facilitators of other actions, anonymous visitors.

Two django-rules permissions: ``accountability.manage_records`` (may open the records in the
admin at all) and ``accountability.change_record`` (this record: edit, publish, delete). The
Wagtail permission policy (``accountability.permissions``) and the admin form ask them.
"""

from __future__ import annotations

import rules
from wagtail.models import Page

from accounts.models import Role
from consultations.models import ConsultationPage
from psm.models import ActionPage


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_editor(user) -> bool:
    return _active(user) and (user.is_superuser or user.has_role(Role.EDITOR))


def actions_managed_by(user):
    """The action pages whose records ``user`` may manage (a queryset)."""
    if not _active(user):
        return ActionPage.objects.none()
    if is_editor(user):
        return ActionPage.objects.all()
    if not user.has_role(Role.FACILITATOR):
        return ActionPage.objects.none()
    step = Page.steplen
    ancestor_paths = {
        consultation.path[:end]
        for consultation in ConsultationPage.objects.moderated_by(user).only("path")
        for end in range(step, len(consultation.path), step)
    }
    return ActionPage.objects.filter(path__in=ancestor_paths)


def may_manage_action(user, action) -> bool:
    if action is None or not _active(user):
        return False
    if is_editor(user):
        return True
    return actions_managed_by(user).filter(pk=action.pk).exists()


@rules.predicate
def manages_some_records(user) -> bool:
    return is_editor(user) or actions_managed_by(user).exists()


@rules.predicate
def manages_record(user, record) -> bool:
    return record is not None and may_manage_action(user, record.action)


rules.add_perm("accountability.manage_records", manages_some_records)
rules.add_perm("accountability.change_record", manages_record)
# Wagtail shows the admin's "Pubblica" / "Annulla pubblicazione" menu items to whoever has the
# model's publish permission (asked without a record); the views check the record itself
# through the permission policy (accountability.permissions).
rules.add_perm("accountability.publish_implementationrecord", manages_some_records)
