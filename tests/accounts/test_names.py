"""Names people give themselves: no direction overrides, zero-width or control characters;
the same visible name is the same text (NFC)."""

import pytest
from django.core.exceptions import ValidationError

from accounts.forms import ProfileForm, SignupExtraForm
from accounts.names import clean_person_name
from territory.models import TORINO_ISTAT_CODE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HIDDEN = {
    "right-to-left override": "Mario\u202eissoR",
    "left-to-right embedding": "\u202aMario",
    "pop directional": "Mario\u202c",
    "right-to-left isolate": "Mario \u2067Rossi\u2069",
    "left-to-right mark": "Mario\u200e",
    "right-to-left mark": "\u200fMario",
    "zero-width space": "Ma\u200brio",
    "zero-width non-joiner": "Ma\u200crio",
    "zero-width joiner": "Ma\u200drio",
    "word joiner": "Ma\u2060rio",
    "byte order mark": "\ufeffMario",
    "soft hyphen": "Ma\u00adrio",
    "escape": "Mario\x1b[31m",
    "line separator": "Mario\u2028Rossi",
    "private use": "Mario\ue000",
}


@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_signup_refuses_hidden_characters_in_the_display_name(name):
    form = SignupExtraForm(
        {
            "display_name": HIDDEN[name],
            "birth_date": "2000-01-01",
            "comune_choice": TORINO_ISTAT_CODE,
            "accept_privacy": "on",
        }
    )
    assert not form.is_valid()
    message = " ".join(form.errors["display_name"])
    assert "caratteri invisibili o di controllo" in message
    assert "U+" in message


@pytest.mark.parametrize("name", ["Mario\u202eissoR", "Ma\u200brio"])
def test_profile_refuses_hidden_characters_and_keeps_the_old_name(name):
    user = UserFactory(display_name="Mario")
    form = ProfileForm({"display_name": name, "comune_choice": TORINO_ISTAT_CODE}, instance=user)
    assert not form.is_valid()
    assert "display_name" in form.errors
    user.refresh_from_db()
    assert user.display_name == "Mario"


def test_names_are_kept_in_nfc():
    user = UserFactory()
    decomposed = "Nicole\u0300 Ce\u0301line"  # "Nicolè Céline" written with combining accents
    form = ProfileForm(
        {"display_name": decomposed, "comune_choice": TORINO_ISTAT_CODE}, instance=user
    )
    assert form.is_valid(), form.errors
    assert form.save().display_name == "Nicolè Céline"


@pytest.mark.parametrize("field", ["display_name", "first_name", "last_name"])
def test_the_model_refuses_hidden_characters_in_every_name_field(field):
    user = UserFactory()
    setattr(user, field, "Mario\u202eissoR")
    with pytest.raises(ValidationError) as refusal:
        user.full_clean()
    assert field in refusal.value.message_dict


@pytest.mark.parametrize(
    "name", ["Giulia", "Zoë D'Amico", "José-María", "李小龍", "محمد", "Αλέξανδρος", "Ана"]
)
def test_ordinary_names_in_any_script_are_accepted(name):
    assert clean_person_name(f"  {name} ") == name
