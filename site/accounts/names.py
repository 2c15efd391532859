"""Names people give themselves (display name, first and last name): visible text only.

A right-to-left override (U+202E) makes "gpj.exe" read "exe.jpg" and a zero-width space makes
two names that look identical differ, so one person can pass for another next to a proposal
or in the moderation queue. Such characters (Unicode "other" categories: control, format,
private use, unassigned; line and paragraph separators) are refused with a message, and the
name is kept in NFC so the same visible name is the same text.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})


def invisible_characters(value: str) -> list[str]:
    """The characters of ``value`` a name may not contain, as ``U+XXXX``, in order."""
    found = []
    for char in value:
        if unicodedata.category(char) in REFUSED_CATEGORIES:
            code = f"U+{ord(char):04X}"
            if code not in found:
                found.append(code)
    return found


def validate_person_name(value: str) -> None:
    """Refuse invisible, control and direction-changing characters in a name."""
    found = invisible_characters(value or "")
    if found:
        raise ValidationError(
            _(
                "Il nome contiene caratteri invisibili o di controllo (%(chars)s), ad esempio "
                "quelli che cambiano la direzione del testo o spazi a larghezza zero: "
                "riscrivilo usando solo lettere, numeri, spazi e punteggiatura."
            ),
            code="invisible_characters",
            params={"chars": ", ".join(found[:5])},
        )


def clean_person_name(value: str) -> str:
    """``value`` in NFC without surrounding spaces, refused if it hides characters."""
    value = unicodedata.normalize("NFC", value or "").strip()
    validate_person_name(value)
    return value
