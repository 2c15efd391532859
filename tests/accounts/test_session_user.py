"""The person of a session, read without Django's middleware (``accounts.session_user``): the
user only when Django's ``get_user`` would accept the session as it is, never a kept copy after
the person or their roles changed, and a distinct object for every call."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client

from accounts.backends import permissions_version
from accounts.models import Role, User, role_group
from accounts.session_user import session_user, users_version
from accounts.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _session(person) -> dict:
    """The decoded data of a fresh signed-in session of ``person``, as the store reads it."""
    client = Client()
    client.force_login(person)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return SessionStore(key).load()


def _read(session):
    return session_user(session, users=users_version(), permissions=permissions_version())


def test_a_fresh_session_gives_its_person(user):
    session = _session(user)
    found = _read(session)
    assert found is not None
    assert found.pk == user.pk
    assert found.is_authenticated


def test_each_call_gives_its_own_object(user):
    session = _session(user)
    first, second = _read(session), _read(session)
    assert first is not None
    assert second is not None
    assert first is not second
    first.display_name = "Cambiato in una richiesta"
    assert second.display_name == user.display_name
    assert _read(session).display_name == user.display_name


@pytest.mark.parametrize("missing", [SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY])
def test_a_session_missing_a_key_gives_nobody(user, missing):
    session = _session(user)
    del session[missing]
    assert _read(session) is None


def test_an_empty_or_anonymous_session_gives_nobody(user):
    assert _read({}) is None
    assert _read({"django_language": "it"}) is None


def test_an_unparsable_user_id_gives_nobody(user):
    session = _session(user)
    session[SESSION_KEY] = "non-un-numero"
    assert _read(session) is None


def test_an_unknown_backend_gives_nobody(user):
    session = _session(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.RemoteUserBackend"
    assert _read(session) is None
    session[BACKEND_SESSION_KEY] = "non.esiste.Backend"
    assert _read(session) is None


def test_a_wrong_hash_gives_nobody(user):
    session = _session(user)
    assert _read(session) is not None  # a copy of the person is kept now
    session[HASH_SESSION_KEY] = "0" * len(session[HASH_SESSION_KEY])
    assert _read(session) is None


def test_a_password_changed_after_sign_in_gives_nobody(user):
    session = _session(user)
    assert _read(session) is not None  # kept
    user.set_password("un-altra-password-sicura-43")
    user.save()
    assert _read(session) is None


def test_an_inactive_person_gives_nobody(user):
    session = _session(user)
    assert _read(session) is not None  # kept
    user.is_active = False
    user.save()
    assert _read(session) is None


def test_an_inactive_person_signed_in_before_gives_nobody_even_uncached(user):
    session = _session(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert _read(session) is None


def test_a_deleted_person_gives_nobody(user):
    session = _session(user)
    assert _read(session) is not None  # kept
    user.delete()
    assert _read(session) is None


def test_a_saved_person_is_read_again(user):
    session = _session(user)
    before = users_version()
    assert _read(session).display_name == user.display_name  # kept under ``before``
    user.display_name = "Nome nuovo"
    user.save()
    assert users_version() != before
    assert _read(session).display_name == "Nome nuovo"


def test_a_kept_copy_lives_under_its_versions(user):
    """The same versions give the kept copy (no query); new versions read the person again."""
    session = _session(user)
    users, permissions = users_version(), permissions_version()
    assert session_user(session, users=users, permissions=permissions) is not None
    User.objects.filter(pk=user.pk).update(display_name="Senza segnale")
    kept = session_user(session, users=users, permissions=permissions)
    assert kept.display_name == user.display_name  # kept: no signal, same versions
    fresh = session_user(session, users="altra-versione", permissions=permissions)
    assert fresh.display_name == "Senza segnale"


def test_a_role_given_is_seen_at_once(user):
    session = _session(user)
    before = permissions_version()
    assert Role.FACILITATOR not in _read(session).role_names()
    user.groups.add(role_group(Role.FACILITATOR))
    assert permissions_version() != before
    assert Role.FACILITATOR in _read(session).role_names()


def test_a_role_taken_is_seen_at_once():
    person = UserFactory(roles=[Role.EDITOR])
    session = _session(person)
    assert Role.EDITOR in _read(session).role_names()
    person.groups.remove(role_group(Role.EDITOR))
    assert Role.EDITOR not in _read(session).role_names()


def test_another_persons_session_gives_that_person(user, other_user):
    assert _read(_session(user)).pk == user.pk
    assert _read(_session(other_user)).pk == other_user.pk
