"""Forms for participants. They only shape input; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.models import ConsultationPage, VoteMode
from proposals.images import MAX_BYTES
from proposals.models import Proposal, ProposalKind, ReportReason
from proposals.services.cleaning import BODY_MAX, BODY_MIN, COMMENT_MAX, TITLE_MAX, TITLE_MIN
from territory.models import Comune


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Titolo"),
        min_length=TITLE_MIN,
        max_length=TITLE_MAX,
        help_text=_("Una frase breve che riassume la tua idea."),
    )
    body = forms.CharField(
        label=_("La tua proposta"),
        min_length=BODY_MIN,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Spiega cosa proponi e perché. Solo testo: i link diventano cliccabili."),
    )
    amended_action = forms.ModelChoiceField(
        label=_("Azione del piano da modificare"), queryset=None, required=False
    )
    amended_text = forms.CharField(
        label=_("Come dovrebbe essere scritto il testo dell'azione"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Riscrivi il testo ufficiale con le tue modifiche: mostreremo le differenze."),
    )
    category = forms.ModelChoiceField(
        label=_("Categoria"), queryset=None, required=False, empty_label=_("Nessuna categoria")
    )
    comune = forms.ModelChoiceField(
        label=_("Comune a cui si riferisce (facoltativo)"),
        queryset=Comune.objects.order_by("name"),
        required=False,
        empty_label=_("Nessun comune in particolare"),
    )
    latitude = forms.DecimalField(
        label=_("Latitudine del punto (facoltativa)"),
        required=False,
        max_digits=9,
        decimal_places=6,
        help_text=_("Per indicare un luogo preciso, ad esempio 45.070312."),
    )
    longitude = forms.DecimalField(
        label=_("Longitudine del punto (facoltativa)"),
        required=False,
        max_digits=9,
        decimal_places=6,
        help_text=_("Ad esempio 7.686856."),
    )
    cost = forms.DecimalField(
        label=_("Costo stimato in euro"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Una stima: chi modera può correggerla prima del voto."),
    )
    image = forms.FileField(
        label=_("Immagine (facoltativa)"),
        required=False,
        help_text=_("JPEG, PNG, WebP o GIF, al massimo 5 MB. Togliamo i dati nascosti (EXIF)."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )

    def __init__(
        self,
        *args,
        consultation: ConsultationPage,
        kind: str = ProposalKind.PROPOSAL,
        amendable_actions=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.kind = kind
        self.fields["category"].queryset = consultation.categories.all()
        self.fields["comune"].widget.attrs.update(
            {
                "data-searchable-select": "",
                "data-filter-label": _("Filtra l'elenco dei comuni"),
            }
        )
        if not consultation.categories.exists():
            del self.fields["category"]
        if consultation.vote_mode != VoteMode.BUDGET:
            del self.fields["cost"]
        if kind == ProposalKind.AMENDMENT:
            ids = [a.pk for a in amendable_actions]
            from psm.models import ActionPage

            self.fields["amended_action"].queryset = ActionPage.objects.filter(pk__in=ids)
            self.fields["amended_action"].required = True
            self.fields["amended_text"].required = True
            self.fields["body"].label = _("Perché proponi questa modifica")
        else:
            del self.fields["amended_action"]
            del self.fields["amended_text"]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and image.size > MAX_BYTES:
            raise forms.ValidationError(_("L'immagine supera i 5 MB: scegline una più leggera."))
        return image


class ProposalEditForm(ProposalForm):
    remove_image = forms.BooleanField(label=_("Togli l'immagine attuale"), required=False)

    @classmethod
    def initial_for(cls, proposal: Proposal) -> dict:
        return {
            "title": proposal.title,
            "body": proposal.body,
            "category": proposal.category_id,
            "comune": proposal.comune_id,
            "latitude": proposal.latitude,
            "longitude": proposal.longitude,
            "cost": proposal.cost,
            "amended_action": proposal.amended_action_id,
            "amended_text": proposal.amended_text,
        }

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("amended_action", None)
        if not proposal.image:
            del self.fields["remove_image"]
        # "image" is a plain FileField: no "currently" link, which would leak the file name.


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Il tuo commento"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Perché lo segnali?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Altri dettagli (facoltativi, obbligatori se scegli «Altro»)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
