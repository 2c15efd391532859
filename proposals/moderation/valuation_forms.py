"""The form of the technical valuation screen (one per proposal, prefixed by its id)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from proposals.models import Proposal, valuation_of

FEASIBLE_CHOICES = [("si", _("Fattibile")), ("no", _("Non fattibile"))]


class ValuationForm(forms.Form):
    feasible = forms.ChoiceField(
        label=_("Fattibilità"), choices=FEASIBLE_CHOICES, widget=forms.RadioSelect
    )
    official_cost = forms.DecimalField(
        label=_("Costo ufficiale (€)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Obbligatorio per una proposta fattibile."),
    )
    reason = forms.CharField(
        label=_("Motivazione (pubblica)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text=_(
            "Obbligatoria se la proposta non è fattibile o se il costo ufficiale è diverso "
            "dalla stima di chi l'ha proposta."
        ),
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        valuation = valuation_of(proposal)
        if valuation is not None:
            initial = {
                "feasible": "si" if valuation.feasible else "no",
                "official_cost": valuation.official_cost,
                "reason": valuation.reason,
            }
        else:
            initial = {"official_cost": proposal.cost}
        kwargs.setdefault("initial", initial)
        kwargs.setdefault("prefix", f"v{proposal.pk}")
        super().__init__(*args, **kwargs)
