"""One vocabulary for refusals.

Services raise only Django's two exceptions: ``PermissionDenied`` (this person may not do this)
and ``ValidationError`` (what was sent is not acceptable), each with a message in the reader's
language. Views catch both with :func:`refusal_message` (the text to show) or
:func:`message_refusal` (the text as a Django message), so every refusal reads the same way.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

#: What views catch around a service call.
REFUSALS = (PermissionDenied, ValidationError)


def refusal_message(error: Exception) -> str:
    """The reader-facing text of a ``PermissionDenied`` or ``ValidationError``."""
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    text = str(error)
    return text or _("Non hai i permessi per questa operazione.")


def message_refusal(request, error: Exception) -> None:
    """Show the refusal to the person as an error message on the next page."""
    messages.error(request, refusal_message(error))
