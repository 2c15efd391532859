"""Django's model permissions, read from the cache instead of two queries per request.

Every signed-in page asks at least one model permission (Wagtail's user bar checks
``wagtailadmin.access_admin``; moderation checks go through every backend), and Django's
``ModelBackend`` reads the person's own and group permissions for that: two queries a request.
The set is cached per person under a **permissions version** that any change of a group
membership, of a group's or a person's permissions, or of a group or permission itself replaces
(``connect_permission_signals``), and the key holds ``is_superuser`` (a superuser has every
permission; an inactive person has none and is not looked up), so a changed person never reads
an old set. The names of the person's groups (``User.role_names``) are cached the same way.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.session_user import kept_person, users_version
from core.request_memo import once_per_request
from core.versions import read_version, replace_version

VERSION_KEY = "accounts:permissions:version"
TIMEOUT = 60 * 60


def permissions_version() -> str:
    """Read once per request (``core.request_memo``)."""
    return once_per_request(VERSION_KEY, _read_permissions_version)


def _read_permissions_version() -> str:
    return read_version(VERSION_KEY, 24 * TIMEOUT)


def bump_permissions_version(*args, **kwargs) -> None:
    replace_version(VERSION_KEY, 24 * TIMEOUT)


class CachedModelBackend(ModelBackend):
    """``ModelBackend`` whose ``get_all_permissions`` comes from the cache (see above), and
    whose ``get_user`` (the person of a session, on every signed-in request) is kept in the
    process with their roles, under the users and permissions versions
    (``accounts.session_user``: every save or delete of a person and every change of
    permissions replaces them; what changes a person without a signal is bounded by
    ``session_user.MAX_AGE``). Each request unpickles its own copy."""

    def get_user(self, user_id):
        path = f"{type(self).__module__}.{type(self).__qualname__}"
        return kept_person(
            user_id,
            path,
            self.load_person,
            users=users_version(),
            permissions=permissions_version(),
        )

    def load_person(self, user_id):
        """``ModelBackend.get_user`` (one query; None for an inactive person) with the
        person's roles read along, as :func:`accounts.session_user.kept_person` keeps them."""
        user = super().get_user(user_id)
        if user is not None:
            user.role_names()
        return user

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = (
                f"accounts:permissions:{user_obj.pk}:{int(user_obj.is_superuser)}:"
                f"{permissions_version()}"
            )
            perms = cache.get(key)
            if perms is None:
                perms = super().get_all_permissions(user_obj)
                cache.set(key, perms, TIMEOUT)
            user_obj._perm_cache = perms  # noqa: SLF001 - ModelBackend's own per-instance cache
        return user_obj._perm_cache  # noqa: SLF001


def connect_permission_signals(user_model) -> None:
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(
            bump_permissions_version, sender=through, dispatch_uid=f"perm-version-{through}"
        )
    for model in (Group, Permission):
        for signal in (post_save, post_delete):
            signal.connect(
                bump_permissions_version,
                sender=model,
                dispatch_uid=f"perm-version-{model.__name__}-{id(signal)}",
            )
