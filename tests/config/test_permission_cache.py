"""accounts.backends.CachedModelBackend: model permissions from the cache, never stale."""

import pytest
from django.contrib.auth.models import Group, Permission

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_permissions_are_read_once_then_cached(django_assert_num_queries):
    user = UserFactory()
    assert not _fresh(user).has_perm("wagtailadmin.access_admin")
    again = _fresh(user)
    with django_assert_num_queries(0):
        assert not again.has_perm("wagtailadmin.access_admin")


def test_a_new_group_permission_applies_at_once():
    user = UserFactory()
    assert not _fresh(user).has_perm("wagtailadmin.access_admin")
    group = Group.objects.create(name="Redazione")
    user.groups.add(group)
    assert not _fresh(user).has_perm("wagtailadmin.access_admin")
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    group.permissions.add(access)
    assert _fresh(user).has_perm("wagtailadmin.access_admin")
    user.groups.remove(group)
    assert not _fresh(user).has_perm("wagtailadmin.access_admin")


def test_direct_permissions_and_superuser_change_apply_at_once():
    user = UserFactory()
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    assert not _fresh(user).has_perm("wagtailadmin.access_admin")
    user.user_permissions.add(access)
    assert _fresh(user).has_perm("wagtailadmin.access_admin")
    user.user_permissions.clear()
    assert not _fresh(user).has_perm("wagtailadmin.access_admin")
    user.is_superuser = True
    user.save()
    assert _fresh(user).has_perm("wagtailadmin.access_admin")
