"""Exports of a conversation for its moderators: the published statements with their vote
counts overall and per opinion group, CSV or XLSX; each described group's column headers name
it and its people («gruppo A (120 persone): d'accordo»).

The counts come from the latest opinion map and are the ones it may publish
(``conversations.disclosure``): a hidden count is written "riservato"; groups too small to be
described have no columns of their own (their people are among "altre persone", with those not
on the map); the overall counts are the sums of the columns, "riservato" when one is hidden. Every cell goes through :func:`core.spreadsheets.escape_row` (no
statement runs as a formula).
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from conversations.models import Conversation
from conversations.selectors import GROUP_STYLES, latest_snapshot, statement_rows
from core.spreadsheets import escape_row


def _cell(value):
    return _("riservato") if value is None else value


def statements_table(conversation: Conversation) -> tuple[list[str], list[list]]:
    snapshot = latest_snapshot(conversation)
    rows = statement_rows(conversation, snapshot)
    groups = sorted(rows[0]["groups"]) if rows else []
    published = (snapshot.data.get("published") if snapshot else None) or {}
    sizes = {int(g): n for g, n in published.get("sizes", {}).items()}
    header = [
        _("id"),
        _("affermazione"),
        _("origine"),
        _("d'accordo"),
        _("in disaccordo"),
        _("passo"),
    ]
    for g in groups:  # the described groups, with their people (the groups of the map)
        names = {"g": GROUP_STYLES[g][0], "n": sizes.get(g, 0)}
        header += [
            _("gruppo %(g)s (%(n)s persone): d'accordo") % names,
            _("gruppo %(g)s (%(n)s persone): in disaccordo") % names,
            _("gruppo %(g)s (%(n)s persone): passo") % names,
        ]
    header += [
        _("altre persone: d'accordo"),
        _("altre persone: in disaccordo"),
        _("altre persone: passo"),
    ]
    body = []
    for row in rows:
        statement = row["statement"]
        line = [
            statement.pk,
            statement.text,
            _("chi modera") if statement.is_seed else _("partecipante"),
            *(_cell(v) for v in row["totals"]),
        ]
        for g in groups:
            line += [_cell(v) for v in row["groups"][g]]
        line += [_cell(v) for v in row["rest"]]
        body.append(line)
    return [str(h) for h in header], body


def export_csv(conversation: Conversation) -> str:
    header, rows = statements_table(conversation)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(escape_row(header))
    for row in rows:
        writer.writerow(escape_row(row))
    return buffer.getvalue()


def export_xlsx(conversation: Conversation) -> bytes:
    # openpyxl (and the numpy it loads) only when a spreadsheet is asked for: a web worker
    # serving pages never needs them (docs/performance.md, "Worker memory").
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Affermazioni"))[:31]
    header, rows = statements_table(conversation)
    sheet.append(escape_row(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(escape_row(row))
    sheet.freeze_panes = "A2"
    workbook.properties.title = conversation.question[:200]
    workbook.properties.creator = "PSM Giovani"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(conversation: Conversation, extension: str) -> str:
    slug = slugify(conversation.question)[:40] or "conversazione"
    return f"psm-giovani-conversazione-{conversation.pk}-{slug}-{timezone.localdate().isoformat()}.{extension}"
