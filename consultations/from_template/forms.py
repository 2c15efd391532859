from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.models import ConsultationTemplate


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, template) -> str:
        return template.name


class FromTemplateForm(forms.Form):
    template = TemplateChoiceField(
        label=_("Modello"),
        queryset=ConsultationTemplate.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Scegli un modello.")},
    )
    title = forms.CharField(
        label=_("Titolo della consultazione"),
        max_length=255,
        error_messages={"required": _("Scrivi il titolo della consultazione.")},
    )
    start = forms.DateField(
        label=_("Data di inizio"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("La prima fase apre a mezzanotte di questo giorno; le altre la seguono."),
        error_messages={
            "required": _("Indica la data di inizio."),
            "invalid": _("Scrivi la data come gg/mm/aaaa."),
        },
    )
    question = forms.CharField(
        label=_("Domanda (facoltativa)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Puoi scriverla o cambiarla dopo, nell'editor della pagina."),
    )
    budget = forms.DecimalField(
        label=_("Budget totale (€)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("Solo per i modelli con voto a bilancio; vuoto: vale quello del modello."),
    )

    def __init__(self, *args, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
