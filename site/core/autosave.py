"""The answer to a form's autosave (static/js/autosave.js): saved at what time, or why not."""

from collections.abc import Callable

from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import REFUSALS, refusal_message


def autosave_response(save: Callable[[], object]) -> JsonResponse:
    """Run ``save`` (a service returning the object with its ``draft_saved_at``) and answer the
    script: the time it was saved, or the refusal in the person's words (409)."""
    try:
        saved_object = save()
    except REFUSALS as error:
        return JsonResponse({"ok": False, "error": refusal_message(error)}, status=409)
    saved = timezone.localtime(saved_object.draft_saved_at)
    return JsonResponse(
        {
            "ok": True,
            "saved_at": saved.isoformat(),
            "message": _("Bozza salvata alle %(time)s.") % {"time": saved.strftime("%H:%M:%S")},
        }
    )
