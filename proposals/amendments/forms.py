"""Forms of the change set's review screen. They only shape input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from proposals.services.cleaning import BODY_MAX


class ChangeSetPublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ho riletto il nuovo testo: va pubblicato come testo ufficiale dell'azione."),
        required=True,
        error_messages={"required": _("Conferma di aver riletto il nuovo testo.")},
    )


class ConflictResolveForm(forms.Form):
    text = forms.CharField(
        label=_("Testo in preparazione, con l'emendamento integrato a mano"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=BODY_MAX,
    )


class ConflictRemoveForm(forms.Form):
    answer = forms.CharField(
        label=_("Risposta ufficiale (pubblica): perché l'emendamento torna in valutazione"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
