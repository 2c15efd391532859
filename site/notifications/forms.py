from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(
        label=_("Ricevi le notifiche per e-mail"),
        required=False,
        help_text=_(
            "Risposte alle tue proposte e ai tuoi commenti, nuove fasi delle consultazioni che segui."
        ),
    )
    weekly_digest = forms.BooleanField(
        label=_("Ricevi un riepilogo settimanale"),
        required=False,
        help_text=_("Una sola e-mail alla settimana con le notifiche non ancora lette."),
    )

    def clean(self):
        data = super().clean()
        if data.get("weekly_digest") and not data.get("email_enabled"):
            self.add_error(
                "weekly_digest",
                _("Per ricevere il riepilogo devi attivare le notifiche per e-mail."),
            )
        return data
