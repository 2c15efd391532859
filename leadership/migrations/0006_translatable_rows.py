"""Rows of the pages made translatable (wagtail-localize): each row gets its page's locale and
a key shared with the same row on the page's translations (docs/i18n.md)."""

from django.db import migrations

from psm.translatable_rows import add_operations


class Migration(migrations.Migration):
    dependencies = [
        ("leadership", "0005_gender_share_to_cap"),
        ("wagtailcore", "0098_apitoken"), ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"), ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
    *add_operations("leadership", "calldocument", parent_field="call", relation="documents"),
    *add_operations("leadership", "callquestion", parent_field="call", relation="questions"),
    *add_operations("leadership", "callcriterion", parent_field="call", relation="criteria"),
    *add_operations("leadership", "callfaq", parent_field="call", relation="faqs"),
    ]
