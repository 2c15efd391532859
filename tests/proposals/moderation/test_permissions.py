"""Who may moderate: facilitator of this consultation vs another one, editor, participant,
anonymous — both in the services and through the admin views."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from consultations.models import ConsultationPage
from proposals.models import ModerationAction, ProposalStatus, Visibility
from proposals.moderation import services as moderation
from proposals.moderation.selectors import moderable_consultations, moderates_any
from proposals.wagtail_hooks import register_moderation_menu_item
from tests.consultations.factories import make_consultation, make_editor, make_facilitator
from tests.factories import UserFactory
from tests.proposals.factories import CommentFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(plan):
    consultation = make_consultation(title="Piazze e parchi")
    other = make_consultation(title="Trasporti notturni")
    return {
        "consultation": consultation,
        "other": other,
        "facilitator": make_facilitator(consultation),
        "other_facilitator": make_facilitator(other),
        "editor": make_editor(),
        "participant": UserFactory(),
        "proposal": ProposalFactory(consultation=consultation),
    }


ROLES_ALLOWED = [
    ("facilitator", True),
    ("other_facilitator", False),
    ("editor", False),
    ("participant", False),
]


@pytest.mark.parametrize(("role", "allowed"), ROLES_ALLOWED)
def test_can_moderate_matrix(setting, role, allowed):
    assert setting[role].has_perm("consultations.moderate", setting["consultation"]) is allowed


def test_anonymous_cannot_moderate(setting):
    from django.contrib.auth.models import AnonymousUser

    assert not AnonymousUser().has_perm("consultations.moderate", setting["consultation"])


@pytest.mark.parametrize(("role", "allowed"), ROLES_ALLOWED)
def test_hide_service_matrix(setting, role, allowed):
    proposal = setting["proposal"]
    if allowed:
        moderation.content_hide(actor=setting[role], proposal=proposal, reason="Fuori tema")
        proposal.refresh_from_db()
        assert proposal.visibility == Visibility.HIDDEN
    else:
        with pytest.raises(PermissionDenied):
            moderation.content_hide(actor=setting[role], proposal=proposal, reason="Fuori tema")
        proposal.refresh_from_db()
        assert proposal.visibility == Visibility.PUBLISHED
        assert not ModerationAction.objects.exists()


@pytest.mark.parametrize(("role", "allowed"), ROLES_ALLOWED)
def test_answer_service_matrix(setting, role, allowed):
    call = dict(
        actor=setting[role],
        proposal=setting["proposal"],
        status=ProposalStatus.ACCEPTED,
        answer="La realizziamo.",
    )
    if allowed:
        moderation.proposal_answer(**call)
    else:
        with pytest.raises(PermissionDenied):
            moderation.proposal_answer(**call)
        assert setting["proposal"].status_changes.count() == 0


def refused(response) -> bool:
    """Wagtail's admin turns PermissionDenied into a redirect with an error message (to the
    dashboard, or to the login page for people without admin access)."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and (
        response["Location"] == "/admin/" or "login" in response["Location"]
    )


@pytest.mark.parametrize(("role", "allowed"), ROLES_ALLOWED)
def test_admin_queue_matrix(client, setting, role, allowed):
    client.force_login(setting[role])
    url = reverse("moderation:queue", kwargs={"consultation_id": setting["consultation"].pk})
    response = client.get(url)
    if allowed:
        assert response.status_code == 200
        assert setting["proposal"].consultation.title in response.content.decode()
    else:
        assert refused(response)


def test_anonymous_admin_queue_redirects_to_login(client, setting):
    url = reverse("moderation:queue", kwargs={"consultation_id": setting["consultation"].pk})
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_other_facilitator_cannot_hide_through_the_view(client, setting):
    client.force_login(setting["other_facilitator"])
    url = reverse("moderation:act", kwargs={"consultation_id": setting["consultation"].pk})
    response = client.post(
        url,
        {"op": "hide", "target": "proposal", "target_id": setting["proposal"].pk, "reason": "x"},
    )
    assert refused(response)
    setting["proposal"].refresh_from_db()
    assert setting["proposal"].visibility == Visibility.PUBLISHED


def test_facilitator_hides_through_the_view_and_index_lists_only_own(client, setting):
    client.force_login(setting["facilitator"])
    url = reverse("moderation:act", kwargs={"consultation_id": setting["consultation"].pk})
    response = client.post(
        url,
        {"op": "hide", "target": "proposal", "target_id": setting["proposal"].pk, "reason": "Spam"},
    )
    assert response.status_code == 302
    setting["proposal"].refresh_from_db()
    assert setting["proposal"].visibility == Visibility.HIDDEN
    assert setting["proposal"].hidden_reason == "Spam"
    index = client.get(reverse("moderation:index"))
    assert setting["consultation"].title in index.content.decode()
    assert setting["other"].title not in index.content.decode()


def test_hide_without_reason_is_explained_not_saved(client, setting):
    client.force_login(setting["facilitator"])
    url = reverse("moderation:act", kwargs={"consultation_id": setting["consultation"].pk})
    response = client.post(
        url,
        {"op": "hide", "target": "proposal", "target_id": setting["proposal"].pk, "reason": " "},
        follow=True,
    )
    assert "motivo" in response.content.decode()
    setting["proposal"].refresh_from_db()
    assert setting["proposal"].visibility == Visibility.PUBLISHED


