"""Every participant write about proposals: submit, edit, withdraw, vote, comment.

Each service checks permission (``proposals.rules``), validates, saves inside one transaction,
records the person's participation snapshot and queues live updates for after the commit.
Refusals raise :class:`consultations.services.ParticipationError` with a plain-Italian reason.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

import realtime.broadcast as realtime
from consultations import rules as consultation_rules
from consultations.models import Category, ConsultationPage, VoteMode
from consultations.services import ParticipationError, participation_record, refuse_if
from proposals import rules as proposal_rules
from proposals.image_files import image_forget_on_commit
from proposals.images import ImageRejected, image_prepare
from proposals.models import (
    BudgetBallot,
    Comment,
    CommentLike,
    OfflineTally,
    Proposal,
    ProposalKind,
    Visibility,
    Vote,
)

TITLE_MIN, TITLE_MAX = 5, 140
BODY_MIN, BODY_MAX = 20, 5000
COMMENT_MAX = 2000
COMMENT_RATE = 5  # comments per person …
COMMENT_RATE_WINDOW = 60  # … per this many seconds
# A generous box around the Città metropolitana di Torino.
LAT_RANGE = (Decimal("44.0"), Decimal("46.0"))
LON_RANGE = (Decimal("6.3"), Decimal("8.6"))


# --------------------------------------------------------------------------- helpers
def _clean_text(value: str | None, *, field: str, minimum: int, maximum: int) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    text = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())
    if len(text) < minimum:
        raise ParticipationError(
            _("%(field)s: scrivi almeno %(n)s caratteri.") % {"field": field, "n": minimum}
        )
    if len(text) > maximum:
        raise ParticipationError(
            _("%(field)s: al massimo %(n)s caratteri.") % {"field": field, "n": maximum}
        )
    return text


def _clean_point(latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    if latitude in (None, "") or longitude in (None, ""):
        raise ParticipationError(
            _("Per indicare un punto servono sia la latitudine sia la longitudine.")
        )
    try:
        lat = Decimal(str(latitude)).quantize(Decimal("0.000001"))
        lon = Decimal(str(longitude)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ParticipationError(_("Le coordinate del punto non sono valide.")) from None
    if not (lat.is_finite() and lon.is_finite()):
        raise ParticipationError(_("Le coordinate del punto non sono valide."))
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        raise ParticipationError(
            _("Il punto indicato è fuori dalla Città metropolitana di Torino.")
        )
    return lat, lon


def _clean_category(consultation: ConsultationPage, category) -> Category | None:
    if category is None:
        return None
    if category.page_id != consultation.pk:
        raise ParticipationError(_("La categoria scelta non appartiene a questa consultazione."))
    return category


def _clean_cost(consultation: ConsultationPage, cost) -> Decimal | None:
    if cost in (None, ""):
        return None
    try:
        value = Decimal(str(cost)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ParticipationError(_("Il costo stimato non è un numero valido.")) from None
    if not value.is_finite():
        raise ParticipationError(_("Il costo stimato non è un numero valido."))
    if value < 0:
        raise ParticipationError(_("Il costo stimato non può essere negativo."))
    if consultation.total_budget is not None and value > consultation.total_budget:
        raise ParticipationError(
            _("Il costo stimato supera il budget totale di %(budget)s €.")
            % {"budget": consultation.total_budget}
        )
    return value


def amendable_actions(consultation: ConsultationPage) -> list:
    return consultation.amendable_actions()


def _clean_image(image):
    if not image:
        return None
    try:
        return image_prepare(image)
    except ImageRejected as error:
        raise ParticipationError(str(error)) from None


def support_total(proposal_id: int) -> int:
    votes = Vote.objects.filter(proposal_id=proposal_id).count()
    offline = (
        OfflineTally.objects.filter(proposal_id=proposal_id).aggregate(total=Sum("supports"))[
            "total"
        ]
        or 0
    )
    return votes + offline


def _broadcast_totals(consultation_id: int, proposal_ids) -> None:
    group = realtime.group_name("consultation", consultation_id)
    for proposal_id in sorted(set(proposal_ids)):
        realtime.broadcast(
            group,
            "proposal.totals",
            {"proposal": proposal_id, "supports": support_total(proposal_id)},
        )


def _locked(proposal: Proposal) -> Proposal:
    """The proposal's row, locked for the rest of the transaction (PostgreSQL)."""
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("consultation")
        .get(pk=proposal.pk)
    )


