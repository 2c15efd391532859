"""Results: the confirmed ranking with the jury's reasoning, and the winner's follow-up (an
implementation record and the co-management agreement)."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.models import ImplementationRecord, RecordStatus
from accounts.models import User
from contests.models import Agreement, ContestPage, ContestResult
from contests.predicates import manages_contest
from contests.selectors import contest_ranking
from contests.services.files import read_upload
from contests.services.jury import require_manager
from leadership.pdfcheck import PdfRejected, check_pdf

#: The signed agreement's size limit.
AGREEMENT_MAX_MB = 20


@transaction.atomic
def results_confirm(
    *, contest: ContestPage, actor: User, reasoning: str, now=None
) -> ContestResult:
    """Freeze the ranking (after the jury, and after the public vote if there is one)."""
    require_manager(contest, actor)
    now = now or timezone.now()
    end = contest.public_vote_closes_at if contest.public_vote_enabled else contest.jury_ends_at
    if end and now <= end:
        raise ValidationError(_("I risultati si confermano dopo la giuria e il voto pubblico."))
    if ContestResult.objects.filter(contest=contest).exists():
        raise ValidationError(_("I risultati sono già stati confermati."))
    reasoning = reasoning.replace("\x00", "").strip()[:8000]
    if not reasoning:
        raise ValidationError(_("Scrivi la motivazione della giuria: sarà pubblicata."))
    rows = contest_ranking(contest)
    if not rows:
        raise ValidationError(_("Nessun progetto ha ancora una valutazione della giuria."))
    result = ContestResult.objects.create(
        contest=contest,
        reasoning=reasoning,
        confirmed_by=actor,
        winner=rows[0].entry,
        ranking=[
            {
                "entry": row.entry.pk,
                "code": row.entry.code,
                "title": row.entry.title,
                "position": row.position,
                "jury": round(row.jury, 4),
                "public": round(row.public, 4),
                "votes": row.votes,
                "total": row.total,
                "reason": row.reason,
                "comments": list(
                    row.entry.assignments.filter(submitted_at__isnull=False)
                    .order_by("pk")
                    .values_list("comment", flat=True)
                ),
            }
            for row in rows
        ],
    )
    # the teams hear the result when it is public (``contests.services.notices``), not before
    return result


@transaction.atomic
def follow_up_create(
    *,
    result: ContestResult,
    actor: User,
    title: str,
    description: str,
    parties: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    signed_on: datetime.date | None = None,
    document=None,
    upload=None,
) -> Agreement:
    """The winning entry becomes an implementation record under the contest's action (a draft
    the editors complete and publish in the admin), with the co-management agreement."""
    contest = result.contest
    require_manager(contest, actor)
    if result.record_id is not None or Agreement.objects.filter(result=result).exists():
        raise ValidationError(_("Il seguito di questo contest è già stato registrato."))
    if ends_on < starts_on:
        raise ValidationError(_("La data di fine non può precedere quella di inizio."))
    if not [line for line in parties.splitlines() if line.strip()]:
        raise ValidationError(_("Indica le parti del patto, una per riga."))
    action = contest.get_parent().specific
    record = ImplementationRecord(
        action=action,
        title=title.strip()[:160] or result.winner.title[:160],
        description=description.strip() or result.winner.summary,
        status=RecordStatus.PLANNED,
        start_date=starts_on,
        end_date=ends_on,
        live=False,
    )
    record.save()
    record.comuni.set([contest.comune])
    record.save()  # a parental many-to-many is written when the record is saved
    record.save_revision(user=actor)
    result.record = record
    result.save(update_fields=["record"])
    agreement = Agreement.objects.create(
        result=result,
        title=title.strip()[:200] or _("Patto di collaborazione"),
        parties=parties.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        signed_on=signed_on,
        document=document,
    )
    if upload is not None:
        _store_agreement_file(agreement, upload)
    return agreement


def _store_agreement_file(agreement: Agreement, upload) -> None:
    """A plain PDF (the leadership's strict check: no code, no attachments, no forms), kept
    byte for byte: a signed agreement must stay as signed (a digital signature covers the
    bytes), so its metadata is not rewritten as the entries' boards are."""
    max_bytes = AGREEMENT_MAX_MB * 1024 * 1024
    data = read_upload(upload, max_bytes)
    if data.lstrip()[:5] != b"%PDF-":
        raise ValidationError(_("Il patto si carica in PDF."))
    try:
        check_pdf(data, max_bytes=max_bytes)
    except PdfRejected as error:
        raise ValidationError(str(error)) from error
    old = agreement.file.name
    agreement.file.save(f"{secrets.token_urlsafe(24)}.pdf", ContentFile(data), save=False)
    agreement.file_size = len(data)
    agreement.save(update_fields=["file", "file_size"])
    if old:
        transaction.on_commit(lambda: agreement.file.storage.delete(old))


@transaction.atomic
def agreement_attach(*, agreement: Agreement, actor: User, upload) -> Agreement:
    """Attach (or replace) the signed text of the co-management agreement."""
    agreement = (
        Agreement.objects.select_for_update().select_related("result__contest").get(pk=agreement.pk)
    )
    require_manager(agreement.result.contest, actor)
    _store_agreement_file(agreement, upload)
    return agreement


def agreement_file_visible(agreement: Agreement, user, *, public: bool) -> bool:
    """The signed text is public with the results of a ``public`` contest (live, open to
    everyone); otherwise only who runs the contest sees it."""
    contest = agreement.result.contest
    return (public and contest.results_public()) or manages_contest(user, contest)