def test_bad_input_gives_no_500(client, setting):
    client.force_login(setting["facilitator"])
    url = reverse("moderation:act", kwargs={"consultation_id": setting["consultation"].pk})
    for data in (
        {"op": "explode"},
        {"op": "hide", "target": "proposal", "target_id": "abc"},
        {"op": "block", "user_id": "x"},
    ):
        response = client.post(url, data)
        assert response.status_code in (302, 404)


def _queue_queries(client, consultation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("moderation:queue", kwargs={"consultation_id": consultation.pk})
        )
    assert response.status_code == 200
    return len(queries)


def test_queue_query_count_does_not_grow_with_the_queue(client, setting):
    from tests.proposals.factories import CommentFactory, report

    consultation = setting["consultation"]
    client.force_login(setting["facilitator"])

    def add(n):
        for _ in range(n):
            report(proposal=ProposalFactory(consultation=consultation))
            report(comment=CommentFactory(proposal=ProposalFactory(consultation=consultation)))
            ProposalFactory(consultation=consultation, visibility=Visibility.PENDING)

    add(2)
    _queue_queries(client, consultation)  # warm the caches (the person's permissions)
    few = _queue_queries(client, consultation)
    add(8)
    _queue_queries(client, consultation)  # the authors saved replaced the users version
    many = _queue_queries(client, consultation)
    assert many == few


def test_index_query_count_does_not_grow(client, setting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    consultation = setting["consultation"]
    client.force_login(setting["facilitator"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("moderation:index")).status_code == 200
        return len(queries)

    ProposalFactory(consultation=consultation)
    count()  # warm the caches (the person's permissions)
    few = count()
    for _ in range(10):
        ProposalFactory(consultation=consultation)
    count()  # the authors saved replaced the users version: the person is read anew
    assert count() == few


@pytest.mark.parametrize("huge", [2**63, 2**64])
def test_huge_ids_are_not_found(client, setting, huge):
    client.force_login(setting["facilitator"])
    consultation = setting["consultation"]
    for url in (
        f"/admin/moderazione/{huge}/",
        f"/admin/moderazione/{consultation.pk}/proposte/{huge}/",
        f"/partecipa/{huge}/risultati/",
        f"/notifiche/{huge}/apri/",
    ):
        assert client.get(url).status_code in (302, 404), url
    response = client.post(
        f"/admin/moderazione/{consultation.pk}/azione/",
        {"op": "block", "user_id": str(huge), "reason": "x"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/admin/moderazione/{consultation.pk}/azione/",
        {"op": "hide", "target": "proposal", "target_id": str(huge), "reason": "x"},
    )
    assert response.status_code == 302
    assert client.post("/notifiche/lette/", {"notification": str(huge)}).status_code == 302


def test_moderable_consultations_agree_with_the_permission(setting):
    """For every consultation and person: in the selector's queryset iff ``has_perm``."""
    superuser = UserFactory(is_superuser=True)
    people = [*(setting[role] for role, _allowed in ROLES_ALLOWED), superuser]
    for person in people:
        listed = set(moderable_consultations(user=person).values_list("pk", flat=True))
        for consultation in ConsultationPage.objects.all():
            allowed = person.has_perm("consultations.moderate", consultation)
            assert (consultation.pk in listed) is allowed, (person, consultation)
        assert moderates_any(person) is bool(listed)


@pytest.mark.parametrize(
    ("role", "shown"),
    [("facilitator", True), ("other_facilitator", True), ("editor", False), ("participant", False)],
)
def test_admin_menu_item_shown_iff_the_person_moderates_something(rf, setting, role, shown):
    request = rf.get("/admin/")
    request.user = setting[role]
    assert register_moderation_menu_item().is_shown(request) is shown


# --------------------------------------------------------------------------- suspensions
def test_a_facilitator_cannot_suspend_or_learn_the_name_of_an_outsider(client, setting):
    from consultations.models import ParticipantBlock

    outsider = UserFactory(display_name="Nome Riservato")
    ProposalFactory(consultation=setting["other"], author=outsider)  # active elsewhere only
    client.force_login(setting["facilitator"])
    url = reverse("moderation:act", kwargs={"consultation_id": setting["consultation"].pk})
    answers = []
    for user_id in (outsider.pk, 10**12):  # an outsider, and an id with no account at all
        response = client.post(
            url, {"op": "block", "user_id": str(user_id), "reason": "Prova"}, follow=True
        )
        html = response.content.decode()
        assert "Nome Riservato" not in html
        assert "Partecipante non trovato in questa consultazione." in html
        answers.append((response.status_code, response.redirect_chain))
    assert answers[0] == answers[1]  # no way to tell an outsider from a missing account
    assert not ParticipantBlock.objects.exists()
    with pytest.raises(ValidationError):
        moderation.participant_block(
            actor=setting["facilitator"],
            consultation=setting["consultation"],
            user=outsider,
            reason="Prova",
        )


def test_a_facilitator_suspends_someone_who_took_part(client, setting):
    from consultations.models import ParticipantBlock

    commenter = UserFactory(display_name="Chi Commenta")
    CommentFactory(proposal=setting["proposal"], author=commenter)
    client.force_login(setting["facilitator"])
    url = reverse("moderation:act", kwargs={"consultation_id": setting["consultation"].pk})
    response = client.post(
        url, {"op": "block", "user_id": str(commenter.pk), "reason": "Insulti"}, follow=True
    )
    assert "Chi Commenta non può più partecipare" in response.content.decode()
    assert ParticipantBlock.objects.filter(user=commenter).count() == 1
