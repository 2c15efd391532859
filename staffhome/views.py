"""The staff area: one page, a section per role the person holds."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Role
from staffhome.selectors import (
    coordinator_desk,
    facilitated_actions,
    facilitator_desk,
    facilitator_workshops,
    reviewer_desk,
)


@login_required
@require_GET
def home(request):
    user = request.user
    if not user.has_perm("staffhome.open"):
        raise PermissionDenied(
            _("L'area di lavoro è riservata a chi ha un ruolo nella piattaforma.")
        )
    now = timezone.now()
    context = {
        "now": now,
        "is_editor": user.has_role(Role.EDITOR),
        "assigns_facilitators": user.has_perm("consultations.assign_facilitators"),
    }
    if user.has_role(Role.FACILITATOR):
        desks = facilitator_desk(user=user, now=now)
        context["facilitation"] = {
            "desks": desks,
            "actions": facilitated_actions(user=user),
            "workshops": facilitator_workshops(
                user=user, consultations=[desk.consultation for desk in desks]
            ),
        }
    if user.has_perm("leadership.review"):
        context["reviews"] = reviewer_desk(user=user)
    if user.has_perm("leadership.coordinate"):
        context["calls"] = coordinator_desk()
    return render(request, "staffhome/home.html", context)
