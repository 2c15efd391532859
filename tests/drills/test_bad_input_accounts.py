"""Drill: bad input in accounts, notification preferences and search.

Hypothesis against the sign-up form (birth date, comune, gender, consent, display name),
the whole allauth sign-up over HTTP, the profile form, the notification preferences, the
login form (with forged ``X-Forwarded-For`` headers) and the site search: each case ends in a
saved object or the form's errors, never a 5xx. A saved display name never holds a direction
override, zero-width or control character, and is in NFC.
"""

import datetime
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accounts.forms import OUTSIDE_AREA, ProfileForm, SignupExtraForm
from accounts.models import User
from accounts.names import invisible_characters
from notifications.delivery import preference_for
from notifications.forms import PreferenceForm
from notifications.services import preference_update
from territory.models import TORINO_ISTAT_CODE
from tests.conftest import clear_own_cache_keys
from tests.drills.test_bad_input import (
    ID_LIKE,
    assert_answered,
    assert_local_location,
    fuzz,
    hostile_texts,
    id_like,
    next_values,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FUZZ = fuzz(800)
HTTP_FUZZ = settings(FUZZ, max_examples=80)
texts = hostile_texts(200)
# Bidi controls, zero-width and other invisible characters, alone or hidden inside a name.
HIDDEN_CHARACTERS = [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
    "\u2069", "\u200e", "\u200f", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
    "\u00ad", "\u061c", "\u2028", "\u2029", "\x1b", "\x7f", "\ue000",
]  # fmt: skip
names = st.one_of(
    texts,
    st.builds(
        lambda left, hidden, right: left + hidden + right,
        st.sampled_from(["Mario", "", "Giulia "]),
        st.sampled_from(HIDDEN_CHARACTERS),
        st.sampled_from(["Rossi", "", "gpj.exe"]),
    ),
    st.text(alphabet=st.characters(whitelist_categories=("Cf", "Mn", "Zs", "Lo")), max_size=20),
)
dates = st.one_of(
    st.dates().map(datetime.date.isoformat),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(["2010-02-30", "0000-00-00", "9999-12-31", "1900-01-01", "-1-01-01"]),
    texts,
)
comuni = st.one_of(
    st.sampled_from([TORINO_ISTAT_CODE, "001001", OUTSIDE_AREA, "", "000000", *ID_LIKE]),
    id_like,
    texts,
)
genders = st.one_of(
    st.sampled_from(["", "donna", "uomo", "non_binario", "non_dichiarato", "other"]), texts
)
consents = st.one_of(st.sampled_from(["on", "", "true", "false", "0"]), texts)


def profile_fields():
    return st.fixed_dictionaries(
        {},
        optional={
            "display_name": names,
            "birth_date": dates,
            "comune_choice": comuni,
            "gender": genders,
            "accept_privacy": consents,
        },
    )


def assert_clean_name(name: str) -> None:
    import unicodedata

    assert name.strip()
    assert not invisible_characters(name), name
    assert unicodedata.is_normalized("NFC", name)


@FUZZ
@given(data=profile_fields())
@example(data={"birth_date": "9999-12-31", "comune_choice": TORINO_ISTAT_CODE, "display_name": "A"})
@example(
    data={
        "birth_date": "2000-01-01",
        "comune_choice": TORINO_ISTAT_CODE,
        "display_name": "Mario\u202eissoR",
        "accept_privacy": "on",
    }
)
def test_signup_extra_form_validates_or_explains(data):
    form = SignupExtraForm(data)
    if form.is_valid():
        residence = form.cleaned_residence()
        assert residence["lives_outside_area"] or residence["comune"] is not None
        assert_clean_name(form.cleaned_data["display_name"])
    else:
        assert all(str(m).strip() for errors in form.errors.values() for m in errors)


@HTTP_FUZZ
@given(data=profile_fields(), email=texts, password=texts)
def test_signup_over_http_never_fails(client, data, email, password):
    clear_own_cache_keys()  # allauth's sign-up rate limit would answer 429 after 20 tries
    before = User.objects.count()
    response = client.post(
        reverse("account_signup"),
        {**data, "email": email, "password1": password, "password2": password},
    )
    assert_answered(response, 200, 302, 429)
    if response.status_code == 200:
        assert User.objects.count() == before


@settings(FUZZ, max_examples=600)
@given(data=profile_fields())
def test_profile_form_saves_or_explains(user, data):
    form = ProfileForm(data, instance=user)
    if form.is_valid():
        saved = form.save()
        saved.refresh_from_db()
        assert saved.display_name == form.cleaned_data["display_name"]
        assert_clean_name(saved.display_name)
    else:
        assert form.errors


@settings(HTTP_FUZZ, max_examples=40)  # each answer renders the 312 comuni again
@given(data=profile_fields())
def test_profile_edit_over_http_never_fails(client, user, data):
    client.force_login(user)
    response = client.post(reverse("accounts:edit"), data)
    assert_answered(response, 200, 302)


booleans = st.one_of(st.sampled_from(["on", "", "off", "1", "0", "true", "False"]), texts)


@settings(FUZZ, max_examples=600)
@given(
    data=st.fixed_dictionaries({}, optional={"email_enabled": booleans, "weekly_digest": booleans})
)
def test_notification_preferences_save_or_explain(user, data):
    form = PreferenceForm(data)
    if not form.is_valid():
        assert form.errors["weekly_digest"]
        return
    preference_update(
        user=user,
        email_enabled=form.cleaned_data["email_enabled"],
        weekly_digest=form.cleaned_data["weekly_digest"],
    )
    saved = preference_for(user=user)
    assert saved.email_enabled == form.cleaned_data["email_enabled"]


@HTTP_FUZZ
@given(data=st.dictionaries(st.sampled_from(["email_enabled", "weekly_digest"]), booleans))
def test_notification_preferences_over_http_never_fail(client, user, data):
    client.force_login(user)
    response = client.post(reverse("notifications:preferences"), data)
    assert_answered(response, 200, 302)


@settings(HTTP_FUZZ, max_examples=60)
@given(
    login=st.one_of(st.just("OWNER"), texts),
    password=texts,
    forwarded=st.one_of(st.none(), texts, st.sampled_from(["1.2.3.4", "::1, 10.0.0.1", ",,,"])),
    next_url=next_values,
)
def test_login_over_http_never_fails(client, user, login, password, forwarded, next_url):
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    response = client.post(
        f"{reverse('account_login')}?{urlencode({'next': next_url})}",
        {"login": user.email if login == "OWNER" else login, "password": password},
        **headers,
    )
    assert_answered(response, 200, 302, 429)
    assert_local_location(response)


@settings(FUZZ, max_examples=150)
@given(
    query=st.dictionaries(
        st.sampled_from(["q", "pagina", "page"]),
        st.one_of(texts, st.integers().map(str)),
        max_size=3,
    )
)
@example(query={"q": "a\x00b"})
@example(query={"q": 'piano "strategico'})  # SQLite FTS: "unterminated string"
@example(query={"q": "x" * 5000, "page": str(2**64)})
def test_search_never_fails(client, plan, query):
    response = client.get(reverse("search"), query)
    assert_answered(response, 200)


@pytest.fixture
def user(db):
    return UserFactory()
