from django import forms
from django.utils.translation import gettext_lazy as _

from contests.models import EntrantKind, MemberRole


class StartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Chi partecipa"), widget=forms.RadioSelect, choices=())
    organisation = forms.CharField(
        label=_("Nome della scuola o dell'associazione"), max_length=200, required=False
    )

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = contest.allowed_kinds()
        self.fields["kind"].choices = [
            (value, label) for value, label in EntrantKind.choices if value in allowed
        ]


class DraftForm(forms.Form):
    title = forms.CharField(label=_("Titolo del progetto"), max_length=160, required=False)
    summary = forms.CharField(
        label=_("Descrizione del progetto"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=8000,
        required=False,
        help_text=_("Non scrivere nomi: la giuria conosce il progetto solo per il suo codice."),
    )
    video_url = forms.CharField(
        label=_("Link a un breve video (facoltativo)"),
        max_length=200,
        required=False,
        help_text=_("Un indirizzo che inizia con https://."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Indirizzo e-mail"))
    role = forms.ChoiceField(label=_("Ruolo"), choices=MemberRole.choices)


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("Tavola in PDF o immagine"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp,image/gif"}
        ),
    )


class ResultsForm(forms.Form):
    reasoning = forms.CharField(
        label=_("Motivazione della giuria (pubblica)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=8000,
    )


class FollowUpForm(forms.Form):
    title = forms.CharField(label=_("Titolo del patto"), max_length=160)
    description = forms.CharField(
        label=_("Che cosa si realizza"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    parties = forms.CharField(
        label=_("Parti del patto (una per riga)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    signed_on = forms.DateField(
        label=_("Firmato il"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    starts_on = forms.DateField(
        label=_("In vigore dal"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Fino al"), widget=forms.DateInput(attrs={"type": "date"}))
    upload = forms.FileField(
        label=_("Testo firmato del patto (PDF, facoltativo)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ritiro il progetto dal contest: la giuria non lo riceverà."), required=True
    )
    reason = forms.CharField(
        label=_("Perché (facoltativo, resta agli atti)"), max_length=500, required=False
    )


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("La tua domanda"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Sarà pubblicata con la risposta, senza il tuo nome."),
    )


class AnswerForm(forms.Form):
    question = forms.CharField(
        label=_("Domanda (puoi correggerla, per esempio togliendo un nome)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    answer = forms.CharField(
        label=_("Risposta pubblica"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000
    )


class AgreementFileForm(forms.Form):
    file = forms.FileField(
        label=_("Testo firmato del patto (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
