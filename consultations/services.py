"""Writes about taking part in a consultation (the snapshot, follows), about who
facilitates it (assignments, audited) and the creation of a consultation from a template."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission
from wagtail_localize.synctree import create_aliases_for_new_page

from accounts.models import Role, role_group
from consultations.models import (
    Category,
    ConsultationPage,
    ConsultationTemplate,
    Facilitation,
    FacilitationLog,
    FacilitationLogVerb,
    Follow,
    Participation,
    Phase,
    VoteMode,
)
from consultations.page_form import free_slug
from consultations.rules import create_error
from core.kept import Kept
from psm.models import ActionPage

#: How far ahead a consultation made from a template may start.
TEMPLATE_START_HORIZON_DAYS = 730


def refuse_if(error: str | None) -> None:
    """Raise ``PermissionDenied`` with the reason a ``*_error`` rule gave (None: allowed)."""
    if error:
        raise PermissionDenied(error)


def participation_record(*, consultation: ConsultationPage, user) -> Participation:
    """The person's first-participation snapshot (age band, gender, comune, zone), once."""
    existing = Participation.objects.filter(consultation=consultation, user=user).first()
    if existing is not None:  # the usual case: no snapshot to compute (it reads the comune)
        return existing
    now = timezone.now()
    participation, _created = Participation.objects.get_or_create(
        consultation=consultation,
        user=user,
        defaults={
            **Participation.snapshot_fields(user, timezone.localdate(now)),
            "first_at": now,
        },
    )
    return participation


#: How long "this person has a participation row here" stays cached (the row never changes;
#: it goes only with its person or consultation, and then ``participation_forget`` drops it).
PARTICIPATED_SECONDS = 60 * 60
#: The same fact kept in the process too, for a shorter while (another process's
#: ``participation_forget`` does not reach it; a person or consultation deleted meanwhile
#: makes their votes fail anyway): a burst of votes asks no round trip for it.
_participated = Kept(50_000, 300)


def participated_key(consultation_id: int, user_id: int) -> str:
    return f"consultations:participated:{consultation_id}:{user_id}"


def participation_ensure(*, consultation: ConsultationPage, user) -> None:
    """:func:`participation_record` for a caller that needs no row back (a vote): nothing
    asked once the row is known in this process, one cache read once it is known anywhere."""
    key = participated_key(consultation.pk, user.pk)
    if _participated.get(key) or cache.get(key):
        _participated.put(key, True)
        return
    participation_record(consultation=consultation, user=user)
    # Known only once the row is committed: a vote whose transaction rolls back (a duplicate,
    # a refusal after this point) takes the new row with it.
    transaction.on_commit(lambda: _known(key))


def _known(key: str) -> None:
    cache.set(key, 1, PARTICIPATED_SECONDS)
    _participated.put(key, True)


def participation_forget(sender, instance, **kwargs) -> None:
    """``post_delete`` of a participation (with its person or consultation): the cached fact
    goes with it."""
    key = participated_key(instance.consultation_id, instance.user_id)
    cache.delete(key)
    _participated.clear()  # this process's copies (a rare delete: all of them)


