"""Forms for participants. They only shape input; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from consultations.models import ConsultationPage, VoteMode
from core.ids import parse_id
from proposals.amendments.text import paragraphs
from proposals.images import MAX_BYTES
from proposals.models import Proposal, ProposalKind, ProposalVersion, ReportReason
from proposals.services.cleaning import BODY_MAX, BODY_MIN, COMMENT_MAX, TITLE_MAX, TITLE_MIN
from psm.localisation import attach_reading_rows
from territory.models import Comune


class IdChoiceField(forms.ModelChoiceField):
    """A row chosen by its integer id. Text that is not an id (Unicode digits such as "²",
    20+ digits, signs) is "not one of the choices" before any database look-up: SQLite
    cannot even compare a number past 64 bits."""

    def to_python(self, value):
        if value in self.empty_values or isinstance(value, self.queryset.model):
            return super().to_python(value)
        pk = parse_id(value)
        if pk is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(pk)


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
    amended_action = IdChoiceField(
        label=_("Azione del piano da modificare"), queryset=None, required=False
    )
    paragraph = forms.ChoiceField(
        label=_("Che cosa vuoi cambiare"),
        required=False,
        help_text=_(
            "Per un testo lungo scegli il paragrafo da riscrivere: nel riquadro qui sotto "
            "scriverai solo quello."
        ),
    )
    amended_text = forms.CharField(
        label=_("Come dovrebbe essere scritto il testo dell'azione"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Riscrivi il testo ufficiale (o il paragrafo scelto) con le tue modifiche: "
            "mostreremo le differenze."
        ),
    )
    category = IdChoiceField(
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
        if get_language() != settings.LANGUAGE_CODE:
            # The Italian categories (proposals point at them) in the words being read.
            words = {c.pk: c.reading for c in attach_reading_rows(consultation.categories.all())}
            self.fields["category"].label_from_instance = lambda c: (words.get(c.pk) or c).name
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
            choices = paragraph_choices(amendable_actions)
            if choices:
                self.fields["paragraph"].choices = [("", _("Tutto il testo dell'azione")), *choices]
            else:
                del self.fields["paragraph"]
        else:
            del self.fields["amended_action"]
            del self.fields["paragraph"]
            del self.fields["amended_text"]

    def clean(self):
        """``paragraph`` becomes the paragraph's number (or None), checked against the action."""
        data = super().clean()
        chosen = data.get("paragraph") or ""
        data["paragraph"] = None
        if chosen:
            action_id, _sep, number = chosen.partition("-")
            action = data.get("amended_action")
            if action is not None and str(action.pk) != action_id:
                self.add_error(
                    "paragraph",
                    _("Il paragrafo scelto è di un'altra azione: scegline uno di questa."),
                )
            else:
                data["paragraph"] = int(number)
        return data

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and image.size > MAX_BYTES:
            raise forms.ValidationError(_("L'immagine supera i 5 MB: scegline una più leggera."))
        return image


def paragraph_choices(actions) -> list[tuple[str, str]]:
    """One choice per paragraph of each action whose text has more than one
    (value ``"<action id>-<number>"``)."""
    choices = []
    for action in actions:
        parts = paragraphs(action.official_text)
        if len(parts) < 2:
            continue
        for number, text in enumerate(parts, start=1):
            label = _("Azione %(code)s, paragrafo %(n)s: «%(start)s»") % {
                "code": action.code,
                "n": number,
                "start": Truncator(text).words(10),
            }
            choices.append((f"{action.pk}-{number}", label))
    return choices


class ProposalEditForm(ProposalForm):
    remove_image = forms.BooleanField(label=_("Togli l'immagine attuale"), required=False)

    @classmethod
    def initial_for(
        cls, proposal: Proposal | ProposalVersion, paragraph: int | None = None
    ) -> dict:
        """The form's values from the proposal, or from the author's edit that waits (a
        paragraph amendment edits its ``paragraph`` only)."""
        amended_text = proposal.amended_text
        if paragraph:
            parts = paragraphs(amended_text)
            amended_text = parts[paragraph - 1] if paragraph <= len(parts) else amended_text
        return {
            "title": proposal.title,
            "body": proposal.body,
            "category": proposal.category_id,
            "comune": proposal.comune_id,
            "latitude": proposal.latitude,
            "longitude": proposal.longitude,
            "cost": proposal.cost,
            "amended_action": getattr(proposal, "amended_action_id", None),
            "amended_text": amended_text,
        }

    def __init__(self, *args, proposal: Proposal, paragraph: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("amended_action", None)
        self.fields.pop("paragraph", None)
        if paragraph and "amended_text" in self.fields:
            self.fields["amended_text"].label = _("Nuovo testo del paragrafo %(n)s") % {
                "n": paragraph
            }
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
