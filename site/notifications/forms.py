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

    facilitator_digest = forms.BooleanField(
        label=_("Ricevi il riepilogo quotidiano di chi facilita"),
        required=False,
        help_text=_(
            "Una e-mail al giorno, solo quando qualcosa attende nelle consultazioni che faciliti: "
            "segnalazioni, proposte da approvare, risposte da dare, fasi che stanno per aprire."
        ),
    )

    def __init__(self, *args, facilitator: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not facilitator:  # the choice only means something to those who facilitate
            del self.fields["facilitator_digest"]

    def clean(self):
        data = super().clean()
        if data.get("weekly_digest") and not data.get("email_enabled"):
            self.add_error(
                "weekly_digest",
                _("Per ricevere il riepilogo devi attivare le notifiche per e-mail."),
            )
        return data
