from django.utils.functional import SimpleLazyObject


def unread_notifications(request):
    """``notifications_unread``: the signed-in person's unread count, queried only if used."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications_unread": 0}

    def count() -> int:
        return user.notifications.filter(read_at__isnull=True).count()

    return {"notifications_unread": SimpleLazyObject(count)}
