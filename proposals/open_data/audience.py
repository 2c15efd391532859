"""Who gets which results, tables and columns: the one place that decides.

Two audiences read a consultation's results (page, CSV, XLSX, data dictionary):

- its **moderators** (``consultations.moderate``): every table, every column, the authors'
  public names included, also before the results are public; their downloads are private
  (``Cache-Control: private, no-store``);
- **everybody else** once the results are public (``proposals.results.results_are_public``):
  the public tables only, without the columns that name a person, as open data under the
  licence (cacheable by anyone).

Before the results are public nobody else gets anything: :func:`results_audience` raises
``PermissionDenied`` with the reason. Views ask this module and do what it says; the exports
take ``audience.public`` and cut the personal columns with the same dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from consultations.models import ConsultationPage
from proposals.open_data import dictionary
from proposals.results import results_are_public

#: The pseudo-table of the CSV download that holds the data dictionary itself.
DICTIONARY = "dizionario"


@dataclass(frozen=True)
class Audience:
    """What one person may read of one consultation's results."""

    moderator: bool
    results_public: bool

    @property
    def public(self) -> bool:
        """Open data: public tables only, no personal columns, cacheable."""
        return not self.moderator

    @property
    def table_keys(self) -> tuple[str, ...]:
        return dictionary.PUBLIC_TABLES if self.public else tuple(dictionary.TABLES)

    @property
    def tables(self) -> list[dictionary.Table]:
        return [dictionary.TABLES[key] for key in self.table_keys]

    @property
    def csv_choices(self) -> tuple[str, ...]:
        """What ``?tabella=`` may name in a CSV download."""
        return (*self.table_keys, DICTIONARY)

    def columns(self, table: dictionary.Table) -> list[dictionary.Column]:
        return dictionary.columns(table, public=self.public)

    @property
    def dictionary(self) -> list[tuple[dictionary.Table, list[dictionary.Column]]]:
        """Each table this audience may download, with the columns it gets."""
        return [(table, self.columns(table)) for table in self.tables]

    @property
    def cache_control(self) -> str:
        return "public, max-age=300" if self.public else "private, no-store"


def results_audience(*, user, consultation: ConsultationPage, now=None) -> Audience:
    """The audience ``user`` belongs to for ``consultation``'s results; ``PermissionDenied``
    while the results are not public and ``user`` does not moderate the consultation.
    (Whether the consultation itself is visible to the request is the caller's check,
    ``ConsultationPage.objects.visible_to``.)"""
    moderator = user.has_perm("consultations.moderate", consultation)
    public = results_are_public(consultation, now)
    if not (moderator or public):
        raise PermissionDenied(
            _("I dati si potranno scaricare quando i risultati saranno pubblici.")
        )
    return Audience(moderator=moderator, results_public=public)
