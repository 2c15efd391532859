"""The person of every signed-in request, kept in the process
(``accounts.backends.CachedModelBackend.get_user`` through ``accounts.session_user.kept_person``):
no query once read, a copy of their own for each caller, and read again as soon as the person,
their roles or anybody's permissions change."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts.backends import CachedModelBackend
from accounts.models import Role, role_group
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_person_read_once_is_kept_with_their_roles(user, django_assert_num_queries):
    backend = CachedModelBackend()
    first = backend.get_user(user.pk)
    with django_assert_num_queries(0):
        again = backend.get_user(user.pk)
        assert again.role_names() == first.role_names()
    assert again == first
    assert again is not first  # each caller its own copy
    again.display_name = "Cambiato qui"
    assert backend.get_user(user.pk).display_name == user.display_name


def test_a_saved_person_is_read_again(user):
    backend = CachedModelBackend()
    assert backend.get_user(user.pk).display_name == user.display_name
    user.display_name = "Nome nuovo"
    user.save()
    assert backend.get_user(user.pk).display_name == "Nome nuovo"
    user.is_active = False
    user.save()
    assert backend.get_user(user.pk) is None  # as Django's ModelBackend answers


def test_a_role_given_or_a_group_changed_is_seen_at_once(user):
    backend = CachedModelBackend()
    assert Role.FACILITATOR not in backend.get_user(user.pk).role_names()
    user.groups.add(role_group(Role.FACILITATOR))
    assert Role.FACILITATOR in backend.get_user(user.pk).role_names()
    Group.objects.create(name="Altro gruppo")  # any permissions change replaces the version
    assert Role.FACILITATOR in backend.get_user(user.pk).role_names()


def test_a_signed_in_page_reads_no_person(django_assert_num_queries, plan):
    """Through the whole stack: a warm signed-in request asks nothing about its person; a
    deactivation applies to the very next request (Django then signs the session out)."""
    person = UserFactory()
    client = Client()
    client.force_login(person)
    client.get("/")
    with django_assert_num_queries(1):  # the unread notifications only
        assert client.get("/").context["user"].pk == person.pk
    person.is_active = False
    person.save()
    response = client.get("/")
    assert not response.context["user"].is_authenticated
