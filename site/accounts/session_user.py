"""The signed-in person of a session, for a path that runs without Django's middleware.

The quick path (``consultations.quick``) answers the busiest requests there are (votes)
without the middleware stack. It still has to know who is asking exactly as Django's
``AuthenticationMiddleware`` would, and it must never accept a session Django would refuse.
This module reads the person the same way (``django.contrib.auth.get_user``: the session's
user id and backend, the backend's ``get_user``, the session hash checked against the
person's current one) and answers ``None`` in every case where Django would do anything more
than accept: no session, another backend, an inactive or missing person, a hash that matches
only a fallback secret (Django rotates the session) or not at all (Django flushes it). The
caller then hands the request to Django, which does what it always does.

The person is kept in this process (as pickled bytes: each request gets its own copy) under
the **users version**, which every save or delete of a person replaces, and the permissions
version (their groups are read with them, ``User.role_names``): a password change, a
deactivation, a new birth date or comune, a role given or taken apply to the very next request.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save
from django.utils.crypto import constant_time_compare

from core.kept import Kept
from core.request_memo import once_per_request
from core.versions import read_version, replace_version

USERS_VERSION_KEY = "accounts:users:version"
VERSION_TIMEOUT = 60 * 60 * 24
#: People kept per process (a few hundred bytes each), each for at most ``MAX_AGE`` seconds
#: (what changes a person without a signal is bounded by it).
KEPT = 4096
MAX_AGE = 60

_kept = Kept(KEPT, MAX_AGE, copies=True)


def users_version() -> str:
    """Read once per request (``core.request_memo``)."""
    return once_per_request(USERS_VERSION_KEY, _read_users_version)


def _read_users_version() -> str:
    return read_version(USERS_VERSION_KEY, VERSION_TIMEOUT)


def bump_users_version(*args, **kwargs) -> None:
    """A person changed (a save, a delete, or an ``UPDATE`` that sends no signal): every kept
    copy of anybody becomes unreachable."""
    replace_version(USERS_VERSION_KEY, VERSION_TIMEOUT)


def connect_users_version(user_model) -> None:
    for signal in (post_save, post_delete):
        signal.connect(
            bump_users_version, sender=user_model, dispatch_uid=f"users-version-{id(signal)}"
        )


def session_user(session: dict, *, users: str, permissions: str):
    """The person ``session`` (its decoded data) belongs to, when Django would accept it as
    it is; else None (see the module's docstring). ``users`` and ``permissions`` are the
    current versions."""
    try:
        user_id = get_user_model()._meta.pk.to_python(session[SESSION_KEY])  # noqa: SLF001
        backend_path = session[BACKEND_SESSION_KEY]
    except (KeyError, ValueError, TypeError, ValidationError):
        return None
    session_hash = session.get(HASH_SESSION_KEY)
    if not session_hash or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    backend = load_backend(backend_path)
    load = getattr(backend, "load_person", None) or (lambda pk: _with_roles(backend.get_user(pk)))
    user = kept_person(user_id, backend_path, load, users=users, permissions=permissions)
    if user is None:
        return None
    if not user.is_active or not hasattr(user, "get_session_auth_hash"):
        return None
    if not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return None
    return user


def kept_person(user_id, backend_path: str, load, *, users: str, permissions: str):
    """The person ``user_id`` as ``load(user_id)`` reads them (a backend's ``get_user``
    without keeping, with their roles read along), kept in this process under the users and
    permissions versions given (the current ones); None when there is no such (active)
    person. ``accounts.backends.CachedModelBackend.get_user`` reads people through it too, so
    every signed-in request finds its person here."""
    key = (user_id, backend_path, users, permissions)
    return _kept.get_or_load(key, lambda: load(user_id))


def _with_roles(user):
    if user is not None and hasattr(user, "role_names"):
        user.role_names()  # read now, kept with the person
    return user
