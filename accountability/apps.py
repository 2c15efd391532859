from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("Attuazione")

    def ready(self) -> None:
        from wagtail.permissions import register_permission_policy
        from wagtail.signals import published

        from accountability.models import ImplementationRecord
        from accountability.permissions import RecordPermissionPolicy
        from accountability.services import on_record_published

        # The admin and Wagtail's publish action ask django-rules (accountability.rules).
        register_permission_policy(
            ImplementationRecord, RecordPermissionPolicy(ImplementationRecord)
        )

        # Every publication (edit view, workflow, scheduled, revert) passes through this
        # signal: the one door for the timeline and the notifications.
        published.connect(
            on_record_published,
            sender=ImplementationRecord,
            dispatch_uid="accountability.record_published",
        )

    def load_demo_data(self, *, accounts, stdout) -> None:
        from accountability.demo import load_demo_records

        load_demo_records(accounts=accounts, stdout=stdout)
