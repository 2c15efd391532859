from django import forms
from django.utils.translation import gettext_lazy as _

from conversations.models import STATEMENT_MAX


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("La tua affermazione"),
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX}),
        help_text=_(
            "Una frase breve e chiara (al massimo 140 caratteri) su cui altre persone possano "
            "dirsi d'accordo o in disaccordo. Un'idea per affermazione."
        ),
    )


class ConversationForm(forms.Form):
    question = forms.CharField(label=_("Domanda"), max_length=300)
    description = forms.CharField(
        label=_("Descrizione (facoltativa)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    participants_write = forms.BooleanField(
        label=_("Anche le persone partecipanti possono scrivere affermazioni"),
        required=False,
        initial=True,
    )
