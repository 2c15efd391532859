"""What a conflict-of-interest declaration must say."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def clean_conflict_reason(reason: str, *, after_submission: bool) -> str:
    """The declaration's reason, cleaned; required once the review was submitted.

    Before scoring, the assignment is simply removed (nothing was scored). A submitted review
    is never deleted: it stays on the record, and the declaration with its reason is shown to
    whoever coordinates the review, who decides on it.
    """
    reason = reason.replace("\x00", "").strip()[:255]  # PostgreSQL text refuses NUL
    if after_submission and not reason:
        raise ValidationError(
            _(
                "Spiega il motivo del conflitto: la valutazione già inviata resta agli atti e "
                "il coordinamento vedrà la tua dichiarazione."
            )
        )
    return reason
