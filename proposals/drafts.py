"""Where a proposal or comment form keeps its autosaved draft in the browser: keys tied to
the account (static/js/proposals.js), so that on a shared computer the next person never sees
another's draft."""

from django.utils.crypto import salted_hmac

DRAFT_PREFIX = "psm-draft-"


def draft_owner(user) -> str:
    """An opaque, stable id of ``user`` for draft keys: not the e-mail nor the database id,
    and useless outside this site (an HMAC with the secret key)."""
    return salted_hmac("proposals.draft-owner", str(user.pk)).hexdigest()[:20]


def draft_key(user, consultation_id: int, kind: str, proposal_id: int | None = None) -> str:
    """The localStorage key of a form's autosaved draft (see static/js/proposals.js).

    Keyed to the account, so on a shared computer the next person never sees it; the
    logout response also clears this site's storage (``Clear-Site-Data``).
    """
    owner = f"{DRAFT_PREFIX}{draft_owner(user)}"
    if proposal_id:
        return f"{owner}-proposal-{proposal_id}"
    return f"{owner}-{kind}-{consultation_id}"


def draft_prefix(user) -> str:
    """The start of every draft key of ``user`` (the script clears other accounts' drafts)."""
    return f"{DRAFT_PREFIX}{draft_owner(user)}-"
