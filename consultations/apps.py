from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultazioni")

    def ready(self):
        # psm must not import consultations, so the action page learns here that a
        # consultation may live under it (psm.ActionPage declares no subpages of its own).
        from psm.models import ActionPage

        ActionPage.subpage_types = ["consultations.ConsultationPage"]

        # The templates' snippet asks django-rules (consultations.manage_templates).
        from wagtail.permissions import register_permission_policy

        from consultations.models import ConsultationTemplate
        from consultations.permissions import TemplatePermissionPolicy

        register_permission_policy(
            ConsultationTemplate, TemplatePermissionPolicy(ConsultationTemplate)
        )

        # A consultation's categories are part of its page: cached reads of the page (the
        # proposal list's filter, psm.caching) follow a category changed on its own too.
        from django.db.models.signals import post_delete, post_save

        from consultations.models import Category
        from psm.caching import bump_page_version

        def category_changed(sender, **kwargs):
            bump_page_version()

        for signal in (post_save, post_delete):
            signal.connect(
                category_changed, sender=Category, weak=False, dispatch_uid=f"category-{id(signal)}"
            )

        # A vote skips the participation query once the row is known (participation_ensure).
        from consultations.models import Participation
        from consultations.services import participation_forget

        post_delete.connect(
            participation_forget, sender=Participation, dispatch_uid="participation-forget"
        )

        # The unread count is kept with the person's facts on a consultation page
        # (consultations.person_facts): marking notifications read (an UPDATE) replaces the
        # tallies version, which every page and fragment keys on, and not the content version:
        # nothing a vote is checked against changed (psm.page_cache.facts_versions).
        from notifications.services import notifications_read
        from psm.page_cache import bump_tallies_version

        def notifications_marked_read(sender, **kwargs):
            bump_tallies_version()

        notifications_read.connect(
            notifications_marked_read, weak=False, dispatch_uid="consultations-notifications-read"
        )

    def load_demo_data(self, *, accounts, stdout) -> None:
        from consultations.demo import DEMO_FACILITATED_ACTIONS, load_demo_consultations
        from consultations.services import facilitation_grant
        from psm.localisation import default_locale_id
        from psm.models import ActionPage

        load_demo_consultations(stdout=stdout)
        facilitator = accounts.get("facilitator")
        if facilitator is not None:
            # The demo facilitator is responsible for the actions of the demo consultations:
            # they moderate those and may create and publish new ones under the same actions.
            italian = ActionPage.objects.filter(
                code__in=DEMO_FACILITATED_ACTIONS, locale_id=default_locale_id()
            )
            for action in italian:
                facilitation_grant(page=action, user=facilitator)

    def profile_activity(self, user) -> list[tuple]:
        return [(_("Consultazioni che segui"), user.consultation_follows.count(), "")]
