import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import Role, role_group
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_four_roles_exist_as_groups():
    names = set(Group.objects.values_list("name", flat=True))
    assert {role.value for role in Role} <= names


@pytest.mark.parametrize(
    ("role", "admin_access"),
    [
        (Role.EDITOR, True),
        (Role.FACILITATOR, True),
        (Role.COORDINATOR, True),
        (Role.REVIEWER, False),
    ],
)
def test_staff_roles_reach_the_wagtail_admin(client, role, admin_access):
    person = UserFactory(roles=[role], is_staff=admin_access)
    client.force_login(person)
    response = client.get("/admin/")
    assert (response.status_code == 200) is admin_access


def test_participant_cannot_open_the_admin_and_is_not_bounced_forever(client, user):
    client.force_login(user)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert len(response.redirect_chain) == 1
    assert response.redirect_chain[0][0].startswith(reverse("account_login"))


def test_a_recreated_role_group_gets_its_admin_access_back():
    from django.contrib.auth.models import Group

    Group.objects.filter(name=Role.FACILITATOR.value).delete()
    assert role_group(Role.FACILITATOR).permissions.filter(codename="access_admin").exists()
    Group.objects.filter(name=Role.REVIEWER.value).delete()
    assert not role_group(Role.REVIEWER).permissions.exists()


def test_staff_can_set_up_totp(client):
    staff = UserFactory(roles=[Role.EDITOR], is_staff=True)
    client.force_login(staff)
    assert "Verifica in due passaggi" in client.get(reverse("accounts:profile")).content.decode()
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code in (200, 302)  # 302: allauth asks to re-authenticate first


def test_has_role():
    person = UserFactory(roles=[Role.REVIEWER])
    assert person.has_role(Role.REVIEWER)
    assert not person.has_role(Role.EDITOR)


def test_roles_are_read_once_and_follow_changes(django_assert_num_queries):
    person = UserFactory()
    with django_assert_num_queries(1):
        assert not person.has_role(Role.FACILITATOR)
        assert not person.has_role(Role.REVIEWER)
    person.groups.add(role_group(Role.FACILITATOR))
    assert person.has_role(Role.FACILITATOR)
    person.groups.clear()
    assert not person.has_role(Role.FACILITATOR)
