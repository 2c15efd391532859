"""Wagtail's snippet chooser does not create consultation templates (they have phases, made in
their own editor): its creation address refuses, never a server error."""

from tests.factories import UserFactory


def test_the_chooser_refuses_to_create_a_template(client, plan):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post("/admin/snippets/choose/consultations/consultationtemplate/create/", {})
    assert response.status_code in (302, 403)