# --------------------------------------------------------------------------- proposals
@transaction.atomic
def proposal_submit(
    *,
    consultation: ConsultationPage,
    author,
    title: str,
    body: str,
    category: Category | None = None,
    comune=None,
    latitude=None,
    longitude=None,
    image=None,
    cost=None,
    kind: str = ProposalKind.PROPOSAL,
    amended_action=None,
    amended_text: str = "",
) -> Proposal:
    """A new proposal (or amendment); pending if the consultation is premoderated."""
    refuse_if(consultation_rules.submit_error(author, consultation))
    title = _clean_text(title, field=_("Titolo"), minimum=TITLE_MIN, maximum=TITLE_MAX)
    body = _clean_text(body, field=_("Testo"), minimum=BODY_MIN, maximum=BODY_MAX)
    latitude, longitude = _clean_point(latitude, longitude)
    if kind == ProposalKind.AMENDMENT:
        allowed = {action.pk for action in amendable_actions(consultation)}
        if amended_action is None or amended_action.pk not in allowed:
            raise ParticipationError(
                _("Scegli una delle azioni del piano collegate a questa consultazione.")
            )
        amended_text = _clean_text(
            amended_text, field=_("Nuovo testo dell'azione"), minimum=TITLE_MIN, maximum=BODY_MAX
        )
        if amended_text == amended_action.official_text.strip():
            raise ParticipationError(_("Il nuovo testo è uguale a quello ufficiale."))
    elif kind == ProposalKind.PROPOSAL:
        amended_action, amended_text = None, ""
    else:
        raise ParticipationError(_("Tipo di proposta non valido."))
    now = timezone.now()
    proposal = Proposal(
        consultation=consultation,
        author=author,
        kind=kind,
        title=title,
        body=body,
        category=_clean_category(consultation, category),
        comune=comune,
        latitude=latitude,
        longitude=longitude,
        cost=_clean_cost(consultation, cost) if consultation.vote_mode == VoteMode.BUDGET else None,
        amended_action=amended_action,
        amended_text=amended_text,
        visibility=Visibility.PENDING if consultation.premoderation else Visibility.PUBLISHED,
        published_at=None if consultation.premoderation else now,
        created_at=now,
    )
    prepared = _clean_image(image)
    if prepared is not None:
        proposal.image.save(prepared.name, prepared, save=False)
    proposal.save()
    participation_record(consultation=consultation, user=author)
    return proposal


@transaction.atomic
def proposal_edit(
    *,
    proposal: Proposal,
    user,
    title: str,
    body: str,
    category: Category | None = None,
    comune=None,
    latitude=None,
    longitude=None,
    image=None,
    remove_image: bool = False,
    cost=None,
    amended_text: str | None = None,
) -> Proposal:
    """The author's changes, allowed until voting opens."""
    proposal = _locked(proposal)
    refuse_if(proposal_rules.edit_error(user, proposal))
    consultation = proposal.consultation
    proposal.title = _clean_text(title, field=_("Titolo"), minimum=TITLE_MIN, maximum=TITLE_MAX)
    proposal.body = _clean_text(body, field=_("Testo"), minimum=BODY_MIN, maximum=BODY_MAX)
    proposal.category = _clean_category(consultation, category)
    proposal.comune = comune
    proposal.latitude, proposal.longitude = _clean_point(latitude, longitude)
    if consultation.vote_mode == VoteMode.BUDGET:
        proposal.cost = _clean_cost(consultation, cost)
    if proposal.is_amendment and amended_text is not None:
        proposal.amended_text = _clean_text(
            amended_text, field=_("Nuovo testo dell'azione"), minimum=TITLE_MIN, maximum=BODY_MAX
        )
    previous_image = proposal.image.name or None
    prepared = _clean_image(image)
    if prepared is not None:
        proposal.image.save(prepared.name, prepared, save=False)
    elif remove_image:
        proposal.image = None
    proposal.save()
    if previous_image and previous_image != (proposal.image.name or None):
        image_forget_on_commit(previous_image)
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, user) -> Proposal:
    """The author takes the proposal back (any time); its supports stay counted but frozen."""
    proposal = _locked(proposal)
    refuse_if(proposal_rules.withdraw_error(user, proposal))
    proposal.visibility = Visibility.WITHDRAWN
    proposal.save(update_fields=["visibility", "updated_at"])
    return proposal


# --------------------------------------------------------------------------- votes
def supports_left(*, consultation: ConsultationPage, voter) -> int | None:
    """Supports ``voter`` may still give in a limited-mode consultation (None: no limit)."""
    if consultation.vote_mode != VoteMode.LIMITED:
        return None
    used = Vote.objects.filter(proposal__consultation=consultation, voter=voter).count()
    return max((consultation.max_supports or 0) - used, 0)


