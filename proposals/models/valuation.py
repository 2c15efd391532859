"""The technical valuation of a proposal in a budget consultation (the feasibility step before
the vote): the official cost, whether it can be done, and the public reason.

Which proposals go on the ballot (and can be funded) is decided in one place,
:func:`ballot_error`; the ballot page, the ballot service and the ranking all ask it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from proposals.models.choices import ProposalStatus, Visibility
from proposals.models.participation import Proposal

#: Statuses that keep a proposal off the ballot whatever its valuation.
OFF_BALLOT_STATUSES = frozenset({ProposalStatus.REJECTED, ProposalStatus.MERGED})


class Valuation(models.Model):
    """One per proposal; changed only by ``proposals.moderation.valuation.proposal_valuate``,
    which also leaves a ``ModerationAction`` audit row."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="valuation", verbose_name=_("proposta")
    )
    feasible = models.BooleanField(_("fattibile"))
    official_cost = models.DecimalField(
        _("costo ufficiale (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    reason = models.TextField(_("motivazione (pubblica)"), blank=True)
    valued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    valued_at = models.DateTimeField(_("valutata il"), default=timezone.now)

    class Meta:
        verbose_name = _("valutazione tecnica")
        verbose_name_plural = _("valutazioni tecniche")
        constraints = [
            models.CheckConstraint(
                condition=Q(official_cost__isnull=True) | Q(official_cost__gte=0),
                name="valuation_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(feasible=False) | Q(official_cost__isnull=False),
                name="valuation_feasible_has_cost",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {'ok' if self.feasible else 'no'} {self.official_cost}"


def valuation_of(proposal: Proposal) -> Valuation | None:
    """The proposal's valuation, or None (uses ``select_related("valuation")`` when loaded)."""
    try:
        return proposal.valuation
    except Valuation.DoesNotExist:
        return None


def ballot_error(proposal: Proposal) -> str | None:
    """None if ``proposal`` may be chosen on a budget ballot (and funded), otherwise why not,
    in plain Italian: it must be published, not rejected or merged, valued feasible with an
    official cost."""
    if proposal.visibility != Visibility.PUBLISHED:
        return gettext("La proposta «%(title)s» non è pubblicata.") % {"title": proposal.title}
    if proposal.status in OFF_BALLOT_STATUSES:
        return gettext("La proposta «%(title)s» non è sulla scheda: è «%(status)s».") % {
            "title": proposal.title,
            "status": proposal.get_status_display(),
        }
    valuation = valuation_of(proposal)
    if valuation is None:
        return gettext(
            "La proposta «%(title)s» non ha ancora la valutazione tecnica con il costo ufficiale."
        ) % {"title": proposal.title}
    if not valuation.feasible:
        return gettext(
            "La proposta «%(title)s» è stata valutata non fattibile: non è sulla scheda."
        ) % {"title": proposal.title}
    return None


def official_cost(proposal: Proposal):
    """The official cost if the proposal can be on the ballot, otherwise None."""
    if ballot_error(proposal) is not None:
        return None
    return proposal.valuation.official_cost
