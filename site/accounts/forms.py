from datetime import date

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.identity import residence_declare
from accounts.models import Gender, User, age_on
from accounts.names import clean_person_name
from territory.models import Comune

OUTSIDE_AREA = "altro"


def comune_choices() -> list[tuple[str, str]]:
    choices = [("", _("Scegli il tuo comune"))]
    choices += list(Comune.objects.order_by("name").values_list("istat_code", "name"))
    choices.append((OUTSIDE_AREA, _("Altro / fuori area metropolitana")))
    return choices


class ResidenceFieldsMixin(forms.Form):
    """Birth date, comune and gender: shared by sign-up and profile editing."""

    comune_choice = forms.ChoiceField(
        label=_("Comune di residenza"),
        help_text=_("Scrivi le prime lettere per trovarlo nell'elenco dei 312 comuni."),
    )
    gender = forms.ChoiceField(
        label=_("Genere (facoltativo)"),
        required=False,
        choices=[("", _("—"))] + list(Gender.choices),
        help_text=_("Serve solo per statistiche anonime sull'equilibrio della partecipazione."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comune_choice"].choices = comune_choices()
        self.fields["comune_choice"].widget.attrs["data-searchable-select"] = ""

    def cleaned_residence(self) -> dict:
        code = self.cleaned_data["comune_choice"]
        if code == OUTSIDE_AREA:
            return {"comune": None, "lives_outside_area": True}
        return {"comune": Comune.objects.get(pk=code), "lives_outside_area": False}


def validate_birth_date(value: date) -> date:
    today = timezone.localdate()
    if value > today:
        raise forms.ValidationError(_("La data di nascita non può essere nel futuro."))
    if age_on(value, today) > 120:
        raise forms.ValidationError(_("Controlla l'anno di nascita: sembra troppo lontano."))
    if age_on(value, today) < settings.ACCOUNT_MINIMUM_AGE:
        raise forms.ValidationError(
            _(
                "Per creare un account servono almeno %(age)s anni. Se ne hai meno puoi "
                "comunque partecipare: vieni a un laboratorio in presenza, dove si vota dal "
                "telefono senza account. Chiedi le date al tuo comune o alla tua scuola."
            ),
            code="too_young",
            params={"age": settings.ACCOUNT_MINIMUM_AGE},
        )
    return value


class SignupExtraForm(ResidenceFieldsMixin):
    """Extra sign-up fields, plugged into allauth's sign-up form."""

    display_name = forms.CharField(
        label=_("Nome visualizzato"),
        max_length=60,
        help_text=_("Il nome che le altre persone vedranno: può essere anche solo il nome."),
    )
    birth_date = forms.DateField(
        label=_("Data di nascita"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Per iscriversi servono almeno 14 anni."),
    )
    accept_privacy = forms.BooleanField(
        label=_("Ho letto l'informativa sulla privacy e accetto il trattamento dei miei dati"),
        error_messages={
            "required": _("Per iscriverti devi accettare l'informativa sulla privacy.")
        },
    )

    field_order = [
        "display_name",
        "email",
        "password1",
        "password2",
        "birth_date",
        "comune_choice",
        "gender",
        "accept_privacy",
    ]

    def clean_birth_date(self):
        return validate_birth_date(self.cleaned_data["birth_date"])

    def clean_display_name(self):
        return clean_person_name(self.cleaned_data["display_name"])

    def signup(self, request, user):
        """Required by allauth; the fields are applied in ``AccountAdapter.save_user``."""


class ProfileForm(ResidenceFieldsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance
        if user.comune_id:
            self.initial["comune_choice"] = user.comune_id
        elif user.lives_outside_area:
            self.initial["comune_choice"] = OUTSIDE_AREA
        self.initial["gender"] = user.gender

    def clean_display_name(self):
        return clean_person_name(self.cleaned_data["display_name"])

    @transaction.atomic
    def save(self, commit=True):
        user = super().save(commit=False)
        residence_declare(user=user, **self.cleaned_residence())
        user.gender = self.cleaned_data["gender"]
        if commit:
            user.save()
        return user


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Per confermare, scrivi la tua password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            # Signed up with SPID or CIE: no password to type, the e-mail address instead.
            self.fields["password"] = forms.CharField(
                label=_("Per confermare, scrivi il tuo indirizzo e-mail"),
                widget=forms.EmailInput(attrs={"autocomplete": "off"}),
            )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.has_usable_password():
            if password.strip().lower() != self.user.email.lower():
                raise forms.ValidationError(_("L'indirizzo e-mail non è quello dell'account."))
            return password
        if not self.user.check_password(password):
            raise forms.ValidationError(_("La password non è corretta."))
        return password


class ResidenceConfirmationForm(forms.Form):
    """What a facilitator fills in after seeing a person's document of residence."""

    email = forms.EmailField(
        label=_("E-mail dell'account della persona"),
        help_text=_("Chiedila alla persona: la trovi anche nel suo profilo."),
    )
    comune = forms.ChoiceField(label=_("Comune di residenza sul documento"))
    place = forms.CharField(
        label=_("Dove"),
        max_length=200,
        help_text=_("Il laboratorio o lo sportello, es. «Laboratorio di Pinerolo, 3 marzo»."),
    )
    document = forms.CharField(
        label=_("Documento visto"),
        max_length=100,
        required=False,
        help_text=_("Solo il tipo, senza numero: es. «carta d'identità»."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comune"].choices = comune_choices()[:-1]
        self.fields["comune"].widget.attrs["data-searchable-select"] = ""

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        person = User.objects.filter(email__iexact=email, removed_at__isnull=True).first()
        if person is None:
            raise forms.ValidationError(_("Nessun account usa questo indirizzo e-mail."))
        self.cleaned_data["person"] = person
        return email

    def clean_comune(self):
        return Comune.objects.get(pk=self.cleaned_data["comune"])

    def clean(self):
        cleaned = super().clean()
        cleaned.pop("email", None)
        return cleaned
