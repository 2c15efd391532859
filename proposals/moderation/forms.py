"""Forms of the facilitators' moderation views (Wagtail admin)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models import Proposal, ProposalStatus, Visibility
from territory.models import Comune


class AnswerForm(forms.Form):
    """The official answer. It starts empty, whatever was answered before (the previous
    answer is shown beside it, read-only): a text written for another status must not ride
    along unnoticed. Keeping the same text with a new status needs ``confirm_unchanged``,
    which the service checks too."""

    status = forms.ChoiceField(label=_("Stato"), choices=())
    answer = forms.CharField(
        label=_("Risposta ufficiale (pubblica)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
        help_text=_(
            "Obbligatoria, tranne per «In valutazione». Per «Non accolta» spiega il motivo."
        ),
    )
    merged_into = forms.ModelChoiceField(
        label=_("Unita alla proposta"),
        queryset=Proposal.objects.none(),
        required=False,
        help_text=_("Solo per «Unita a un'altra proposta»."),
    )
    confirm_unchanged = forms.BooleanField(
        label=_("Confermo: la risposta precedente vale anche per il nuovo stato (o va tolta)."),
        required=False,
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        kwargs.setdefault(
            "initial", {"status": proposal.status, "merged_into": proposal.merged_into_id}
        )
        super().__init__(*args, **kwargs)
        self.previous_answer = proposal.answer
        # "Integrata nel testo" comes only from publishing the amendment.
        self.fields["status"].choices = [
            (value, label)
            for value, label in ProposalStatus.choices
            if value != ProposalStatus.INCORPORATED or proposal.status == value
        ]
        self.fields["merged_into"].queryset = (
            Proposal.objects.filter(
                consultation_id=proposal.consultation_id, visibility=Visibility.PUBLISHED
            )
            .exclude(pk=proposal.pk)
            .order_by("title")
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo (pubblico)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )


class OfflineSupportsForm(forms.Form):
    supports = forms.IntegerField(label=_("Sostegni raccolti"), min_value=1, max_value=100_000)
    meeting_date = forms.DateField(
        label=_("Data dell'incontro"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=_("Luogo dell'incontro"), max_length=160)

    def clean_meeting_date(self):
        day = self.cleaned_data["meeting_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("La data dell'incontro non può essere nel futuro."))
        return day


class OfflineProposalForm(forms.Form):
    title = forms.CharField(label=_("Titolo"), max_length=140)
    body = forms.CharField(
        label=_("Testo della proposta"), widget=forms.Textarea(attrs={"rows": 6})
    )
    in_person_date = forms.DateField(
        label=_("Data dell'incontro"), widget=forms.DateInput(attrs={"type": "date"})
    )
    category = forms.ModelChoiceField(label=_("Categoria"), queryset=None, required=False)
    comune = forms.ModelChoiceField(
        label=_("Comune"), queryset=Comune.objects.order_by("name"), required=False
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = consultation.categories.all()

    def clean_in_person_date(self):
        day = self.cleaned_data["in_person_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("La data dell'incontro non può essere nel futuro."))
        return day


class AmendmentAcceptForm(forms.Form):
    answer = forms.CharField(
        label=_("Risposta ufficiale (pubblica)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class BlockForm(forms.Form):
    user_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    reason = forms.CharField(
        label=_("Motivo della sospensione"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )
