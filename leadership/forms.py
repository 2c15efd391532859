from django import forms
from django.utils.translation import gettext_lazy as _

from leadership.models import Category, QuestionKind, Session
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
        for question in call.questions.all():
            name = question.field_name
            attrs = {"maxlength": question.limit, "data-autosave": "1"}
            if question.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(
                    label=question.label,
                    required=False,
                    choices=[("", _("— scegli —"))] + [(c, c) for c in question.choice_list()],
                )
            elif question.kind == QuestionKind.LONG:
                field = forms.CharField(
                    label=question.label,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 6, **attrs}),
                    help_text=_("Al massimo %(n)d caratteri.") % {"n": question.limit},
                )
            else:
                field = forms.CharField(
                    label=question.label,
                    required=False,
                    widget=forms.TextInput(attrs=attrs),
                    help_text=_("Al massimo %(n)d caratteri.") % {"n": question.limit},
                )
            if question.required:
                field.label = f"{question.label} *"
            self.fields[name] = field
            self.initial[name] = application.answers.get(name, "")


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
