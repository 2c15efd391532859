"""Exports of a consultation's results for facilitators: CSV (one table per file) and XLSX
(one sheet per table). The figures come from :mod:`proposals.results` and
:mod:`consultations.statistics`, the same selectors the results page uses.

Every cell goes through :func:`core.spreadsheets.escape_row`, so no spreadsheet runs a
participant's text as a formula (CSV/formula injection).
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from consultations.models import ConsultationPage
from consultations.statistics import participation_statistics
from core.spreadsheets import escape_row
from proposals.models import Comment, CommentVisibility, ProposalStatus, Visibility
from proposals.results import answers, ranking

TABLES = ("proposte", "risposte", "commenti", "partecipazione")


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def proposals_table(consultation: ConsultationPage) -> tuple[list[str], list[list]]:
    result = ranking(consultation=consultation)
    header = [
        _("posizione"),
        _("id"),
        _("titolo"),
        _("categoria"),
        _("comune"),
        _("origine"),
        _("autore/autrice"),
        _("sostegni online"),
        _("sostegni in presenza"),
        _("sostegni totali"),
        _("costo (€)"),
        _("finanziata"),
        _("stato"),
        _("risposta ufficiale"),
        _("risposta data il"),
        _("unita a (id)"),
    ]
    rows = []
    for row in result.rows:
        p = row.proposal
        rows.append(
            [
                row.position,
                p.pk,
                p.title,
                p.category.name if p.category else "",
                p.comune.name if p.comune else "",
                p.get_source_display(),
                row.author_name,
                row.online,
                row.offline,
                row.total,
                p.cost if p.cost is not None else "",
                (_("sì") if row.funded else _("no")) if result.budget is not None else "",
                p.get_status_display(),
                p.answer,
                _local(p.answered_at),
                p.merged_into_id or "",
            ]
        )
    return [str(h) for h in header], rows


def answers_table(consultation: ConsultationPage) -> tuple[list[str], list[list]]:
    header = [_("id proposta"), _("proposta"), _("da"), _("a"), _("risposta"), _("data")]
    labels = dict(ProposalStatus.choices)
    rows = [
        [
            change.proposal_id,
            change.proposal.title,
            str(labels.get(change.from_status, "")),
            str(labels.get(change.to_status, change.to_status)),
            change.answer,
            _local(change.changed_at),
        ]
        for change in answers(consultation=consultation)
    ]
    return [str(h) for h in header], rows


def comments_table(consultation: ConsultationPage) -> tuple[list[str], list[list]]:
    """Published comments on published proposals, as the proposal pages show them."""
    header = [
        _("id commento"),
        _("id proposta"),
        _("proposta"),
        _("risposta a"),
        _("autore/autrice"),
        _("data"),
        _("testo"),
    ]
    comments = (
        Comment.objects.filter(
            proposal__consultation=consultation,
            proposal__visibility=Visibility.PUBLISHED,
            visibility=CommentVisibility.PUBLISHED,
            is_deleted=False,
        )
        .select_related("proposal", "author")
        .order_by("proposal_id", "created_at", "pk")
    )
    rows = [
        [
            c.pk,
            c.proposal_id,
            c.proposal.title,
            c.parent_id or "",
            c.author.public_name if c.author else "",
            _local(c.created_at),
            c.body,
        ]
        for c in comments
    ]
    return [str(h) for h in header], rows


def participation_table(consultation: ConsultationPage) -> tuple[list[str], list[list]]:
    """The statistics as shown on the page: suppressed cells say "meno di 5"."""
    stats = participation_statistics(consultation=consultation)
    header = [
        _("dimensione"),
        _("gruppo"),
        _("partecipanti"),
        _("quota (%)"),
        _("residenti"),
        _("partecipanti ogni 1.000 residenti"),
    ]
    rows = [[_("totale"), "", stats.shown_total, "", "", ""]]
    for dimension in [*stats.dimensions, stats.mountain_vs_plain]:
        for cell in dimension.cells:
            share = cell.share_of(stats.total)
            rows.append(
                [
                    dimension.title,
                    cell.label,
                    cell.shown_count,
                    "" if share is None else share,
                    cell.residents or "",
                    "" if cell.rate is None else cell.rate,
                ]
            )
    return [str(h) for h in header], rows


BUILDERS = {
    "proposte": proposals_table,
    "risposte": answers_table,
    "commenti": comments_table,
    "partecipazione": participation_table,
}


def export_csv(*, consultation: ConsultationPage, table: str) -> str:
    header, rows = BUILDERS[table](consultation)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(escape_row(row))
    return buffer.getvalue()


def export_xlsx(*, consultation: ConsultationPage) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    titles = {
        "proposte": _("Proposte e sostegni"),
        "risposte": _("Storico risposte"),
        "commenti": _("Commenti"),
        "partecipazione": _("Partecipazione"),
    }
    for table in TABLES:
        sheet = workbook.create_sheet(title=str(titles[table])[:31])
        header, rows = BUILDERS[table](consultation)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(escape_row(row))
        sheet.freeze_panes = "A2"
    workbook.properties.title = consultation.title
    workbook.properties.creator = "PSM Giovani"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(consultation: ConsultationPage, suffix: str) -> str:
    return f"psm-giovani-{consultation.slug}-{timezone.localdate().isoformat()}-{suffix}"
