"""A call behind a Wagtail view restriction is closed to whoever may not read it, at every door
that reaches it: the application start page, starting an application (view and service) and the
published selection report."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import PageViewRestriction

from leadership.models import Application, SelectionRun
from leadership.selectors import open_calls
from leadership.services.applications import application_start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(call):
    group = Group.objects.create(name="Consiglio comunale dei giovani")
    restriction = PageViewRestriction.objects.create(
        page=call, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    return group


def test_apply_refuses_a_call_the_person_may_not_read(client, call, user, restricted):
    client.force_login(user)
    url = reverse("leadership:apply", args=[call.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Application.objects.filter(call=call).exists()
    with pytest.raises(PermissionDenied):
        application_start(call=call, applicant=user)


def test_apply_opens_for_a_member_of_the_restricted_group(client, call, restricted):
    member = UserFactory()
    member.groups.add(restricted)
    client.force_login(member)
    url = reverse("leadership:apply", args=[call.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert Application.objects.filter(call=call, applicant=member).exists()


def test_a_shared_password_pass_opens_the_call(client, call, user):
    restriction = PageViewRestriction.objects.create(
        page=call, restriction_type=PageViewRestriction.PASSWORD, password="bando2027"
    )
    client.force_login(user)
    url = reverse("leadership:apply", args=[call.pk])
    assert client.get(url).status_code == 404
    session = client.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    assert client.get(url).status_code == 200


def test_an_existing_application_stays_reachable_to_its_candidate(client, call, user):
    application_start(call=call, applicant=user)
    group = Group.objects.create(name="Riservato")
    restriction = PageViewRestriction.objects.create(
        page=call, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    client.force_login(user)
    assert client.get(reverse("leadership:apply", args=[call.pk])).status_code == 200


def test_the_selection_report_of_a_restricted_call_is_not_published_to_others(client, call):
    SelectionRun.objects.create(call=call, report={}, report_published=True)
    url = reverse("leadership:report", args=[call.pk])
    assert client.get(url).status_code == 200
    PageViewRestriction.objects.create(page=call, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 200


def test_a_restricted_call_is_not_listed(client, call, restricted):
    assert call not in open_calls()
    programme = call.get_parent()
    assert call.title not in client.get(programme.url).content.decode()
    PageViewRestriction.objects.filter(page=call).delete()
    assert call in open_calls()
    assert call.title in client.get(programme.url).content.decode()
