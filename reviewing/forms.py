"""The score sheet: one 0–max choice per weighted criterion, and a comment; and the one way a
reviewer's or juror's page hands a posted sheet to its app's service."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import REFUSALS, message_refusal


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


def submit_score_sheet(request, form: ScoreSheetForm, submit: Callable, *, incomplete: str) -> bool:
    """On a POST, hand the filled sheet to ``submit(scores=..., comment=...)`` (the app's
    service). True once it is sent; an incomplete sheet (the ``incomplete`` text) or a refusal
    is shown as an error message and the page is shown again."""
    if request.method != "POST":
        return False
    if not form.is_valid():
        messages.error(request, incomplete)
        return False
    try:
        submit(scores=form.scores(), comment=form.cleaned_data["comment"])
    except REFUSALS as error:
        message_refusal(request, error)
        return False
    messages.success(request, _("Valutazione inviata."))
    return True