@transaction.atomic
def vote_cast(*, proposal: Proposal, voter) -> int:
    """Support ``proposal``; returns its new total. Once per person (database constraint)."""
    proposal = Proposal.objects.select_related("consultation").get(pk=proposal.pk)
    consultation = proposal.consultation
    refuse_if(proposal_rules.support_error(voter, proposal))
    participation = participation_record(consultation=consultation, user=voter)
    if consultation.vote_mode == VoteMode.LIMITED:
        # Serialise this person's supports in this consultation: lock their snapshot row.
        type(participation).objects.select_for_update().get(pk=participation.pk)
        left = supports_left(consultation=consultation, voter=voter)
        if not Vote.objects.filter(proposal=proposal, voter=voter).exists() and left <= 0:
            raise ParticipationError(
                _(
                    "Hai già dato tutti i %(n)s sostegni a disposizione: per sostenere questa "
                    "proposta ritira prima un altro sostegno."
                )
                % {"n": consultation.max_supports or 0}
            )
    try:
        with transaction.atomic():
            Vote.objects.create(proposal=proposal, voter=voter)
    except IntegrityError:
        raise ParticipationError(_("Hai già sostenuto questa proposta.")) from None
    _broadcast_totals(consultation.pk, [proposal.pk])
    return support_total(proposal.pk)


@transaction.atomic
def vote_withdraw(*, proposal: Proposal, voter) -> int:
    """Take a support back while voting is open; returns the new total."""
    proposal = Proposal.objects.select_related("consultation").get(pk=proposal.pk)
    consultation = proposal.consultation
    refuse_if(consultation_rules.vote_error(voter, consultation))
    if consultation.vote_mode == VoteMode.BUDGET:
        raise ParticipationError(_("In questa consultazione si vota con la scheda di bilancio."))
    deleted, _detail = Vote.objects.filter(proposal=proposal, voter=voter).delete()
    if not deleted:
        raise ParticipationError(_("Non avevi sostenuto questa proposta."))
    _broadcast_totals(consultation.pk, [proposal.pk])
    return support_total(proposal.pk)


@transaction.atomic
def budget_ballot_submit(
    *, consultation: ConsultationPage, voter, proposal_ids
) -> BudgetBallot | None:
    """Replace the person's whole budget ballot in one transaction.

    The chosen proposals must be published, priced and fit the total budget together. An empty
    choice removes the ballot. Changes are allowed until voting closes.
    """
    refuse_if(consultation_rules.vote_error(voter, consultation))
    if consultation.vote_mode != VoteMode.BUDGET:
        raise ParticipationError(_("Questa consultazione non prevede il voto di bilancio."))
    try:
        wanted = sorted({int(pk) for pk in proposal_ids})
    except (TypeError, ValueError):
        raise ParticipationError(_("La scelta inviata non è valida.")) from None
    proposals = list(Proposal.objects.filter(consultation=consultation, pk__in=wanted).published())
    if len(proposals) != len(wanted):
        raise ParticipationError(
            _("Una delle proposte scelte non è più disponibile: controlla la tua scelta.")
        )
    unpriced = [p.title for p in proposals if p.cost is None]
    if unpriced:
        raise ParticipationError(
            _("La proposta «%(title)s» non ha ancora un costo stimato.") % {"title": unpriced[0]}
        )
    total = sum((p.cost for p in proposals), Decimal("0"))
    budget = consultation.total_budget or Decimal("0")
    if total > budget:
        raise ParticipationError(
            _("La tua scelta costa %(total)s €, più del budget di %(budget)s €.")
            % {"total": total, "budget": budget}
        )
    participation_record(consultation=consultation, user=voter)
    ballot, _created = BudgetBallot.objects.get_or_create(consultation=consultation, voter=voter)
    ballot = BudgetBallot.objects.select_for_update().get(pk=ballot.pk)  # one writer per person
    before = set(ballot.votes.values_list("proposal_id", flat=True))
    Vote.objects.filter(ballot=ballot).delete()
    if not proposals:
        ballot.delete()
        _broadcast_totals(consultation.pk, before)
        return None
    Vote.objects.bulk_create([Vote(proposal=p, voter=voter, ballot=ballot) for p in proposals])
    ballot.submitted_at = timezone.now()
    ballot.save(update_fields=["submitted_at"])
    _broadcast_totals(consultation.pk, before | {p.pk for p in proposals})
    return ballot


# --------------------------------------------------------------------------- comments
def _rate_limit_comment(user) -> None:
    key = f"proposals:comment-rate:{user.pk}"
    try:
        cache.add(key, 0, timeout=COMMENT_RATE_WINDOW)
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=COMMENT_RATE_WINDOW)
        count = 1
    except Exception:  # cache unreachable: do not block people from commenting
        return
    if count > COMMENT_RATE:
        raise ParticipationError(
            _(
                "Stai commentando molto velocemente: puoi scrivere al massimo %(n)s commenti "
                "al minuto. Aspetta un momento e riprova."
            )
            % {"n": COMMENT_RATE}
        )


