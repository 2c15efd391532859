from django import forms
from django.utils.translation import gettext_lazy as _

from leadership.models import Category, QuestionKind, Session
from psm.localisation import attach_reading_rows
from reviewing.forms import ScoreSheetForm


class ApplicationForm(forms.Form):
    """The call's questions. Built from the call; saved as a draft even when incomplete."""

    category = forms.ChoiceField(
        label=_("Categoria"), widget=forms.RadioSelect, required=False, choices=()
    )

    def __init__(self, *args, call, application, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = call.allowed_categories()
        self.fields["category"].choices = [
            (value, label) for value, label in Category.choices if value in allowed
        ]
        self.initial["category"] = application.category
        # The Italian call's questions (answers are kept under their ids), in the words of the
        # language being read; a choice keeps its Italian value and shows the translated label.
        for question in attach_reading_rows(call.questions.all()):
            name = question.field_name
            words = question.reading or question
            attrs = {"maxlength": question.limit, "data-autosave": "1"}
            if question.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(
                    label=words.label,
                    required=False,
                    choices=[("", _("— scegli —"))] + _choices(question, words),
                )
            elif question.kind == QuestionKind.LONG:
                field = forms.CharField(
                    label=words.label,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 6, **attrs}),
                    help_text=_("Al massimo %(n)d caratteri.") % {"n": question.limit},
                )
            else:
                field = forms.CharField(
                    label=words.label,
                    required=False,
                    widget=forms.TextInput(attrs=attrs),
                    help_text=_("Al massimo %(n)d caratteri.") % {"n": question.limit},
                )
            if question.required:
                field.label = f"{words.label} *"
            self.fields[name] = field
            self.initial[name] = application.answers.get(name, "")


def _choices(question, words) -> list[tuple[str, str]]:
    """Italian option values with the labels of the translation, line by line (the Italian
    label where the translation has fewer lines)."""
    values = question.choice_list()
    labels = words.choice_list()
    return [(v, labels[i] if i < len(labels) else v) for i, v in enumerate(values)]


class DocumentForm(forms.Form):
    requirement = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("File PDF"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )


class ReviewForm(ScoreSheetForm):
    """The shared score sheet (``reviewing.forms``) over a call's criteria."""

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, criteria=call.criteria.all(), score_max=call.score_max, **kwargs)


class AdjustForm(forms.Form):
    include = forms.ChoiceField(
        label=_("Correzione"),
        choices=[
            ("in", _("Includi")),
            ("out", _("Escludi")),
            ("none", _("Togli la correzione")),
        ],
    )
    motivation = forms.CharField(label=_("Motivazione"), required=False, max_length=1000)


class SessionForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("Collegamento online"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Session
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "materials",
            "reflection_prompt",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "materials": forms.Textarea(attrs={"rows": 3}),
            "reflection_prompt": forms.Textarea(attrs={"rows": 3}),
        }
