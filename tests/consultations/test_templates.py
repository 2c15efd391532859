"""Consultation templates: a facilitator picks one under an action they facilitate, gives a
title and a start date, and gets a draft consultation with its phases and rules; editors and
coordinators keep the templates in the admin."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from accounts.models import Role
from consultations.models import (
    ConsultationPage,
    ConsultationTemplate,
    PhaseKind,
    TemplatePhase,
    TerritoryScope,
    VoteMode,
)
from consultations.services import consultation_from_template, facilitation_grant
from psm.models import ActionPage
from territory.models import Comune
from tests.factories import UserFactory

DEFAULT_NAMES = {"Proposte e voto (6 settimane)", "Bilancio partecipativo", "Conversazione"}


@pytest.fixture
def action(plan):
    return ActionPage.objects.get(locale__language_code="it", code="5.3.5")


@pytest.fixture
def facilitator(action):
    person = UserFactory(is_staff=True)
    facilitation_grant(page=action, user=person)
    return type(person).objects.get(pk=person.pk)


@pytest.fixture
def mountain_template(db):
    """Mountain comuni only, verified voters, limited supports: every setting not default."""
    template = ConsultationTemplate.objects.create(
        name="Montagna",
        min_age=16,
        max_age=29,
        territory_scope=TerritoryScope.COMUNI,
        eligible_altimetric_zones=[1],
        requires_verified_identity=True,
        requires_confirmed_residence=True,
        vote_mode=VoteMode.LIMITED,
        max_supports=3,
        premoderation=True,
        answer_deadline_days=30,
        report_threshold=5,
        categories="Sentieri\nRifugi\n\nSentieri\n",
    )
    template.eligible_comuni.set(Comune.objects.order_by("pk")[:2])
    for n, (kind, days) in enumerate([(PhaseKind.PROPOSALS, 21), (PhaseKind.VOTING, 14)]):
        TemplatePhase.objects.create(template=template, kind=kind, duration_days=days, sort_order=n)
    return template


def _create(template, parent, user, **overrides):
    values = {
        "title": "Sentieri per chi ha vent'anni",
        "start": timezone.localdate() + datetime.timedelta(days=3),
    }
    values.update(overrides)
    return consultation_from_template(template=template, parent=parent, user=user, **values)


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def test_the_default_templates_ship_with_their_phases(db):
    templates = {t.name: t for t in ConsultationTemplate.objects.in_use()}
    assert set(templates) >= DEFAULT_NAMES
    six_weeks = templates["Proposte e voto (6 settimane)"]
    kinds = [p.kind for p in six_weeks.ordered_phases()]
    assert kinds == ["information", "proposals", "voting", "results"]
    assert sum(p.duration_days for p in six_weeks.ordered_phases()[:3]) == 42
    assert templates["Bilancio partecipativo"].vote_mode == VoteMode.BUDGET


def test_a_draft_with_phases_one_after_the_other_and_every_setting_copied(
    action, facilitator, mountain_template
):
    start = timezone.localdate() + datetime.timedelta(days=3)
    page = _create(mountain_template, action, facilitator, question="Dove <camminate>?")
    page = ConsultationPage.objects.get(pk=page.pk)
    assert not page.live
    assert page.get_parent().pk == action.pk
    assert page.locale_id == action.locale_id
    assert page.slug == "sentieri-per-chi-ha-ventanni"
    assert page.question == "<p>Dove &lt;camminate&gt;?</p>"
    phases = page.ordered_phases()
    assert [(p.kind, p.starts_at, p.ends_at) for p in phases] == [
        ("proposals", _midnight(start), _midnight(start + datetime.timedelta(days=21))),
        (
            "voting",
            _midnight(start + datetime.timedelta(days=21)),
            _midnight(start + datetime.timedelta(days=35)),
        ),
    ]
    assert (page.min_age, page.max_age, page.territory_scope) == (16, 29, "comuni")
    assert {c.pk for c in page.eligible_comuni.all()} == {
        c.pk for c in mountain_template.eligible_comuni.all()
    }
    assert page.eligible_altimetric_zones == [1]
    assert page.requires_verified_identity
    assert page.requires_confirmed_residence
    assert (page.vote_mode, page.max_supports, page.premoderation) == ("limited", 3, True)
    assert (page.answer_deadline_days, page.report_threshold) == (30, 5)
    assert [c.name for c in page.categories.order_by("sort_order")] == ["Sentieri", "Rifugi"]
    revision = page.latest_revision
    assert revision is not None
    assert revision.user == facilitator
    # the facilitator may go on editing and publishing it in the page editor
    assert facilitator.has_perm("consultations.moderate", page)
    assert page.permissions_for_user(facilitator).can_publish()


def test_phases_keep_midnight_across_daylight_saving(db, mountain_template):
    start = datetime.date(2027, 3, 20)  # summer time begins on 28 March 2027
    ends = [phase.ends_at for phase in mountain_template.schedule(start)]
    assert [timezone.localtime(end).hour for end in ends] == [0, 0]


def test_a_person_who_does_not_facilitate_the_action_is_refused(action, mountain_template):
    other_action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    outsider = UserFactory(is_staff=True)
    facilitation_grant(page=other_action, user=outsider)
    outsider = type(outsider).objects.get(pk=outsider.pk)
    with pytest.raises(PermissionDenied, match="solo sotto le azioni del piano che faciliti"):
        _create(mountain_template, action, outsider)
    with pytest.raises(PermissionDenied):
        _create(mountain_template, action, UserFactory())
    assert not ConsultationPage.objects.filter(title__startswith="Sentieri").exists()


def test_bad_input_is_refused_with_a_reason_per_field(action, facilitator, mountain_template):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        _create(mountain_template, action, facilitator, title="  ", start=yesterday)
    assert refused.value.message_dict == {
        "title": ["Scrivi il titolo della consultazione."],
        "start": ["La data di inizio non può essere già passata."],
    }
    budget = ConsultationTemplate.objects.get(name="Bilancio partecipativo")
    with pytest.raises(ValidationError, match="indica il budget totale"):
        _create(budget, action, facilitator)
    page = _create(budget, action, facilitator, budget=Decimal("80000"))
    assert page.total_budget == Decimal("80000")
    mountain_template.in_use = False
    mountain_template.save()
    with pytest.raises(ValidationError, match="non è più in uso"):
        _create(mountain_template, action, facilitator)


def test_nothing_is_left_behind_when_a_step_fails(
    action, facilitator, mountain_template, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("revisione non salvata")

    monkeypatch.setattr(ConsultationPage, "save_revision", broken)
    pages_before = ConsultationPage.objects.count()
    with pytest.raises(RuntimeError):
        _create(mountain_template, action, facilitator)
    assert ConsultationPage.objects.count() == pages_before
    action.refresh_from_db()
    assert action.numchild == action.get_children().count()


def test_the_admin_form_creates_the_draft_and_opens_the_editor(
    client, action, facilitator, django_assert_num_queries
):
    url = reverse("consultation_templates:create", args=[action.pk])
    client.force_login(facilitator)
    client.get(url)
    with django_assert_num_queries(FORM_QUERIES):
        response = client.get(url)
    extra = ConsultationTemplate.objects.create(name="Un altro modello")
    TemplatePhase.objects.create(template=extra, kind=PhaseKind.PROPOSALS, duration_days=10)
    with django_assert_num_queries(FORM_QUERIES):  # whatever the number of templates
        assert "Un altro modello" in client.get(url).content.decode()
    assert response.status_code == 200
    content = response.content.decode()
    assert "Proposte e voto (6 settimane)" in content
    assert "Informazione (7 giorni)" in content
    six_weeks = ConsultationTemplate.objects.get(name="Proposte e voto (6 settimane)")

    response = client.post(url, {"template": six_weeks.pk, "title": "", "start": "01/01/2020"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Scrivi il titolo della consultazione." in content

    response = client.post(url, {"template": six_weeks.pk, "title": "Ok", "start": "2020-01-01"})
    assert "La data di inizio non può essere già passata." in response.content.decode()

    start = timezone.localdate() + datetime.timedelta(days=7)
    response = client.post(
        url, {"template": six_weeks.pk, "title": "Piazze vive", "start": start.isoformat()}
    )
    page = ConsultationPage.objects.get(title="Piazze vive", locale_id=action.locale_id)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert len(page.ordered_phases()) == 4


def test_the_admin_form_is_refused_outside_the_facilitated_actions(client, action):
    client.force_login(UserFactory(roles=[Role.FACILITATOR], is_staff=True))
    url = reverse("consultation_templates:create", args=[action.pk])
    assert client.get(url).status_code == 302  # Wagtail: a refusal goes to the dashboard
    assert not ConsultationPage.objects.filter(title="X").exists()


def test_the_action_and_the_staff_area_link_to_the_form(client, action, facilitator):
    client.force_login(facilitator)
    url = reverse("consultation_templates:create", args=[action.pk])
    assert url in client.get(reverse("staffhome:home")).content.decode()
    explorer = client.get(reverse("wagtailadmin_explore", args=[action.pk]))  # its header
    assert url in explorer.content.decode()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.COORDINATOR])
def test_editors_and_coordinators_keep_the_templates(client, db, role):
    index = reverse("wagtailsnippets_consultations_consultationtemplate:list")
    client.force_login(UserFactory(roles=[role], is_staff=True))
    assert client.get(index).status_code == 200
    add = reverse("wagtailsnippets_consultations_consultationtemplate:add")
    assert client.get(add).status_code == 200
    data = nested_form_data(
        {
            "name": "Ascolto in montagna",
            "description": "",
            "in_use": "on",
            "sort_order": "5",
            "categories": "Sentieri",
            "phases": inline_formset(
                [
                    {"kind": "proposals", "duration_days": "14"},
                    {"kind": "voting", "duration_days": "7"},
                ]
            ),
            "min_age": "14",
            "max_age": "35",
            "territory_scope": "zones",
            "vote_mode": "support",
            "answer_deadline_days": "60",
            "report_threshold": "3",
        }
    )
    data["eligible_altimetric_zones"] = ["1"]
    response = client.post(add, data)
    assert response.status_code == 302, response.context["form"].errors
    created = ConsultationTemplate.objects.get(name="Ascolto in montagna")
    assert [(p.kind, p.duration_days) for p in created.ordered_phases()] == [
        ("proposals", 14),
        ("voting", 7),
    ]
    assert created.eligible_altimetric_zones == [1]
    assert created.revisions.count() == 1  # audited: who saved which version, when
    client.force_login(UserFactory(roles=[Role.FACILITATOR], is_staff=True))
    assert client.get(add).status_code == 302


#: The form page: session, the action, its permissions, the admin's menu (pages and
#: locales), the templates and their phases.
FORM_QUERIES = 13  # the person kept in the process


def test_the_admin_form_sums_up_its_errors_and_keeps_what_was_typed(client, action, facilitator):
    """Back with errors: "Errore" in the title, a summary that takes the focus (no script)
    with a link to each field, fields marked invalid and described by their error."""
    client.force_login(facilitator)
    url = reverse("consultation_templates:create", args=[action.pk])
    content = client.post(url, {"title": " ", "start": "2020-01-01"}).content.decode()
    assert "<title>Errore: Nuova consultazione da un modello" in content
    start = content.index('id="form-errors"')
    summary = content[start - 80 : content.index("</ul>", start)]
    assert 'tabindex="-1" autofocus' in summary
    assert 'href="#id_template_0">Modello: Scegli un modello.' in summary
    assert 'href="#id_title">Titolo della consultazione: Scrivi il titolo' in summary
    assert 'aria-describedby="id_template_error"' in content  # the radio group
    assert 'id="id_template_error"' in content
    assert 'aria-invalid="true" aria-describedby="id_title_error"' in content
    assert 'value="2020-01-01"' in content
    assert "form-errors" not in client.get(url).content.decode()
