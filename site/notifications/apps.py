from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifiche")
    default_auto_field = "django.db.models.BigAutoField"

    def profile_activity(self, user) -> list[tuple]:
        from django.urls import reverse

        unread = user.notifications.filter(read_at__isnull=True).count()
        return [(_("Notifiche non lette"), unread, reverse("notifications:list"))]
