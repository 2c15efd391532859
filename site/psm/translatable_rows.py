"""Migrations that make the rows of a page (inline panels) translatable, keeping every row.

A row becomes ``TranslatableMixin``: it gets the ``locale`` of its page and a
``translation_key`` shared with the same row on the page's translations. The rows of an English
page were copied from the Italian ones in the same order (wagtail-localize synchronised them),
so the n-th row of every version of a page gets the same key: ``uuid5(page key, relation-n)``.

The page's stored revisions and wagtail-localize's translation sources hold copies of the rows;
they get the same keys, so publishing an old draft or syncing an old translation does not give
the rows new keys (which would cut them from their translations).
"""

from __future__ import annotations

import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder


def row_key(page_translation_key, relation: str, index: int) -> uuid.UUID:
    return uuid.uuid5(uuid.UUID(str(page_translation_key)), f"{relation}-{index}")


def populate(apps, *, model: str, parent_field: str, relation: str) -> None:
    """Give every row of ``model`` (``app.Model``) its page's locale and a shared key, and the
    same in the copies of those rows kept in revisions and translation sources."""
    Row = apps.get_model(model)
    rows = Row.objects.select_related(parent_field).order_by(
        f"{parent_field}_id", "sort_order", "pk"
    )
    keys: dict[int, tuple[str, int]] = {}
    position: dict[int, int] = {}
    for row in rows:
        page = getattr(row, parent_field)
        index = position.get(page.pk, 0)
        position[page.pk] = index + 1
        row.translation_key = row_key(page.translation_key, relation, index)
        row.locale_id = page.locale_id
        row.save(update_fields=["translation_key", "locale"])
        keys[row.pk] = (str(row.translation_key), page.locale_id)
    page_ids = list(position)
    _update_copies(apps, relation=relation, page_ids=page_ids, keys=keys)


def _rekey(content: dict, relation: str, keys: dict) -> bool:
    children = content.get(relation)
    if not isinstance(children, list):
        return False
    changed = False
    page_key = content.get("translation_key")
    locale_id = content.get("locale")
    for index, child in enumerate(children):
        if not isinstance(child, dict) or child.get("translation_key"):
            continue
        known = keys.get(child.get("pk"))
        if known is not None:
            child["translation_key"], child["locale"] = known
        elif page_key:
            child["translation_key"] = str(row_key(page_key, relation, index))
            child["locale"] = locale_id
        else:
            continue
        changed = True
    return changed


def _update_copies(apps, *, relation: str, page_ids: list[int], keys: dict) -> None:
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    page_type = ContentType.objects.filter(app_label="wagtailcore", model="page").first()
    revisions = Revision.objects.filter(
        base_content_type=page_type, object_id__in=[str(pk) for pk in page_ids]
    )
    for revision in revisions:
        if isinstance(revision.content, dict) and _rekey(revision.content, relation, keys):
            revision.save(update_fields=["content"])
    try:
        TranslationSource = apps.get_model("wagtail_localize", "TranslationSource")
    except LookupError:
        return
    pages = set(page_ids)
    for source in TranslationSource.objects.all():
        content = json.loads(source.content_json)
        if content.get("pk") in pages and _rekey(content, relation, keys):
            source.content_json = json.dumps(content, cls=DjangoJSONEncoder)
            source.save(update_fields=["content_json"])


def _locale_field(*, null: bool):
    from django.db import models

    return models.ForeignKey(
        editable=False,
        null=null,
        on_delete=models.PROTECT,
        related_name="+",
        to="wagtailcore.locale",
        verbose_name="locale",
    )


def add_operations(app_label: str, model_name: str, *, parent_field: str, relation: str) -> list:
    """The first migration making ``app_label.model_name`` translatable: the two fields added
    empty, then filled (``populate``)."""
    from django.db import migrations, models

    def forwards(apps, schema_editor):
        populate(
            apps, model=f"{app_label}.{model_name}", parent_field=parent_field, relation=relation
        )

    return [
        migrations.AddField(model_name, "locale", _locale_field(null=True)),
        migrations.AddField(
            model_name, "translation_key", models.UUIDField(null=True, editable=False)
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]


def require_operations(model_name: str) -> list:
    """The second one (a separate transaction: PostgreSQL does not alter a table with pending
    foreign-key checks): both fields required, unique together like every ``TranslatableMixin``
    model."""
    from django.db import migrations, models

    return [
        migrations.AlterField(model_name, "locale", _locale_field(null=False)),
        migrations.AlterField(
            model_name, "translation_key", models.UUIDField(default=uuid.uuid4, editable=False)
        ),
        migrations.AlterUniqueTogether(model_name, {("translation_key", "locale")}),
    ]
