from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from accounts.models import User
from consultations.models import ConsultationPage
from psm.models import ActionPage


class PageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, page) -> str:
        if isinstance(page, ActionPage):
            return f"{_('Azione')} {page.code} – {page.title}"
        return f"{_('Consultazione')}: {page.title}"


class FacilitationForm(forms.Form):
    page = PageChoiceField(
        label=_("Azione del piano o consultazione"),
        queryset=Page.objects.none(),
        help_text=_(
            "Chi facilita un'azione facilita tutte le consultazioni sotto di essa, anche quelle "
            "create dopo, e può crearne di nuove."
        ),
    )
    email = forms.EmailField(
        label=_("Indirizzo e-mail della persona"),
        help_text=_("La persona deve avere già un account attivo sulla piattaforma."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].queryset = Page.objects.type(ActionPage, ConsultationPage).order_by(
            "path"
        )

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None or user.is_removed:
            raise forms.ValidationError(_("Nessun account attivo con questo indirizzo e-mail."))
        return user
