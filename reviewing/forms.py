"""The score sheet: one 0–max choice per weighted criterion, and a comment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ScoreSheetForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Commento"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(self, *args, criteria, score_max: int, comment_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        choices = [(str(i), str(i)) for i in range(score_max + 1)]
        for criterion in self.criteria:
            self.fields[f"c{criterion.pk}"] = forms.ChoiceField(
                label=f"{criterion.name} ({_('peso')} {criterion.weight.normalize()})",
                help_text=criterion.description,
                choices=choices,
                widget=forms.RadioSelect,
            )
        self.fields["comment"].required = comment_required

    def scores(self) -> dict:
        return {str(c.pk): self.cleaned_data[f"c{c.pk}"] for c in self.criteria}