@transaction.atomic
def consultation_follow(*, consultation: ConsultationPage, user, follow: bool = True) -> bool:
    """Start (or stop) following a consultation's news; returns whether the person follows it."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Per seguire una consultazione accedi o registrati."))
    if follow:
        Follow.objects.get_or_create(consultation=consultation, user=user)
        return True
    Follow.objects.filter(consultation=consultation, user=user).delete()
    return False


FACILITATION_PERMISSIONS = ("add_page", "change_page", "publish_page")


def _subtree_group(page) -> Group:
    """The Wagtail group holding the page permissions of ``page``'s subtree (one per page,
    shared by its facilitators), found by the facilitations that use it or by the page id at
    the end of its name; created with the permissions if missing."""
    existing = Facilitation.objects.filter(page=page).select_related("group").first()
    group = existing.group if existing else None
    if group is None:
        group = Group.objects.filter(name__endswith=f"[#{page.pk}]").order_by("pk").first()
    if group is None:
        group = Group.objects.create(name=f"Facilitazione: {page.title[:100]} [#{page.pk}]")
    for codename in FACILITATION_PERMISSIONS:
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    return group


def _require_assigner(actor) -> None:
    if actor is not None and not actor.has_perm("consultations.assign_facilitators"):
        raise PermissionDenied(
            _("Solo la redazione e il coordinamento assegnano chi facilita le consultazioni.")
        )


@transaction.atomic
def facilitation_grant(*, page, user, actor=None) -> Facilitation:
    """Make ``user`` a facilitator of ``page`` (an action of the plan or a consultation) and of
    everything under it: they join the subtree's group, which holds Wagtail's add, change and
    publish permissions there (on an action page these reach its consultations, not the
    action's own text: ``psm.permissions``), and the Facilitator role group. Logged with
    ``actor`` (None only for the demo data and set-up commands). Granting twice changes
    nothing."""
    _require_assigner(actor)
    page = page.specific
    if not isinstance(page, ActionPage | ConsultationPage):
        raise ValidationError(_("Si facilita un'azione del piano o una consultazione."))
    if not user.is_active or user.is_removed:
        raise ValidationError(_("Questo account non è attivo."))
    group = _subtree_group(page)
    user.groups.add(group, role_group(Role.FACILITATOR))
    facilitation, created = Facilitation.objects.get_or_create(
        page=page, user=user, defaults={"group": group, "granted_by": actor}
    )
    if created:
        FacilitationLog.objects.create(
            verb=FacilitationLogVerb.GRANT, page=page, page_title=page.title, user=user, actor=actor
        )
    return facilitation


@transaction.atomic
def facilitation_revoke(*, facilitation: Facilitation, actor) -> None:
    """Take ``facilitation`` away: the person leaves the subtree's group (the role stays, for
    their other consultations), and the log says who did it and when."""
    _require_assigner(actor)
    facilitation = (
        Facilitation.objects.select_for_update()
        .select_related("page", "user")
        .get(pk=facilitation.pk)
    )
    facilitation.user.groups.remove(facilitation.group_id)
    FacilitationLog.objects.create(
        verb=FacilitationLogVerb.REVOKE,
        page=facilitation.page,
        page_title=facilitation.page.title,
        user=facilitation.user,
        actor=actor,
    )
    facilitation.delete()


#: The page settings a template presets, copied as they are.
TEMPLATE_SETTINGS = (
    "min_age",
    "max_age",
    "territory_scope",
    "eligible_altimetric_zones",
    "requires_verified_identity",
    "requires_confirmed_residence",
    "vote_mode",
    "max_supports",
    "total_budget",
    "premoderation",
    "answer_deadline_days",
    "report_threshold",
)


def _template_input_errors(
    *, template: ConsultationTemplate, title: str, start: datetime.date | None, budget
) -> dict[str, str]:
    errors = {}
    if not template.in_use:
        errors["template"] = _("Questo modello non è più in uso: scegline un altro.")
    elif not template.ordered_phases():
        errors["template"] = _("Questo modello non ha fasi: chiedi alla redazione di completarlo.")
    if not title:
        errors["title"] = _("Scrivi il titolo della consultazione.")
    elif len(title) > 255:
        errors["title"] = _("Il titolo può avere al massimo 255 caratteri.")
    today = timezone.localdate()
    if start is None:
        errors["start"] = _("Indica la data di inizio.")
    elif start < today:
        errors["start"] = _("La data di inizio non può essere già passata.")
    elif start > today + datetime.timedelta(days=TEMPLATE_START_HORIZON_DAYS):
        errors["start"] = _("La data di inizio deve essere entro due anni da oggi.")
    if budget is not None and budget <= 0:
        errors["budget"] = _("Il budget deve essere maggiore di zero.")
    elif template.vote_mode == VoteMode.BUDGET and budget is None and not template.total_budget:
        errors["budget"] = _("Questo modello prevede il voto a bilancio: indica il budget totale.")
    return errors


@transaction.atomic
def consultation_from_template(
    *,
    template: ConsultationTemplate,
    parent,
    title: str,
    start: datetime.date | None,
    user,
    question: str = "",
    budget: Decimal | None = None,
) -> ConsultationPage:
    """A draft consultation under ``parent`` made from ``template``: its phases one after the
    other from ``start`` (``ConsultationTemplate.schedule``), its settings, eligibility and
    categories copied; ``budget`` replaces the template's. Whoever may add a consultation
    under ``parent`` in Wagtail may do it (``consultations.rules.create_error``); the page is
    saved as a draft with its first revision (by ``user``) and its English alias, all or
    nothing, ready to be reviewed and published in the page editor. Bad input raises a
    ``ValidationError`` naming each field."""
    refuse_if(create_error(user, parent))
    title = (title or "").strip()
    if errors := _template_input_errors(template=template, title=title, start=start, budget=budget):
        raise ValidationError(errors)
    page = ConsultationPage(
        title=title,
        slug=free_slug(slugify(title)[:200] or "consultazione", parent=parent),
        owner=user,
        live=False,
        question=f"<p>{escape(question.strip())}</p>" if question.strip() else "",
        **{name: getattr(template, name) for name in TEMPLATE_SETTINGS},
    )
    if budget is not None:
        page.total_budget = budget
    page.eligible_comuni = list(template.eligible_comuni.all())
    page.phases = [
        Phase(kind=planned.kind, starts_at=planned.starts_at, ends_at=planned.ends_at, sort_order=n)
        for n, planned in enumerate(template.schedule(start))
    ]
    page.categories = [
        Category(name=name, sort_order=n) for n, name in enumerate(template.category_names())
    ]
    parent.add_child(instance=page)
    page.save_revision(user=user, log_action=True, clean=False)
    create_aliases_for_new_page(page)  # what Wagtail's own "add page" does after saving
    return page
