from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from core.ids import parse_id
from core.urls import next_from, safe_next
from notifications.delivery import preference_for, user_from_unsubscribe_token
from notifications.forms import PreferenceForm
from notifications.services import email_unsubscribe, notification_mark_read, preference_update

PAGE_SIZE = 25


@login_required
@require_GET
def notification_list(request):
    rows = request.user.notifications.all()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    unread = request.user.notifications.filter(read_at__isnull=True).count()
    return render(
        request,
        "notifications/list.html",
        {"page_obj": page, "notifications": page.object_list, "unread_count": unread},
    )


@login_required
@require_GET
def notification_open(request, pk: int):
    """Follow a notification's link, marking it read on the way (own notifications only)."""
    notification = get_object_or_404(request.user.notifications, pk=pk)
    notification_mark_read(user=request.user, notification_id=notification.pk)
    return redirect(safe_next(request, notification.url, reverse("notifications:list")))


@login_required
@require_POST
def notification_read(request):
    raw_id = request.POST.get("notification")
    notification_id = parse_id(raw_id) if raw_id else None
    if raw_id and notification_id is None:
        messages.error(request, _("Notifica non trovata."))
        return redirect("notifications:list")
    notification_mark_read(user=request.user, notification_id=notification_id)
    target = next_from(request, "")
    if target:
        return redirect(target)
    if notification_id is None:
        messages.success(request, _("Tutte le notifiche sono segnate come lette."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    current = preference_for(user=request.user)
    form = PreferenceForm(
        request.POST or None,
        facilitator=request.user.has_role(Role.FACILITATOR),
        initial={
            "email_enabled": current.email_enabled,
            "weekly_digest": current.weekly_digest,
            "facilitator_digest": current.facilitator_digest,
        },
    )
    if request.method == "POST" and form.is_valid():
        preference_update(
            user=request.user,
            email_enabled=form.cleaned_data["email_enabled"],
            weekly_digest=form.cleaned_data["weekly_digest"],
            facilitator_digest=form.cleaned_data.get("facilitator_digest"),
        )
        messages.success(request, _("Preferenze salvate."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# The token authenticates the request (no login, no cookie): mail clients send the RFC 8058
# one-click POST without a CSRF token, so the check is the signature, not the CSRF cookie.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    person = user_from_unsubscribe_token(token)
    if person is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        email_unsubscribe(user=person)
        return render(request, "notifications/unsubscribe.html", {"done": True})
    return render(request, "notifications/unsubscribe.html", {"person": person, "token": token})
