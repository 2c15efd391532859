"""Facilitation as data: editors and coordinators assign and remove facilitators in the
Wagtail admin (audited); a facilitator of an action creates and publishes consultations
under it through the admin's own views, without superuser rights, but not the action's text;
the consultation form's territory widgets and the address of a new page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from accounts.models import Role
from consultations.models import (
    ConsultationPage,
    Facilitation,
    FacilitationLog,
    FacilitationLogVerb,
)
from consultations.services import facilitation_grant
from psm.models import ActionPage
from tests.consultations.factories import make_consultation
from tests.factories import UserFactory

INDEX = reverse("facilitation:index")


@pytest.fixture
def action(plan):
    return ActionPage.objects.get(locale__language_code="it", code="5.3.5")


@pytest.fixture
def editor(db):
    return UserFactory(roles=[Role.EDITOR], is_staff=True)


@pytest.fixture
def facilitator(db):
    return UserFactory(roles=[Role.FACILITATOR], is_staff=True)


@pytest.mark.parametrize("role", [Role.EDITOR, Role.COORDINATOR])
def test_editors_and_coordinators_assign_and_remove_with_a_log(client, action, role):
    assigner = UserFactory(roles=[role], is_staff=True)
    person = UserFactory(is_staff=True)
    consultation = make_consultation(parent=action)
    client.force_login(assigner)
    assert client.get(INDEX).status_code == 200
    response = client.post(INDEX, {"page": action.pk, "email": person.email.upper()})
    assert response.status_code == 302
    facilitation = Facilitation.objects.get(page=action, user=person)
    assert facilitation.granted_by == assigner
    person = type(person).objects.get(pk=person.pk)
    assert person.has_role(Role.FACILITATOR)
    # the action's facilitator moderates every consultation under it
    assert person.has_perm("consultations.moderate", consultation)
    [grant] = FacilitationLog.objects.all()
    assert (grant.verb, grant.user, grant.actor, grant.page_title) == (
        FacilitationLogVerb.GRANT,
        person,
        assigner,
        action.title,
    )
    assert person.public_name in client.get(reverse("facilitation:log")).content.decode()

    response = client.post(reverse("facilitation:revoke", args=[facilitation.pk]))
    assert response.status_code == 302
    assert not Facilitation.objects.filter(pk=facilitation.pk).exists()
    person = type(person).objects.get(pk=person.pk)
    assert not person.has_perm("consultations.moderate", consultation)
    revoke = FacilitationLog.objects.order_by("-pk").first()
    assert (revoke.verb, revoke.actor) == (FacilitationLogVerb.REVOKE, assigner)


def test_assignment_refuses_other_roles_and_bad_input(client, action, facilitator, editor):
    # the Wagtail admin turns a refusal into a redirect to its dashboard with the message
    client.force_login(facilitator)
    assert client.get(INDEX).status_code == 302
    assert client.post(INDEX, {"page": action.pk, "email": facilitator.email}).status_code == 302
    client.force_login(UserFactory())
    assert client.get(INDEX).status_code == 302
    client.force_login(editor)
    response = client.post(INDEX, {"page": action.pk, "email": "nessuno@example.org"})
    assert response.status_code == 200
    assert "Nessun account attivo" in response.content.decode()
    plan_page = action.get_parent()
    response = client.post(INDEX, {"page": plan_page.pk, "email": facilitator.email})
    assert response.status_code == 200
    assert not Facilitation.objects.exists()
    assert not FacilitationLog.objects.exists()


def _consultation_form(**overrides):
    now = timezone.localtime()
    fmt = "%Y-%m-%d %H:%M"
    data = {
        "title": "Un cortile aperto a Pinerolo",
        "slug": "cortile-aperto-pinerolo",
        "question": rich_text("<p>Come useresti il cortile della scuola il pomeriggio?</p>"),
        "context": rich_text(""),
        "linked_actions": inline_formset([]),
        "phases": inline_formset(
            [
                {
                    "kind": "proposals",
                    "starts_at": (now + datetime.timedelta(days=1)).strftime(fmt),
                    "ends_at": (now + datetime.timedelta(days=20)).strftime(fmt),
                }
            ]
        ),
        "categories": inline_formset([]),
        "min_age": "14",
        "max_age": "35",
        "territory_scope": "zones",
        "vote_mode": "support",
        "report_threshold": "3",
        "answer_deadline_days": "60",
        "action-publish": "action-publish",
    }
    data.update(overrides)
    flat = nested_form_data(data)
    flat["eligible_altimetric_zones"] = ["1", "3"]  # several values of one field
    return flat


def test_an_action_facilitator_creates_and_publishes_a_consultation(
    client, action, facilitator, editor
):
    facilitation_grant(page=action, user=facilitator, actor=editor)
    client.force_login(facilitator)
    add = reverse("wagtailadmin_pages:add", args=("consultations", "consultationpage", action.pk))
    form = client.get(add)
    assert form.status_code == 200
    page = form.content.decode()
    assert 'type="checkbox" name="eligible_altimetric_zones"' in page  # not raw JSON
    assert "data-filterable-choices" in page  # comuni with a text filter
    response = client.post(add, _consultation_form())
    assert response.status_code == 302, response.context["form"].errors
    consultation = ConsultationPage.objects.get(
        locale__language_code="it", slug="cortile-aperto-pinerolo"
    )
    assert consultation.live
    assert consultation.get_parent().pk == action.pk
    assert consultation.eligible_altimetric_zones == [1, 3]
    facilitator = type(facilitator).objects.get(pk=facilitator.pk)
    assert facilitator.has_perm("consultations.moderate", consultation)
    assert not facilitator.is_superuser


def test_the_action_text_stays_with_the_editors(client, action, facilitator, editor):
    facilitation_grant(page=action, user=facilitator, actor=editor)
    client.force_login(facilitator)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[action.pk])).status_code in (
        302,
        403,
    )
    assert not action.permissions_for_user(facilitator).can_publish()
    assert action.permissions_for_user(facilitator).can_add_subpage()
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[action.pk])).status_code == 200


def test_an_abandoned_draft_does_not_block_a_new_attempt(client, action, facilitator, editor):
    facilitation_grant(page=action, user=facilitator, actor=editor)
    client.force_login(facilitator)
    add = reverse("wagtailadmin_pages:add", args=("consultations", "consultationpage", action.pk))
    draft = _consultation_form()
    draft.pop("action-publish")
    assert client.post(add, draft).status_code == 302
    response = client.post(add, _consultation_form())
    assert response.status_code == 302, response.context["form"].errors
    slugs = set(ConsultationPage.objects.child_of(action).values_list("slug", flat=True))
    assert {"cortile-aperto-pinerolo", "cortile-aperto-pinerolo-2"} <= slugs


def test_the_list_of_facilitations_reads_a_fixed_number_of_queries(
    client, action, editor, django_assert_num_queries
):
    def add_facilitation():
        facilitation_grant(
            page=make_consultation(parent=action), user=UserFactory(is_staff=True), actor=editor
        )

    add_facilitation()
    client.force_login(editor)
    client.get(INDEX)
    with django_assert_num_queries(FACILITATION_LIST_QUERIES):
        assert client.get(INDEX).status_code == 200
    for _ in range(3):
        add_facilitation()
    client.get(INDEX)  # new groups: the permission cache is read afresh once
    with django_assert_num_queries(FACILITATION_LIST_QUERIES):
        assert client.get(INDEX).status_code == 200


FACILITATION_LIST_QUERIES = 8  # the person kept in the process
