import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import Role
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


def test_participant_cannot_open_the_admin(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302


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