def _broadcast_comment(comment: Comment) -> None:
    realtime.broadcast(
        realtime.group_name("proposal", comment.proposal_id),
        "comment.created",
        {"proposal": comment.proposal_id, "comment": comment.pk},
    )


@transaction.atomic
def comment_post(
    *, proposal: Proposal, author, body: str, parent: Comment | None = None
) -> Comment:
    """A comment, or a reply to one (two levels: a reply to a reply joins the same thread)."""
    proposal = Proposal.objects.select_related("consultation").get(pk=proposal.pk)
    refuse_if(proposal_rules.comment_error(author, proposal))
    body = _clean_text(body, field=_("Commento"), minimum=2, maximum=COMMENT_MAX)
    if parent is not None:
        if parent.proposal_id != proposal.pk:
            raise ParticipationError(_("Il commento a cui rispondi non è di questa proposta."))
        if not parent.is_visible:
            raise ParticipationError(_("Il commento a cui rispondi non è più visibile."))
        if parent.parent_id is not None:
            parent = parent.parent
    _rate_limit_comment(author)
    comment = Comment.objects.create(proposal=proposal, author=author, parent=parent, body=body)
    participation_record(consultation=proposal.consultation, user=author)
    _broadcast_comment(comment)
    if parent is not None:
        from proposals.tasks import notify_comment_reply

        transaction.on_commit(lambda: notify_comment_reply.delay(comment.pk), robust=True)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, user, body: str) -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    refuse_if(proposal_rules.comment_edit_error(user, comment))
    comment.body = _clean_text(body, field=_("Commento"), minimum=2, maximum=COMMENT_MAX)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user) -> Comment:
    """Soft delete: the thread keeps its shape, the text is gone."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    refuse_if(proposal_rules.comment_delete_error(user, comment))
    comment.is_deleted = True
    comment.body = ""
    comment.save(update_fields=["is_deleted", "body"])
    return comment


@transaction.atomic
def comment_like(*, comment: Comment, user) -> tuple[bool, int]:
    """Toggle the person's like; returns (liked now, number of likes)."""
    comment = Comment.objects.select_related("proposal__consultation").get(pk=comment.pk)
    refuse_if(proposal_rules.like_error(user, comment))
    deleted, _detail = CommentLike.objects.filter(comment=comment, user=user).delete()
    liked = False
    if not deleted:
        try:
            with transaction.atomic():
                CommentLike.objects.create(comment=comment, user=user)
            liked = True
        except IntegrityError:  # a double click: the first one already liked it
            liked = True
    return liked, CommentLike.objects.filter(comment=comment).count()


# --------------------------------------------------------------------------- personal data
def personal_data_export(*, user) -> dict:
    """Proposals, supports, ballots, comments and likes of ``user``."""
    return {
        "proposals": [
            {
                "id": p.pk,
                "consultation": p.consultation_id,
                "kind": p.kind,
                "title": p.title,
                "body": p.body,
                "amended_text": p.amended_text,
                "visibility": p.visibility,
                "status": p.status,
                "created_at": p.created_at.isoformat(),
                "image": p.image.name if p.image else None,
            }
            for p in Proposal.objects.filter(author=user).order_by("pk")
        ],
        "votes": [
            {
                "proposal": v.proposal_id,
                "budget_ballot": v.ballot_id,
                "created_at": v.created_at.isoformat(),
            }
            for v in Vote.objects.filter(voter=user).order_by("pk")
        ],
        "comments": [
            {
                "id": c.pk,
                "proposal": c.proposal_id,
                "parent": c.parent_id,
                "body": c.body,
                "deleted": c.is_deleted,
                "created_at": c.created_at.isoformat(),
            }
            for c in Comment.objects.filter(author=user).order_by("pk")
        ],
        "comment_likes": list(
            CommentLike.objects.filter(user=user)
            .order_by("pk")
            .values_list("comment_id", flat=True)
        ),
    }


@transaction.atomic
def personal_data_anonymise(*, user) -> None:
    """Before an account is removed: drop pictures and map points of the person's proposals
    (they may identify them); texts stay, shown as by "Partecipante rimosso"; supports stay
    counted (tallies are kept); likes are removed."""
    for proposal in Proposal.objects.filter(author=user).exclude(image=""):
        proposal.image.delete(save=False)
        proposal.image = None
        proposal.save(update_fields=["image"])
    Proposal.objects.filter(author=user).update(latitude=None, longitude=None)
    CommentLike.objects.filter(user=user).delete()
