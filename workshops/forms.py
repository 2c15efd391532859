from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from territory.models import Comune
from workshops.models import Activity

SCALE_LABELS = {
    1: _("1 – per niente"),
    2: _("2 – poco"),
    3: _("3 – abbastanza"),
    4: _("4 – molto"),
    5: _("5 – moltissimo"),
}


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Codice del laboratorio"),
        max_length=12,
        help_text=_("Sei caratteri, li trovi sullo schermo della sala."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


def session_page_choices():
    """Pages a workshop can hang off: live action pages and consultation pages."""
    return (
        Page.objects.live()
        .filter(content_type__model__in=["actionpage", "consultationpage"])
        .order_by("path")
    )


class SessionCreateForm(forms.Form):
    page = forms.ModelChoiceField(
        label=_("Pagina collegata"),
        queryset=Page.objects.none(),
        help_text=_("La consultazione o l'azione del Piano di cui si parla nel laboratorio."),
    )
    title = forms.CharField(
        label=_("Titolo del laboratorio"),
        max_length=200,
        help_text=_("Per esempio: «Laboratorio a Pinerolo, 12 marzo»."),
    )
    comune = forms.ModelChoiceField(
        label=_("Comune in cui si svolge"),
        queryset=Comune.objects.all(),
        required=False,
        help_text=_(
            "Facoltativo. Serve a contare gli ingressi nel comune giusto nelle statistiche "
            "della partecipazione nel territorio; lascia vuoto per un laboratorio online."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].queryset = session_page_choices()
        self.fields["page"].label_from_instance = lambda page: page.title


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo di attività"), choices=Activity.Kind.choices)
    prompt = forms.CharField(label=_("Domanda"), max_length=300)
    options = forms.CharField(
        label=_("Opzioni"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Una per riga. Servono per scelta singola, scelta multipla e classifica; per una "
            "conversazione sono le affermazioni di partenza."
        ),
    )

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class IdeaForm(forms.Form):
    text = forms.CharField(
        label=_("La tua idea"),
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 280}),
        help_text=_("Al massimo 280 caratteri. Niente nomi né dati personali, per favore."),
    )


def answer_form_for(activity: Activity, data=None) -> forms.Form:
    """The form a phone shows for an activity; ``value()`` gives what the service expects."""
    options = list(enumerate(activity.options or []))
    kind = activity.kind
    fields: dict[str, forms.Field] = {}
    if kind == Activity.Kind.SINGLE_CHOICE:
        fields["choice"] = forms.TypedChoiceField(
            label=activity.prompt, choices=options, coerce=int, widget=forms.RadioSelect
        )
    elif kind == Activity.Kind.MULTIPLE_CHOICE:
        fields["choices"] = forms.TypedMultipleChoiceField(
            label=activity.prompt,
            choices=options,
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Puoi sceglierne più di una."),
        )
    elif kind == Activity.Kind.SCALE_1_5:
        fields["scale"] = forms.TypedChoiceField(
            label=activity.prompt,
            choices=list(SCALE_LABELS.items()),
            coerce=int,
            widget=forms.RadioSelect,
        )
    elif kind == Activity.Kind.RANKING:
        for position in range(1, len(options) + 1):
            fields[f"position_{position}"] = forms.TypedChoiceField(
                label=_("Posizione %(n)d") % {"n": position},
                choices=[("", "—"), *options],
                coerce=int,
            )

    def value(self):
        data = self.cleaned_data
        if kind == Activity.Kind.SINGLE_CHOICE:
            return data["choice"]
        if kind == Activity.Kind.MULTIPLE_CHOICE:
            return data["choices"]
        if kind == Activity.Kind.SCALE_1_5:
            return data["scale"]
        return [data[f"position_{p}"] for p in range(1, len(options) + 1)]

    form_class = type("AnswerForm", (forms.Form,), {**fields, "value": value})
    return form_class(data=data, auto_id=f"id_a{activity.pk}_%s")
