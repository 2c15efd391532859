"""Who may manage records: editors, and the facilitators of a consultation under the record's
action; not participants, not facilitators of another action (rules, admin pages, admin form).
"""

import pytest
from django.urls import reverse

from accountability.models import ImplementationRecord
from accountability.rules import actions_managed_by
from accountability.wagtail_hooks import RecordViewSet
from accounts.models import Role
from psm.models import ActionPage
from tests.accountability.factories import ImplementationRecordFactory
from tests.consultations.factories import make_consultation, make_editor, make_facilitator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ADMIN = "wagtailsnippets_accountability_implementationrecord"


@pytest.fixture
def record(consultation):
    return ImplementationRecordFactory()  # under 5.2.1, like ``consultation``


@pytest.fixture
def other_facilitator(plan):
    return make_facilitator(
        make_consultation(parent=ActionPage.objects.get(locale__language_code="it", code="5.3.5"))
    )


def test_rules(record, facilitator, other_facilitator):
    participant = UserFactory()
    assert make_editor().has_perm("accountability.change_record", record)
    assert facilitator.has_perm("accountability.change_record", record)
    assert not other_facilitator.has_perm("accountability.change_record", record)
    assert not participant.has_perm("accountability.change_record", record)
    assert not participant.has_perm("accountability.manage_records")
    assert other_facilitator.has_perm("accountability.manage_records")
    assert list(actions_managed_by(facilitator).values_list("code", flat=True)) == ["5.2.1"]


def test_a_facilitator_without_consultations_manages_nothing(plan):
    lone = UserFactory(roles=[Role.FACILITATOR], is_staff=True)
    assert not lone.has_perm("accountability.manage_records")


def test_admin_edit_page(client, record, facilitator, other_facilitator):
    url = reverse(f"{ADMIN}:edit", args=[record.pk])
    client.force_login(facilitator)
    assert client.get(url).status_code == 200
    client.force_login(other_facilitator)
    # Wagtail's admin answers a PermissionDenied with a redirect to its dashboard.
    for name in ("edit", "history", "delete", "unpublish", "revisions_compare"):
        args = [record.pk, "live", "latest"] if name == "revisions_compare" else [record.pk]
        response = client.get(reverse(f"{ADMIN}:{name}", args=args))
        assert (response.status_code, response["Location"]) == (302, "/admin/"), name
    assert client.post(url, {"action-publish": "1"}).status_code == 302
    assert ImplementationRecord.objects.get(pk=record.pk).title == record.title
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302  # no admin access at all


def test_admin_list_shows_only_the_facilitators_records(client, record, other_facilitator):
    theirs = ImplementationRecordFactory(
        title="Della 5.3.5", action=ActionPage.objects.get(locale__language_code="it", code="5.3.5")
    )
    client.force_login(other_facilitator)
    response = client.get(reverse(f"{ADMIN}:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert theirs.title in content
    assert record.title not in content


def test_admin_form_refuses_another_action(record, other_facilitator):
    form_class = RecordViewSet.edit_handler.bind_to_model(ImplementationRecord).get_form_class()
    form = form_class(
        instance=ImplementationRecord(),
        data={"action": ActionPage.objects.get(locale__language_code="it", code="5.2.1").pk},
        for_user=other_facilitator,
    )
    assert list(form.fields["action"].queryset.values_list("code", flat=True)) == ["5.3.5"]
    form.is_valid()
    assert "action" in form.errors


def test_editor_may_open_and_create(client, record):
    client.force_login(make_editor())
    assert client.get(reverse(f"{ADMIN}:edit", args=[record.pk])).status_code == 200
    assert client.get(reverse(f"{ADMIN}:add")).status_code == 200


def test_a_facilitator_publishes_from_the_admin_and_the_timeline_starts(
    client, facilitator, proposal, django_capture_on_commit_callbacks
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    client.force_login(facilitator)
    data = nested_form_data(
        {
            "action": ActionPage.objects.get(locale__language_code="it", code="5.2.1").pk,
            "title": "Sportello nelle scuole",
            "description": "Un referente per scuola.",
            "status": "planned",
            "progress": "0",
            "status_note": "Accolta dalla consultazione.",
            "start_date": "",
            "end_date": "",
            "budget": "12000.50",
            "office": "Ufficio Piano",
            "updates": inline_formset([]),
        }
    )
    data["proposals"] = [proposal.pk]
    data["action-publish"] = "action-publish"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(f"{ADMIN}:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = ImplementationRecord.objects.get(title="Sportello nelle scuole")
    assert record.live
    assert [c.note for c in record.status_changes.all()] == ["Accolta dalla consultazione."]
    assert list(record.proposals.all()) == [proposal]
    assert proposal.author.notifications.count() == 1


def test_who_manages_records_sees_the_publish_button(client, record, facilitator):
    """Wagtail shows "Pubblica" only to who has the model's publish permission: editors and
    the facilitators who manage some records have it (found by the editor's browser test)."""
    for person in (make_editor(), facilitator):
        client.force_login(person)
        for url in (reverse(f"{ADMIN}:add"), reverse(f"{ADMIN}:edit", args=[record.pk])):
            assert 'name="action-publish"' in client.get(url).content.decode(), url
    assert not UserFactory().has_perm("accountability.publish_implementationrecord")
