"""Exports of a consultation's results: CSV (one table per file) and XLSX (one sheet per
table, plus the licence and the data dictionary). The figures come from
:mod:`proposals.results` and :mod:`consultations.statistics`, the same selectors the results
page uses; the columns and their meaning from :mod:`proposals.open_data.dictionary`.

Moderators download every table with the authors' names; once the results are public anyone
downloads the public tables without the columns that name a person (``public=True``).
Every cell goes through :func:`core.spreadsheets.escape_row`, so no spreadsheet runs a
participant's text as a formula (CSV/formula injection).
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import ConsultationPage
from consultations.statistics import participation_statistics
from core.spreadsheets import escape_row
from proposals.models import (
    Comment,
    CommentVisibility,
    ProposalStatus,
    Visibility,
    valuation_of,
)
from proposals.open_data import dictionary
from proposals.open_data.licence import LICENCE, attribution
from proposals.results import answers, ranking

if TYPE_CHECKING:
    from openpyxl import Workbook

TABLES = tuple(dictionary.TABLES)
PUBLIC_TABLES = dictionary.PUBLIC_TABLES


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _status(row) -> str:
    status = str(row.proposal.get_status_display())
    if row.withdrawn_after_publication:
        status += " (" + str(_("ritirata dopo la pubblicazione dei risultati")) + ")"
    return status


def _feasible(proposal) -> str:
    valuation = valuation_of(proposal)
    if valuation is None:
        return ""
    return _("sì") if valuation.feasible else _("no")


def _proposal_rows(consultation: ConsultationPage) -> list[list]:
    result = ranking(consultation=consultation)
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
                row.cost if result.budget is not None and row.cost is not None else "",
                _feasible(p) if result.budget is not None else "",
                (_("sì") if row.funded else _("no")) if result.budget is not None else "",
                _status(row),
                p.answer,
                _local(p.answered_at),
                p.merged_into_id or "",
            ]
        )
    return rows


def _answer_rows(consultation: ConsultationPage) -> list[list]:
    labels = dict(ProposalStatus.choices)
    return [
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


def _comment_rows(consultation: ConsultationPage) -> list[list]:
    """Published comments on published proposals, as the proposal pages show them."""
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
    return [
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


def _participation_rows(consultation: ConsultationPage) -> list[list]:
    """The statistics as shown on the page: hidden cells say "riservato"."""
    stats = participation_statistics(consultation=consultation)
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
    return rows


ROWS = {
    "proposte": _proposal_rows,
    "risposte": _answer_rows,
    "commenti": _comment_rows,
    "partecipazione": _participation_rows,
}


def table_export(
    consultation: ConsultationPage, key: str, *, public: bool
) -> tuple[list[str], list[list]]:
    """The header and rows of the table ``key``; without personal columns when ``public``."""
    table = dictionary.TABLES[key]
    if public and not table.public:
        raise ValueError(f"{key} is not a public table")
    rows = [dictionary.cut(table, row, public=public) for row in ROWS[key](consultation)]
    return dictionary.header(table, public=public), rows


def export_csv(*, consultation: ConsultationPage, table: str, public: bool = False) -> str:
    header, rows = table_export(consultation, table, public=public)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(escape_row(row))
    return buffer.getvalue()


def dictionary_csv(*, public: bool) -> str:
    """The data dictionary as a table: one row per column of every table downloadable."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("tabella"), _("colonna"), _("significato"), _("tipo")])
    for table in dictionary.TABLES.values():
        if public and not table.public:
            continue
        for column in dictionary.columns(table, public=public):
            writer.writerow([table.key, column.label, column.description, column.kind])
    return buffer.getvalue()


def export_xlsx(*, consultation: ConsultationPage, public: bool = False) -> bytes:
    # openpyxl (and the numpy it loads) only when a spreadsheet is asked for: a web worker
    # serving pages never needs them (docs/performance.md, "Worker memory").
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for key, table in dictionary.TABLES.items():
        if public and not table.public:
            continue
        sheet = workbook.create_sheet(title=str(table.title)[:31])
        header, rows = table_export(consultation, key, public=public)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(escape_row(row))
        sheet.freeze_panes = "A2"
    _licence_sheet(workbook, public=public)
    workbook.properties.title = consultation.title
    workbook.properties.creator = "PSM Giovani"
    workbook.properties.description = attribution()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _licence_sheet(workbook: Workbook, *, public: bool) -> None:
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title=str(_("Licenza e dizionario"))[:31])
    sheet.append([str(_("Licenza")), str(LICENCE.title), LICENCE.url])
    sheet.append([str(_("Attribuzione")), attribution()])
    sheet.append([])
    reader = csv.reader(io.StringIO(dictionary_csv(public=public)))
    for number, row in enumerate(reader):
        sheet.append(escape_row(row))
        if number == 0:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    sheet["A1"].font = Font(bold=True)


def export_filename(consultation: ConsultationPage, suffix: str) -> str:
    return f"psm-giovani-{consultation.slug}-{timezone.localdate().isoformat()}-{suffix}"
