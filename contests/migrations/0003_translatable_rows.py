"""Rows of the contest page made translatable (wagtail-localize): each prize, document, public
answer and criterion gets its page's locale and a key shared with the same row on the page's
translations (docs/i18n.md)."""

from django.db import migrations

from psm.translatable_rows import add_operations


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0002_withdrawal_questions_agreement_codesign"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        *add_operations("contests", "contestprize", parent_field="contest", relation="prizes"),
        *add_operations(
            "contests", "contestdocument", parent_field="contest", relation="documents"
        ),
        *add_operations("contests", "contestanswer", parent_field="contest", relation="answers"),
        *add_operations(
            "contests", "contestcriterion", parent_field="contest", relation="criteria"
        ),
    ]
