"""The licence of the published results: CC BY 4.0, the licence the Italian open-data
guidelines (AgID, "Linee guida recanti regole tecniche per l'apertura dei dati") recommend."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Licence:
    code: str
    title: str
    url: str
    #: the licence type in the ADMS vocabulary, as DCAT-AP_IT asks
    adms_type: str

    def link_header(self) -> str:
        """An HTTP ``Link`` header naming the licence (RFC 8288, ``rel="license"``)."""
        return f'<{self.url}>; rel="license"'


CC_BY_4 = Licence(
    code="CC BY 4.0",
    title=_("Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)"),
    url="https://creativecommons.org/licenses/by/4.0/",
    adms_type="http://purl.org/adms/licencetype/Attribution",
)

LICENCE = CC_BY_4


def publisher_name() -> str:
    """Who publishes the data and must be credited (``OPEN_DATA_PUBLISHER``)."""
    return settings.OPEN_DATA_PUBLISHER


def attribution() -> str:
    return str(
        _("Dati: %(publisher)s, PSM Giovani. Licenza %(licence)s.")
        % {"publisher": publisher_name(), "licence": LICENCE.code}
    )
