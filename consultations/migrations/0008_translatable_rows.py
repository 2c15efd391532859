"""Rows of the pages made translatable (wagtail-localize): each row gets its page's locale and
a key shared with the same row on the page's translations (docs/i18n.md)."""

from django.db import migrations

from psm.translatable_rows import add_operations


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0007_default_consultation_templates"),
        ("wagtailcore", "0098_apitoken"), ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"), ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
    *add_operations("consultations", "category", parent_field="page", relation="categories"),
    ]
