"""The forms of the hand-entered counts (the services check and save)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equity.models import MAX_ENTRY, AgeBand
from territory.models import Comune


class CountForm(forms.Form):
    count = forms.IntegerField(label=_("Quante persone"), min_value=1, max_value=MAX_ENTRY)
    comune = forms.ModelChoiceField(
        label=_("Comune di residenza (se lo sai)"),
        queryset=Comune.objects.order_by("name"),
        required=False,
        empty_label=_("— non indicato —"),
        help_text=_(
            "Facoltativo. Se non lo indichi, si contano nel comune del laboratorio (o tra "
            "«comune non indicato» se il laboratorio non ne ha uno)."
        ),
    )
    age_band = forms.ChoiceField(
        label=_("Fascia d'età (se la sai)"),
        choices=[("", _("— non indicata —")), *AgeBand.choices],
        required=False,
    )


class HeadcountForm(CountForm):
    """People in the room: one line per group you know something about."""


class PaperTallyForm(CountForm):
    count = forms.IntegerField(label=_("Quante schede"), min_value=1, max_value=MAX_ENTRY)
    collected_on = forms.DateField(
        label=_("Giorno della raccolta"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    place = forms.CharField(label=_("Dove (facoltativo)"), max_length=160, required=False)
    field_order = ["count", "collected_on", "place", "comune", "age_band"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comune"].help_text = _(
            "Facoltativo. Se non lo indichi, le schede si contano tra «comune non indicato»."
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Perché lo ritiri"), max_length=300)
